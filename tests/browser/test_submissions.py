"""A group member nominates in a real browser, from the start page to the confirmation page, every page checked by
axe-core: nothing is chosen for them, the words typed beside an upload stay, check answers shows every answer and
each "Change" comes back to it, and the confirmation gives the reference, the date the council must decide by and
a record of what was sent. Then at 320 px, where nothing may scroll sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casework.clock import london_date, utcnow
from casework.services import accounts, councils, organisations
from casework.services.organisations import OrganisationDetails
from tests.browser.conftest import Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, PDF, _choose, _continue, _follow, _sign_in
from workflows import periods
from workflows.eligibility import BodyType

pytestmark = pytest.mark.browser


def _member(site: LiveSite) -> None:
    council_id = councils.create_council(site.db, "BDC", "Borsetshire District Council")
    founder = accounts.create_user(site.db, "gina@example.org", "Gina Group", password=PASSWORD)
    organisations.register_organisation(
        site.db, council_id,
        OrganisationDetails(
            name="Ambridge Pub Society", body_type=BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY,
            society_number="IP31234", individual_members=120, activity_areas=("BDC",), surplus_areas=("BDC",),
            email="society@example.org",
        ),
        founder=founder,
    )  # fmt: skip


def _answers(page: Any) -> dict[str, str]:
    """Check answers as it reads: each question with its answer."""
    found: dict[str, str] = {}
    for row in page.locator(".govuk-summary-list__row").all():
        found[row.locator(".govuk-summary-list__key").inner_text().strip()] = (
            row.locator(".govuk-summary-list__value").inner_text().strip()
        )
    return found


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_a_member_nominates_changes_an_answer_from_check_answers_and_keeps_a_record(
    page: Any, live_site: LiveSite, axe: Accessibility, tmp_path: Path
) -> None:
    _member(live_site)
    _sign_in(page, axe, "gina@example.org")
    page.goto("/community/")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Nominate land"))
    assert "Nominating for Ambridge Pub Society" in page.inner_text("main")
    page.locator("select[name='council']").select_option("BDC")
    _continue(page, axe, "Continue")

    # Nothing is chosen for the group.
    assert page.locator("input[name='category']:checked").count() == 0
    page.locator("[name='name']").fill("The Bull")
    page.locator("[name='address']").fill("1 High Street, Ambridge")
    page.locator("[name='postcode']").fill("BS1 4ND")
    page.locator("[name='ward']").fill("Ambridge Ward")
    _choose(page, "category", "pub")
    _continue(page, axe)
    page.locator("[name='boundary_description']").fill("The pub, its garden and the car park")
    page.locator("[name='latitude_longitude']").fill("52.195, -2.095")
    _continue(page, axe)
    page.locator("[name='occupants']").fill("Bull Inns Ltd")
    page.locator("[name='ownership']").fill("Borchester Brewery plc")
    page.locator("[name='owner_email']").fill("brewery@example.com")
    _continue(page, axe)
    page.locator("[name='reasons']").fill("The only pub in the village; the darts league meets there")
    _continue(page, axe)

    # The words typed before uploading are still there after it.
    typed = "Registered society IP31234; our rules are attached"
    page.locator("[name='eligibility_evidence']").fill(typed)
    rules = tmp_path / "rules.pdf"
    rules.write_bytes(PDF)
    page.locator("input[type='file']").set_input_files(str(rules))
    page.get_by_label("What is it?").fill("Our registered rules")
    _continue(page, axe, "Upload")
    assert "The file has been added to the nomination" in page.inner_text("main")
    assert page.locator("[name='eligibility_evidence']").input_value() == typed
    assert page.get_by_role("link", name="rules.pdf").is_visible()
    _continue(page, axe)
    assert page.locator("input[type='radio']:checked").count() == 0
    for question, answer in {"residence": "no", "caravan_site": "no", "operational_land": "no"}.items():
        _choose(page, question, answer)
    _continue(page, axe)

    # Check answers shows every answer, the file, and "Not provided" for what was skipped.
    answers = _answers(page)
    assert answers["Postcode"] == "BS1 4ND" and answers["Ward"] == "Ambridge Ward"
    assert answers["Location (latitude, longitude)"] == "52.195, -2.095"
    assert "brewery@example.com" in answers["Owners and occupiers to tell"]
    assert answers["A caravan site that needs a site licence"] == "No"
    assert answers["Operational land of a utility or transport company"] == "No"
    assert answers["Unique property reference number (UPRN)"] == "Not provided"
    assert "rules.pdf" in answers["Files"]

    # "Change" goes to the question and comes straight back.
    _follow(page, axe, page.get_by_role("link", name="Change ward"))
    page.locator("[name='ward']").fill("Loxley Ward")
    _continue(page, axe)
    assert page.get_by_role("heading", name="Check your answers before sending the nomination").is_visible()
    assert _answers(page)["Ward"] == "Loxley Ward"

    _continue(page, axe, "Send the nomination")
    main = page.inner_text("main")
    assert page.locator(".govuk-panel").inner_text().startswith("Nomination sent")
    decide_by = periods.compute("acv.nomination_decision", london_date(utcnow())).due
    assert "Decide the nomination" in main and f"{decide_by.day} {decide_by:%B %Y}" in main
    assert "Contact the council" in main and "Borsetshire District Council" in main
    assert "Loxley Ward" in main and typed in main and "rules.pdf" in main  # the record of what was sent
    assert page.get_by_role("link", name="Print this page").is_visible()

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    axe.check(page)
    _no_sideways_scroll(page)
    assert axe.violations == [], "\n".join(axe.violations)
