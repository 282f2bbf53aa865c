"""The whole right-to-bid story in a real browser, every page checked by axe-core on the way.

A group registers and nominates its pub with evidence; an officer lists it and
records the owner; the owner gives notice; the group asks to be treated as a
bidder; the officer sees the moratorium dates; the public register and its
downloads show it all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from casework.actors import SYSTEM
from casework.assets import AssetDetails
from casework.clock import london_date, utcnow
from casework.examples import load
from casework.services import accounts, asset_transfers, councils, organisations, policies
from casework.services.accounts import RoleGrant
from casework.services.organisations import OrganisationDetails
from tests.browser.conftest import Accessibility, LiveSite
from web.filters import gov_date
from workflows.eligibility import BodyType
from workflows.periods import moratorium_timeline
from workflows.roles import Role

pytestmark = pytest.mark.browser
PASSWORD = "a long browser password"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _staff_and_owner(site: LiveSite) -> None:
    councils.create_council(site.db, "BDC", "Borsetshire District Council")
    grant = (RoleGrant(Role.OFFICER, council_code="BDC"),)
    accounts.create_user(site.db, "officer@bdc.example.gov.uk", "Olivia Officer", password=PASSWORD, grants=grant)
    accounts.create_user(site.db, "owner@example.com", "Oscar Owner", password=PASSWORD)


def _sign_in(page: Any, axe: Accessibility, email: str) -> None:
    page.goto("/account/sign-in")
    axe.check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def _sign_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").first.click()


def _date(page: Any, name: str, day: Any) -> None:
    boxes = page.locator(f"input[name='{name}']")
    for index, part in enumerate((day.day, day.month, day.year)):
        boxes.nth(index).fill(str(part))


def _choose(page: Any, name: str, value: str) -> None:
    page.locator(f"input[name='{name}'][value='{value}']").check()


def _continue(page: Any, axe: Accessibility, button: str = "Save and continue") -> None:
    """Press a button and wait for the page it leads to (click alone does not wait for navigation)."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).first.click()
    axe.check(page)


def _follow(page: Any, axe: Accessibility, link: Any) -> None:
    with page.expect_navigation():
        link.click()
    axe.check(page)


