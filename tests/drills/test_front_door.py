"""Drill: concurrency at the front door (issue 7).

Two officers press the same button on the same case at the same moment, or a program and an officer
do: exactly one of them may change it, and every other one must be told, clearly, that the case
changed under them. Anything else is a double decision in the audit trail, or a 500 that leaves an
officer wondering whether their action went through. The engine promises this (it locks the case and
checks the version the actor saw: PERFORMANCE.md §4.6); this drill checks it at the front door, with the
site served for real by gunicorn (two worker processes, threads) on PostgreSQL, and twenty requests
per version released together through the pages (signed in, with CSRF tokens, as a browser would)
and through the JSON API (bearer tokens, `expected_version`).

Each version is contended by the pages alone, by the API alone, or by both at once. Afterwards the
audit trail must hold exactly one event per version, every loser must have had the app's own answer
for a stale case (on a page, the GOV.UK notification banner with the StaleCase message; on the API,
the RFC 9457 problem with status 409 and type .../case-changed), and nothing may have answered 5xx.
The quick pass (`make test`) contends three versions, one per channel, instead of six.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.cookies import RequestsCookieJar
from sqlalchemy import func, select

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.models import Case, CaseEvent
from casework.services import accounts, credentials
from casework.services.accounts import RoleGrant
from tests.drills.conftest import Figures, pace
from tests.e2e.conftest import ROOT, wait_until
from tests.factories import list_pub, make_world
from tests.mailserver import free_port
from workflows.roles import Role

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]

DRILL = "front door"
CONTENDERS = 20  # requests released together for one version
TRIGGER = "amend_after_disposal"  # listed -> listed: the same action can be contended version after version
CHANNELS = ["pages", "api", "both"] * pace(2, 1)  # who contends each version (the quick pass: each channel once)
EMAIL = "front.door@bdc.example.gov.uk"
PASSWORD = "a long passphrase for the front door drill"  # a throwaway account in a throwaway database
STALE_PAGE = "was changed by someone else after you opened it"  # casework.errors.StaleCase, shown in a banner
DONE_PAGE = "Done: amend the entry after a relevant disposal"
BANNER = re.compile(r'<div class="govuk-notification-banner[^"]*".*?</div>\s*</div>', re.S)
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


@dataclass(frozen=True)
class Site:
    url: str
    log: Path


@pytest.fixture
def site(pg_db: Database, tmp_path: Path) -> Iterator[Site]:
    """The web app under gunicorn, as web/Dockerfile runs it but threaded, so all twenty requests are in at once:
    two processes (each with its own engine and pool) of ten threads each."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": pg_db.url.render_as_string(hide_password=False),
        "SECRET_KEY": "front-door-drill-secret-key-long-enough",
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        "MAIL_DIR": str(tmp_path / "mail"),
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    command = [sys.executable, "-m", "gunicorn", "web.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "10", "--worker-class", "gthread", "--timeout", "60"]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(url), timeout=60, what="gunicorn to serve", evidence=log.read_text)
        yield Site(url, log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/register", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@dataclass(frozen=True)
class Scene:
    reference: str
    case_id: uuid.UUID
    signed_in: RequestsCookieJar  # the officer's session cookie, from signing in through the page
    token: str


def scene(db: Database, site: Site) -> Scene:
    world = make_world(db)
    case_id = list_pub(db, world)
    user_id = accounts.create_user(
        db, EMAIL, "Front Door", password=PASSWORD, grants=(RoleGrant(Role.OFFICER, council_code=world.code),)
    )
    token = credentials.create_api_token(db, user_id, "drill", Role.OFFICER, council_code=world.code).token
    browser = requests.Session()
    page = browser.get(f"{site.url}/account/sign-in", timeout=10)
    signed = browser.post(
        f"{site.url}/account/sign-in",
        data={"csrf_token": _csrf(page.text), "email": EMAIL, "password": PASSWORD},
        timeout=30,
        allow_redirects=False,
    )
    assert signed.status_code == 302, signed.text[:2000]
    with db.reader() as session:
        reference = session.scalars(select(Case.reference).where(Case.id == case_id)).one()
    return Scene(reference, case_id, browser.cookies.copy(), token)


def _csrf(page: str) -> str:
    match = CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


# --- one contender each: a browser on the action page, or a program on the API ----------------------------------


def disposal(n: int) -> dict[str, str]:
    return {"disposal_details": f"Part of the car park sold to a neighbour (contender {n})"}


def page_contender(site: Site, scene: Scene, n: int, before_submit: Callable[[], object]) -> tuple[str, float]:
    """Open the action form, wait for the others, submit it, and read the page the app sends us back to."""
    browser = requests.Session()
    browser.cookies.update(scene.signed_in)  # with their domain, so the app's own updates replace them
    action = f"{site.url}/officer/cases/{scene.reference}/actions/{TRIGGER}"
    form = browser.get(action, timeout=30)
    if form.status_code != 200:
        before_submit()
        return f"form {form.status_code}", 0.0
    version = VERSION.search(form.text)
    assert version, "no case version on the form"
    today = london_date(utcnow())
    fields: dict[str, str | list[str]] = {
        "csrf_token": _csrf(form.text),
        "version": version.group(1),
        "trigger": TRIGGER,
        "disposal_entered_on": [str(today.day), str(today.month), str(today.year)],
        **disposal(n),
    }
    before_submit()
    began = time.monotonic()
    answer = browser.post(action, data=fields, timeout=60, allow_redirects=False)
    took = time.monotonic() - began
    if answer.status_code != 302:
        return f"page {answer.status_code}", took
    landing = browser.get(site.url + answer.headers["Location"], timeout=30)
    return classify_page(landing.status_code, landing.text), took


def classify_page(status: int, page: str) -> str:
    banners = " ".join(html.unescape(b) for b in BANNER.findall(page))
    if status == 200 and STALE_PAGE in banners:
        return "stale"
    if status == 200 and DONE_PAGE in banners:
        return "applied"
    return f"page {status}: {' '.join(banners.split())[:200] or 'no banner'}"


def api_contender(
    site: Site, scene: Scene, n: int, version: int, before_send: Callable[[], object]
) -> tuple[str, float]:
    body: dict[str, Any] = {
        "trigger": TRIGGER,
        "expected_version": version,
        "data": {"disposal_entered_on": london_date(utcnow()).isoformat(), **disposal(n)},
    }
    headers = {"Authorization": f"Bearer {scene.token}"}
    url = f"{site.url}/api/v1/cases/{scene.reference}/transitions"
    before_send()
    began = time.monotonic()
    answer = requests.post(url, json=body, headers=headers, timeout=60)
    took = time.monotonic() - began
    return classify_api(answer), took


def classify_api(answer: requests.Response) -> str:
    if answer.status_code == 200:
        return "applied"
    is_problem = answer.headers.get("Content-Type", "").startswith("application/problem+json")
    problem = answer.json() if is_problem else {}
    if answer.status_code == 409 and str(problem.get("type", "")).endswith("/case-changed"):
        return "stale" if problem.get("status") == 409 and problem.get("detail") else "409 without detail"
    return f"api {answer.status_code}: {answer.text[:200]}"


def current_version(db: Database, scene: Scene) -> int:
    with db.reader() as session:
        return int(session.scalars(select(Case.version).where(Case.id == scene.case_id)).one())


def contend(db: Database, site: Site, scene: Scene, channel: str) -> tuple[Counter[str], list[float]]:
    """CONTENDERS requests for the case's current version, released together once every page form is open."""
    version = current_version(db, scene)
    kinds = {"pages": ["page"] * CONTENDERS, "api": ["api"] * CONTENDERS}.get(channel, ["page", "api"] * 10)
    start = threading.Barrier(CONTENDERS)
    with ThreadPoolExecutor(max_workers=CONTENDERS) as pool:
        futures = [
            pool.submit(page_contender, site, scene, n, start.wait)
            if kind == "page"
            else pool.submit(api_contender, site, scene, n, version, start.wait)
            for n, kind in enumerate(kinds)
        ]
        results = [future.result() for future in futures]
    return Counter(outcome for outcome, _ in results), [took for _, took in results]


def test_twenty_simultaneous_actions_per_version_apply_once_and_tell_the_rest_the_case_changed(
    pg_db: Database, site: Site, figures: Figures
) -> None:
    scene_ = scene(pg_db, site)
    first = current_version(pg_db, scene_)
    applied: list[int] = []
    stale: list[int] = []
    other: Counter[str] = Counter()
    timings: list[float] = []
    for channel in CHANNELS:
        outcomes, took = contend(pg_db, site, scene_, channel)
        applied.append(outcomes.pop("applied", 0))
        stale.append(outcomes.pop("stale", 0))
        other.update(outcomes)
        timings += took
    with pg_db.reader() as session:
        events = session.scalar(
            select(func.count())
            .select_from(CaseEvent)
            .where(CaseEvent.case_id == scene_.case_id, CaseEvent.trigger == TRIGGER)
        )
    versions_moved = current_version(pg_db, scene_) - first
    server_errors = sum(n for outcome, n in other.items() if re.match(r"(page|api|form) 5\d\d", outcome))
    tracebacks = site.log.read_text(errors="replace").count("Traceback")
    expected_stale = [CONTENDERS - 1] * len(CHANNELS)

    figures.record(DRILL, "versions contended (pages / API / both)", " ".join(CHANNELS), "report", True)
    figures.record(DRILL, "requests per version, released together", CONTENDERS, "20", CONTENDERS == 20)
    figures.record(DRILL, "applied per version", " ".join(map(str, applied)), "1 each", set(applied) == {1})
    figures.record(DRILL, "audit events / versions moved", f"{events} / {versions_moved}", "one per version",
                   events == versions_moved == len(CHANNELS))  # fmt: skip
    figures.record(DRILL, "told the case changed, per version", " ".join(map(str, stale)), "19 each",
                   stale == expected_stale)  # fmt: skip
    figures.record(DRILL, "other answers", dict(other) or "none", "none", not other)
    figures.record(DRILL, "server errors (5xx) / tracebacks logged", f"{server_errors} / {tracebacks}", "0 / 0",
                   server_errors == tracebacks == 0)  # fmt: skip
    timings.sort()
    figures.record(DRILL, "request seconds, median / max", f"{timings[len(timings) // 2]:.2f} / {timings[-1]:.2f}",
                   "report", True)  # fmt: skip

    assert not other, other
    assert (applied, stale) == ([1] * len(CHANNELS), expected_stale)
    assert events == versions_moved == len(CHANNELS)
    assert tracebacks == 0, site.log.read_text()[-5000:]


def test_a_page_or_a_program_a_version_behind_is_told_the_case_changed(pg_db: Database, site: Site) -> None:
    """The drill counts answers as 'applied' and 'stale': here, one request at a time, each is shown to be what the
    app really answers, so the drill cannot pass by counting something else."""
    scene_ = scene(pg_db, site)
    version = current_version(pg_db, scene_)

    def nothing() -> None:
        return None

    def overtaken() -> None:  # another officer's program acts between this page's form and its submission
        assert api_contender(site, scene_, 3, version + 1, nothing)[0] == "applied"

    assert api_contender(site, scene_, 0, version, nothing)[0] == "applied"
    assert api_contender(site, scene_, 1, version, nothing)[0] == "stale"
    assert page_contender(site, scene_, 2, overtaken)[0] == "stale"
    assert page_contender(site, scene_, 4, nothing)[0] == "applied"
    assert current_version(pg_db, scene_) == version + 3
