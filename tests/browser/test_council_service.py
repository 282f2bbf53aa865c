"""The council's own service, walked in Chromium: an admin gives the council's contact details and logo and reads
the process diagrams; a reviewer decides a review; anyone finds the accessibility statement from the footer.

Like every browser test, each runs at desktop width and at 320 pixels, with axe-core, the duplicate-id check and
the sideways-scroll check on every page.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from casework.clock import london_date, utcnow
from casework.queries import case_summary
from casework.services import accounts
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import apply_transition
from tests.browser.conftest import Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, _continue, _date, _follow, _sign_in, _sign_out
from tests.factories import list_pub, make_world
from tests.functional.web.test_branding import png
from workflows.roles import Role

pytestmark = pytest.mark.browser


def _open_menu(page: Any) -> None:
    """At 320px the service navigation folds behind its Menu button, as GOV.UK Frontend draws it."""
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()


def test_an_admin_gives_the_councils_contact_details_and_logo_and_reads_the_process_diagram(
    page: Any, live_site: LiveSite, axe: Accessibility, tmp_path: Path
) -> None:
    make_world(live_site.db)
    grant = (RoleGrant(Role.COUNCIL_ADMIN, council_code="BDC"),)
    accounts.create_user(live_site.db, "ada@bdc.example.gov.uk", "Ada Admin", password=PASSWORD, grants=grant)
    felpersham = (RoleGrant(Role.OFFICER, council_code="BDN"),)  # staff of both councils: a shared deployment
    accounts.create_user(live_site.db, "fay@felpersham.example.gov.uk", "Fay Officer", grants=felpersham)

    # A visitor: the service's own name at the top, no crown, and the statement one link away.
    page.goto("/")
    axe.check(page)
    assert page.locator(".govuk-generic-header").inner_text().strip() == "Community rights casework"
    assert page.locator(".govuk-header__logotype, .govuk-footer__crown").count() == 0
    _follow(page, axe, page.get_by_role("link", name="Accessibility statement"))
    assert page.get_by_role("heading", name="Accessibility statement for Community rights casework").is_visible()
    assert page.get_by_role("heading", name="Felpersham City Council").first.is_visible()  # each council's contacts

    # The admin, on the council details page, after one mistake the page names.
    _sign_in(page, axe, "ada@bdc.example.gov.uk")
    assert "Borsetshire District Council" in page.locator(".govuk-generic-header").inner_text()
    _follow(page, axe, page.get_by_role("link", name="Council details: contact details, logo, accessibility statement"))
    page.get_by_label("Telephone number").fill("ring the town hall")
    _continue(page, axe, "Save contact details")
    assert "Enter a telephone number" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Telephone number").fill("01632 960 001")
    page.get_by_label("Email address").fill("acv@borsetshire.example.gov.uk")
    page.get_by_label("Postal address").fill("Council Offices\nMarket Square\nBorchester BC1 1AA")
    _continue(page, axe, "Save contact details")
    assert "Contact details saved" in page.inner_text("main")
    crest = tmp_path / "crest.png"
    crest.write_bytes(png(90, 30))
    page.get_by_label("Upload the council's logo").set_input_files(str(crest))
    _continue(page, axe, "Upload logo")
    logo = page.locator(".govuk-generic-header img.casework-header__logo")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 90  # served, and drawn beside the name
    footer = page.locator("footer").inner_text()
    assert "Council Offices" in footer and "01632 960 001" in footer and "acv@borsetshire.example.gov.uk" in footer

    # The diagram of a process: the actions' names at a readable size, and zoom buttons that work.
    page.goto("/admin/workflows")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Asset of community value: nomination and listing"))
    diagram = page.locator("[data-diagram] svg")
    diagram.wait_for()
    labels = [label.strip() for label in page.locator("[data-diagram] .edgeLabel").all_text_contents()]
    assert "List the asset" in labels and "list" not in labels  # the actions' names, not their trigger ids
    sizes = page.locator("[data-diagram] .edgeLabel :is(span, p, text)").evaluate_all(
        "texts => texts.filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert sizes and min(sizes) >= 16  # drawn at its own size: not shrunk to the column (it was about 8px)
    wide = diagram.evaluate("svg => svg.getBoundingClientRect().width")
    page.get_by_role("button", name="Zoom out").click()
    assert diagram.evaluate("svg => svg.getBoundingClientRect().width") < wide
    page.get_by_role("button", name="Fit to width").click()
    region = page.get_by_role("region", name="Diagram of Asset of community value: nomination and listing, scrollable")
    assert diagram.evaluate("svg => svg.getBoundingClientRect().width") <= region.evaluate("r => r.clientWidth")
    axe.check(page)
    _sign_out(page)
    assert axe.violations == [], "\n".join(axe.violations)


def test_a_reviewer_lands_on_the_reviews_and_confirms_a_listing_on_review(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    db = live_site.db
    world = make_world(db)
    grant = (RoleGrant(Role.REVIEWER, council_code="BDC"),)
    accounts.create_user(db, "rita@bdc.example.gov.uk", "Rita Reviewer", password=PASSWORD, grants=grant)
    now = utcnow()
    today = london_date(now)
    listing = list_pub(db, world, decided_on=today - timedelta(days=20), now=now - timedelta(days=30))
    asked = {"review_request_received_on": (today - timedelta(days=3)).isoformat(), "review_grounds": "Not a pub"}
    apply_transition(db, listing, "request_review", world.owner, asked, now=now - timedelta(days=3))
    reference = case_summary(db, listing).reference

    _sign_in(page, axe, "rita@bdc.example.gov.uk")
    axe.check(page)
    assert page.url.endswith("/officer/reviews")  # the reviewer lands on the reviews, of every process
    _follow(page, axe, page.get_by_role("link", name=reference).or_(page.get_by_role("link", name="The Bull")).first)
    _follow(page, axe, page.get_by_role("link", name="Confirm the listing on review"))
    _date(page, "review_decided_on", today)
    _date(page, "review_decision_sent_on", today)
    page.locator("[name='reasons']").fill("The pub still furthers the social wellbeing of the village")
    _continue(page, axe, "Confirm the listing on review")
    assert "Listed" in page.locator("main .govuk-tag").first.inner_text()
    _open_menu(page)
    _sign_out(page)
    assert axe.violations == [], "\n".join(axe.violations)