def test_a_pub_goes_from_nomination_to_moratorium_and_onto_the_public_register(
    page: Any, live_site: LiveSite, axe: Accessibility, tmp_path: Path
) -> None:
    _staff_and_owner(live_site)
    today = london_date(utcnow())

    # A group member creates an account, after one mistake the page explains.
    page.goto("/")
    axe.check(page)
    page.goto("/account/create")
    page.get_by_label("Full name").fill("Gina Group")
    page.get_by_label("Email address").fill("gina@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill("something else entirely")
    _continue(page, axe, "Create account")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Full name").input_value() == "Gina Group"
    _choose(page, "purpose", "community")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    _continue(page, axe, "Create account")

    # ... registers the group: an empty form first, to see the errors, then properly.
    page.goto("/community/groups/new")
    axe.check(page)
    _continue(page, axe, "Save group")
    summary = page.locator(".govuk-error-summary")
    assert "Enter the name of the group" in summary.inner_text()
    summary.get_by_role("link", name="Enter the name of the group").click()
    assert page.evaluate("document.activeElement.name") == "name"
    page.get_by_label("Name of the group").fill("Ambridge Pub Society")
    page.get_by_label("Which council's area is the group in?").select_option("BDC")
    _choose(page, "body_type", "co_operative_or_community_benefit_society")
    page.get_by_label("Charity, company or society number").fill("IP31234")
    for question, answer in {
        "distributes_surplus": "no",
        "is_credit_union": "no",
        "is_public_authority": "no",
        "activity_local": "yes",
        "surplus_local": "yes",
    }.items():
        _choose(page, question, answer)
    page.get_by_label("How many individual members does it have?").fill("120")
    page.get_by_label("Email address for notices").fill("society@example.org")
    _continue(page, axe, "Save group")
    assert page.get_by_role("heading", name="Ambridge Pub Society").is_visible()

    # ... and nominates the pub, step by step, with a file of evidence.
    page.goto("/community/")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Nominate land"))
    assert "Nominating for Ambridge Pub Society" in page.inner_text("main")  # its only group: nothing to choose
    page.locator("select[name='council']").select_option("BDC")
    _continue(page, axe, "Continue")
    page.locator("[name='name']").fill("The Bull")
    page.locator("[name='address']").fill("1 High Street, Ambridge")
    page.locator("[name='postcode']").fill("bs1 4nd")
    _choose(page, "category", "pub")
    page.locator("[name='parishes']").fill("Ambridge")
    _continue(page, axe)
    page.locator("[name='boundary_description']").fill("The pub, its garden and the car park")
    page.locator("[name='latitude_longitude']").fill("52.195, -2.095")
    _continue(page, axe)
    page.locator("[name='occupants']").fill("Bull Inns Ltd")
    page.locator("[name='ownership']").fill("Borchester Brewery plc")
    _continue(page, axe)
    page.locator("[name='reasons']").fill("The only pub in the village; the darts league and the folk club meet there")
    _continue(page, axe)
    evidence = tmp_path / "rules.pdf"
    evidence.write_bytes(PDF)
    page.locator("input[type='file']").set_input_files(str(evidence))
    page.get_by_label("What is it?").fill("Our registered rules")
    _continue(page, axe, "Upload")
    assert "The file has been added to the nomination" in page.inner_text("main")
    assert page.get_by_role("link", name="rules.pdf").is_visible()
    page.locator("[name='eligibility_evidence']").fill("Registered society IP31234; rules attached")
    _continue(page, axe)
    for question, answer in {"residence": "yes", "residence_partly": "yes", "caravan_site": "no"}.items():
        _choose(page, question, answer)
    _choose(page, "operational_land", "no")
    _continue(page, axe)
    assert "The group looks eligible to nominate" in page.inner_text("main")
    _continue(page, axe, "Send the nomination")
    reference = re.search(r"Quote the reference (\S+) if", page.inner_text("main"))
    assert reference, page.inner_text("main")
    reference_text = reference.group(1)
    assert "Nomination received" in page.inner_text("main") and "rules.pdf" in page.inner_text("main")
    _sign_out(page)

    # An officer finds it in the queue, considers it, lists it and records the owner.
    _sign_in(page, axe, "officer@bdc.example.gov.uk")
    page.goto("/officer/cases")
    axe.check(page)
    assert reference_text in page.locator("table").first.inner_text()
    _follow(page, axe, page.get_by_role("link", name="The Bull"))
    _follow(page, axe, page.get_by_role("link", name="Start considering the nomination"))
    _continue(page, axe, "Start considering the nomination")
    _follow(page, axe, page.get_by_role("link", name="List the asset"))
    _continue(page, axe, "List the asset")  # nothing filled in: every field says what it needs
    assert "Enter the date of the decision" in page.locator(".govuk-error-summary").inner_text()
    _date(page, "decided_on", today)
    _date(page, "entry_date", today)
    _date(page, "inclusion_notice_given_on", today)
    _choose(page, "community_value_basis", "current_use")
    page.locator("[name='reasons']").fill("It furthers the social wellbeing of the village now and can continue to")
    _continue(page, axe, "List the asset")
    assert "Listed" in page.locator("main").inner_text()
    page.get_by_label("Email address of the owner's account").fill("owner@example.com")
    _continue(page, axe, "Record as owner")
    _sign_out(page)

    # The owner gives notice of an intended sale, after seeing what applies and the dates.
    _sign_in(page, axe, "owner@example.com")
    page.goto("/owner/")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="The Bull").first)
    _follow(page, axe, page.get_by_role("link", name="Tell the council you intend to sell"))
    notice_url = page.url
    _choose(page, "disposal_type", "freehold")
    _choose(page, "vacant_possession", "yes")
    _continue(page, axe, "Check what applies")
    interim, full, protected = moratorium_timeline(today)
    result = page.locator("#result")
    assert result.evaluate("banner => banner === document.activeElement")  # the answer takes focus, at the top
    assert interim.due.strftime("%-d %B %Y") in result.inner_text()
    _continue(page, axe, "Send the notice to the council")
    assert "Owner's notice of intended sale sent" in page.inner_text("main")
    assert interim.due.strftime("%-d %B %Y") in page.inner_text("main")  # what happens next, with its date
    page.goto(notice_url)  # a second notice: the page says the protected period runs, and offers nothing to send
    axe.check(page)
    assert "You do not need to give a new notice" in page.inner_text("main")
    assert page.get_by_role("button", name="Send the notice to the council").count() == 0
    _sign_out(page)

    # The group finds the pub on the public register and asks to be treated as a bidder.
    _sign_in(page, axe, "gina@example.org")
    page.goto("/register")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="The Bull").first)
    _follow(page, axe, page.get_by_role("link", name="Ask to be treated as a potential bidder"))
    _continue(page, axe, "Send the request")
    assert "Request to be treated as a potential bidder sent" in page.inner_text("main")
    page.goto("/community/")  # the group follows the sale it asked to bid in, from its dashboard
    cycle_row = page.get_by_role("row").filter(has_text="moratorium")
    _follow(page, axe, cycle_row.get_by_role("link", name="The Bull"))
    assert "Full moratorium" in page.locator("h1 + p").inner_text()
    _sign_out(page)

    # The officer sees the full moratorium and the protected period, with the dates worked out.
    _sign_in(page, axe, "officer@bdc.example.gov.uk")
    page.goto("/officer/cases?due=this_week")  # the queue's filters, as a person picks them
    axe.check(page)
    page.goto("/officer/cases")
    moratorium_row = page.get_by_role("row").filter(has_text="moratorium")
    _follow(page, axe, moratorium_row.get_by_role("link", name="The Bull"))
    assert "Full moratorium" in page.locator("h1 + p").inner_text()
    assert page.get_by_role("link", name=reference_text).is_visible()  # the listing it runs on
    dates = page.locator("table:has(caption:text('Dates'))").inner_text()
    assert gov_date(full.due) in dates and gov_date(protected.due) in dates
    # A second group's request came by post: the officer records it, choosing the group (its record decides).
    _follow(page, axe, page.get_by_role("link", name="Record a request to be treated as a potential bidder"))
    assert page.get_by_label("Ambridge Pub Society").count() == 1
    _sign_out(page)

    # The public register and every download show it, with the moratorium dates.
    page.goto("/register")
    _follow(page, axe, page.get_by_role("link", name="The Bull").first)
    entry = page.inner_text("main")
    assert "Full moratorium" in entry or gov_date(full.due) in entry
    downloads = {suffix: page.request.get(f"/register.{suffix}") for suffix in ("csv", "geojson", "atom", "ics")}
    assert all(response.ok for response in downloads.values())
    rows = list(csv.DictReader(io.StringIO(downloads["csv"].text())))
    assert [row["name"] for row in rows] == ["The Bull"]
    assert rows[0]["notification-to-sell-date"] == today.isoformat()
    [feature] = json.loads(downloads["geojson"].text())["features"]
    assert feature["geometry"]["coordinates"] == [-2.095, 52.195]
    assert "<title>Owner's notice: The Bull</title>" in downloads["atom"].text()
    assert f"DTSTART;VALUE=DATE:{protected.due:%Y%m%d}" in downloads["ics"].text()

    # A page that is not there is accessible too.
    missing = page.goto("/register/BDC/NOPE-0")
    assert missing is not None and missing.status == 404
    axe.check(page)

    assert len(axe.pages) > 30
    assert axe.violations == [], "\n".join(axe.violations)


