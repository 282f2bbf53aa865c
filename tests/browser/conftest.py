"""Real headless Chromium (Debian's `chromium`, driven by Playwright) against the app on a live server.

Every page a test visits is checked with axe-core, loaded from node_modules
(pinned in package.json), so an accessibility regression fails the test that
walked into it, with the rule and the element named. The same check fails on two
elements sharing an id (a label or an error link then points at the wrong one), on
a page wider than the window (WCAG 1.4.10 reflow: nobody should scroll sideways at
320 CSS pixels) and on any answer of 500 or more. Every test runs twice: at a
desktop width and at 320 pixels, the width WCAG's reflow criterion names.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from casework.adapters.smtp import SmtpMailer
from casework.config import Settings
from casework.db import Database
from tests.conftest import require_service
from tests.integration.test_notifications import deliver_everything
from tests.mailserver import MailServer, start_mail_server
from web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        require_service("Chromium", "no chromium on PATH", "apt-get install chromium (make test-tools does it)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not AXE.exists():
        require_service("axe-core", f"{AXE} is missing", "make install (runs npm ci)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Failures show the page and the axe findings; a line per asset request would bury them."""


@dataclass
class LiveSite:
    base_url: str
    db: Database
    mail_dir: Path


@pytest.fixture
def live_site(sqlite_db: Database, tmp_path: Path) -> Iterator[LiveSite]:
    """The app with CSRF and everything else switched on, served by a real HTTP server in a thread."""
    yield from serve(sqlite_db, tmp_path)


def serve(db: Database, tmp_path: Path, **settings: Any) -> Iterator[LiveSite]:
    """The app on `db` with the test settings, and any of its Settings changed, until the generator is closed."""
    chosen = Settings(
        database_url=str(db.url),
        secret_key="browser-test-secret-key-long-enough",
        upload_dir=str(tmp_path / "uploads"),
        mail_dir=str(tmp_path / "mail"),
        base_url="http://127.0.0.1",
        **settings,
    )
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, create_app(chosen, db=db), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveSite(f"http://127.0.0.1:{server.server_port}", db, tmp_path / "mail")
    server.shutdown()
    thread.join(timeout=10)


# Ids used more than once, and whether the page is wider than its window (and what sticks out).
_LAYOUT = """() => {
  const seen = new Map();
  for (const element of document.querySelectorAll('[id]')) seen.set(element.id, (seen.get(element.id) || 0) + 1);
  const root = document.documentElement;
  const wide = root.scrollWidth > root.clientWidth;
  const named = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const past = wide ? [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1 && e.children.length === 0)
    .slice(0, 5).map(named) : [];
  return {
    duplicates: [...seen].filter(([, count]) => count > 1).map(([id]) => id),
    width: wide ? `${root.scrollWidth}px in a ${root.clientWidth}px window; past its edge: ${past.join(', ')}` : null,
  };
}"""


@dataclass
class Accessibility:
    """Runs axe-core, the duplicate-id check and the reflow check on each page it is shown; keeps what they find."""

    violations: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def check(self, page: Any) -> None:
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"
        )
        layout = page.evaluate(_LAYOUT)
        duplicates = layout["duplicates"]
        if duplicates:
            found.append(f"duplicate ids: {', '.join(duplicates)}")
        if layout["width"]:
            found.append(f"scrolls sideways (WCAG 1.4.10): {layout['width']}")
        self.pages.append(page.url)
        self.violations.extend(f"{page.url}: {violation}" for violation in found)

    def server_failed(self, response: Any) -> None:
        """A 5xx from the app is a failure wherever it happens, even on a request no test looks at."""
        if response.status >= 500:
            self.violations.append(f"{response.url}: answered {response.status}")


@dataclass(frozen=True)
class Viewport:
    width: int
    height: int


# A desktop, and 320 CSS pixels: WCAG 1.4.10's width (a 1280px screen zoomed to 400%).
VIEWPORTS = {"desktop": Viewport(1280, 900), "320px": Viewport(320, 800)}


# For a test about behaviour rather than a page a person reads through (a cookie replayed after signing out, the
# map's keyboard controls, a tile server down): the role journeys run at both widths, and so check every page.
DESKTOP_ONLY = pytest.mark.parametrize("viewport", ["desktop"], indirect=True)


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request: pytest.FixtureRequest) -> Viewport:
    return VIEWPORTS[request.param]


@pytest.fixture
def axe() -> Accessibility:
    return Accessibility()


@pytest.fixture
def page(browser: Any, live_site: LiveSite, viewport: Viewport, axe: Accessibility) -> Iterator[Any]:
    # bypass_csp lets the test inject axe-core; the app's own pages never need it.
    context = browser.new_context(
        base_url=live_site.base_url,
        bypass_csp=True,
        accept_downloads=True,
        viewport={"width": viewport.width, "height": viewport.height},
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on("response", axe.server_failed)
    yield tab
    context.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Werkzeug's development server, which serves the pages here, can leave a static file open when the
    browser drops its request for it (a favicon fetch cut short by the next page); the warning that raises
    when the file is collected is about the test server, not the product (gunicorn closes what it sends)."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.filterwarnings("ignore:unclosed file:ResourceWarning"))
            item.add_marker(pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"))


def send_all_mail(db: Database) -> MailServer:
    """Every email the outbox holds, sent as the worker would to a real SMTP server; the server, with what it got."""
    server, controller = start_mail_server()
    mailer = SmtpMailer(f"smtp://127.0.0.1:{controller.port}", "Casework <noreply@casework.example>")
    try:
        deliver_everything(db, mailer)
    finally:
        mailer.close()
        controller.stop()
    return server