def test_the_asset_transfer_and_challenge_pages_are_accessible_and_work_in_a_browser(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    db = live_site.db
    council_id = councils.create_council(db, "BDC", "Borsetshire District Council")
    officer = accounts.create_user(db, "officer@bdc.example.gov.uk", "Olivia Officer", password=PASSWORD,
                                   grants=(RoleGrant(Role.OFFICER, council_code="BDC"),))  # fmt: skip
    admin = RoleGrant(Role.COUNCIL_ADMIN, council_code="BDC")
    accounts.create_user(db, "admin@bdc.example.gov.uk", "Ada Admin", password=PASSWORD, grants=(admin,))
    member = accounts.create_user(db, "gina@example.org", "Gina Group", password=PASSWORD)
    organisations.register_organisation(
        db, council_id,
        OrganisationDetails(name="Ambridge Library Friends", body_type=BodyType.CHARITY, activity_areas=("BDC",)),
        founder=member,
    )  # fmt: skip
    policies.publish(db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"))
    policies.publish(db, SYSTEM, "BDC", "challenge", load("challenge"))
    asset_transfers.offer_asset(
        db, accounts.actor_for(db, officer, Role.OFFICER, "BDC"), AssetDetails(name="Ambridge Library", address="Green")
    )

    _sign_in(page, axe, "gina@example.org")
    page.goto("/community/")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Take on a council building or space"))
    _follow(page, axe, page.get_by_role("link", name="Ambridge Library"))
    _choose(page, "tenure_sought", "lease")
    _continue(page, axe, "Send the enquiry")  # nothing about the use: the summary says so
    assert "Enter what the group would use it for" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("What would the group use it for?").fill("Lending, a homework club and a warm space")
    _continue(page, axe, "Send the enquiry")
    reference = re.search(r"Quote the reference (\S+) if", page.inner_text("main"))
    assert reference and "Enquiry received" in page.inner_text("main")
    page.goto("/community/challenges/new")
    axe.check(page)
    _follow(page, axe, page.locator("main").get_by_role("link", name="Borsetshire District Council"))
    _sign_out(page)

    _sign_in(page, axe, "officer@bdc.example.gov.uk")
    page.goto(f"/officer/cases/{reference.group(1)}")
    axe.check(page)
    page.goto(f"/officer/cases/{reference.group(1)}/scores")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Compare with the other applications"))
    _sign_out(page)

    _sign_in(page, axe, "admin@bdc.example.gov.uk")
    page.goto("/admin/policies")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Version 1").first)
    page.goto("/admin/policies/new/challenge/json")
    axe.check(page)
    page.get_by_label("The policy, as JSON").fill("{not json")
    _continue(page, axe, "Publish this version")
    assert "The policy is not valid JSON" in page.locator(".govuk-error-summary").inner_text()

    assert axe.violations == [], "\n".join(axe.violations)
