"""The officer sees what each party submitted: the nomination's answers grouped as its pages asked them, and the
files the group uploaded beside the answers they support; an application's answers beside the panel's criteria."""

from __future__ import annotations

import io
import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.models import Case
from casework.queries import case_summary
from tests.factories import list_pub, make_world
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_api import bearer, token_for
from tests.functional.web.test_owner import recent_listing
from tests.integration.test_asset_transfer import setup, to_panel
from workflows.periods import long_date
from workflows.roles import Role

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submitted_part(page: str) -> str:
    """The 'What was submitted' part of the officer's case page, up to the dates that follow it."""
    end = r'(?:<table class="govuk-table">|<h2 class="govuk-heading-m">What has)'
    found = re.search(r'id="submitted">(.*?)' + end, page, re.S)
    assert found, "the case page has no 'What was submitted' section"
    return found.group(1)


def nominate_through_the_pages(client: FlaskClient) -> str:
    start = client.get("/community/nominations/new").get_data(as_text=True)
    group_id = re.search(r'name="group" type="radio" value="([^"]+)"', start) or re.search(
        r'name="group" type="hidden" value="([^"]+)"', start
    )
    assert group_id, start[-2000:]
    begun = client.post("/community/nominations/new", data={"group": group_id.group(1), "council": "BDC"})
    reference = begun.headers["Location"].split("/")[3]
    answers = {
        "asset": {"name": "The Bull", "address": "1 High Street, Ambridge", "postcode": "BS1 4ND", "category": "pub",
                  "ward": "Ambridge Ward", "parishes": "Ambridge"},
        "land": {"boundary_description": "The pub, its garden and the car park",
                 "latitude_longitude": "52.195, -2.095"},
        "people": {"occupants": "Bull Inns Ltd, tenant", "ownership": "Borchester Brewery plc, Brewery Lane",
                   "owner_email": "brewery@example.com"},
        "reasons": {"reasons": "The only pub in the village; the cricket club meets there"},
        "evidence": {"eligibility_evidence": "Community benefit society IP31234 with 90 local members"},
        "listability": {"residence": "yes", "residence_partly": "yes", "caravan_site": "no", "operational_land": "no"},
    }  # fmt: skip
    for step, data in answers.items():
        assert client.post(f"/community/nominations/{reference}/{step}", data=data).status_code == 302, step
    uploaded = client.post(
        f"/community/nominations/{reference}/evidence-file",
        data={"file": (io.BytesIO(PDF), "society-rules.pdf"), "description": "Our registered rules"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    check = client.get(f"/community/nominations/{reference}/check").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', check)
    assert version
    sent = client.post(f"/community/nominations/{reference}/check", data={"version": version.group(1)})
    assert sent.status_code == 302
    return reference


def test_the_officer_reads_the_whole_nomination_with_the_groups_evidence_beside_it(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = nominate_through_the_pages(client)

    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    page = client.get(f"/officer/cases/{reference}")
    assert page.status_code == 200
    submitted = submitted_part(page.get_data(as_text=True))
    for shown in (
        "The nomination",
        "The land and its boundaries (reg.6(a))",
        "The pub, its garden and the car park",
        "52.195, -2.095",
        "Bull Inns Ltd, tenant",
        "Borchester Brewery plc, Brewery Lane",
        "brewery@example.com",
        "Why it matters to the community (reg.6(c))",
        "The only pub in the village; the cricket club meets there",
        "Community benefit society IP31234 with 90 local members",
        "Someone&#39;s home, or land that goes with a home",
        "Ambridge Ward",
    ):
        assert shown in submitted, shown
    evidence = submitted.split("Why the group can nominate (reg.6(d))")[1].split("Land that cannot be listed")[0]
    assert "society-rules.pdf" in evidence and "Our registered rules" in evidence  # beside the answer it supports
    listability = submitted.split("Land that cannot be listed")[1]
    assert re.search(r"only part of the building\s*</dt>\s*<dd[^>]*>\s*<span[^>]*>Yes", listability)
    assert re.search(r"caravan site that needs a site licence\s*</dt>\s*<dd[^>]*>\s*<span[^>]*>No", listability)


def test_the_panel_sees_the_enquiry_expression_of_interest_and_business_case(
    client: FlaskClient, sqlite_db: Database
) -> None:
    s = setup(sqlite_db)
    case_id = to_panel(sqlite_db, s)
    reference = case_summary(sqlite_db, case_id).reference
    sign_in_as(client, sqlite_db, s.world.officer.user_id, "officer:BDC")

    case = submitted_part(client.get(f"/officer/cases/{reference}").get_data(as_text=True))
    for shown in (
        "The enquiry", "A community library", "Long lease",
        "The expression of interest", "Lending, homework club", "Runs the village hall", "Grants and room hire",
        "The business case", "Lottery", "Board of 9", "20 April 2026",
    ):  # fmt: skip
        assert shown in case, shown

    scores = client.get(f"/officer/cases/{reference}/scores").get_data(as_text=True)
    application = scores.split('id="application"')[1]
    for shown in ("A community library", "Lending, homework club", "Lottery", "Board of 9"):
        assert shown in application, shown


def test_the_officer_reads_the_owners_notice_the_request_to_bid_and_the_compensation_claim(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    notice = client.post(
        f"/owner/land/{listing.asset_id}/notice",
        data={"disposal_type": "freehold", "vacant_possession": "yes", "stage": "send"},
    )
    assert notice.status_code == 302
    today = london_date(utcnow())
    claim = client.post(
        f"/owner/land/{listing.asset_id}/claim",
        data={"loss_ended_on": [str(today.day), str(today.month), str(today.year)], "amount_claimed": "1250.50",
              "claim_parts": "Surveyor's fees: 400\nLegal advice: 850.50", "public_body": "no"},
    )  # fmt: skip
    assert claim.status_code == 302
    with sqlite_db.reader() as session:
        cycle, claimed = (
            session.scalars(select(Case.reference).where(Case.workflow == name)).one()
            for name in ("moratorium", "compensation")
        )
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    assert client.post(f"/community/bids/{cycle}", data={"group": str(world.group_id)}).status_code == 302

    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    moratorium = submitted_part(client.get(f"/officer/cases/{cycle}").get_data(as_text=True))
    for shown in ("The owner&#39;s notice of intended sale", "Sale of the freehold", long_date(today),
                  "A request to be treated as a potential bidder", "Friends of the Bull"):  # fmt: skip
        assert shown in moratorium, shown
    compensation = submitted_part(client.get(f"/officer/cases/{claimed}").get_data(as_text=True))
    for shown in ("The claim", "£1,250.50", "Surveyor&#39;s fees: 400", "Legal advice: 850.50"):
        assert shown in compensation, shown


def test_the_officer_reads_the_owners_grounds_for_review_with_the_file_sent_after_them(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, recent_listing(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    asked = client.post(
        f"/cases/{listing.reference}/actions/request_review",
        data={"version": listing.version, "oral_hearing_requested": "yes",
              "review_grounds": "The function room has been closed since 2019"},
    )  # fmt: skip
    assert asked.status_code == 302, asked.get_data(as_text=True)[-2000:]
    uploaded = client.post(
        f"/cases/{listing.reference}/documents",
        data={"file": (io.BytesIO(PDF), "closure-letter.pdf"), "description": "Letter closing the room"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302

    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    submitted = submitted_part(client.get(f"/officer/cases/{listing.reference}").get_data(as_text=True))
    before, review = submitted.split('aria-label="A request for review"')
    for shown in ("Grounds for asking for the review", "The function room has been closed since 2019",
                  "closure-letter.pdf", "Letter closing the room"):  # fmt: skip
        assert shown in review, shown
    assert "closure-letter.pdf" not in before  # not put with the nomination


def test_grounds_for_review_sent_through_the_api_are_shown_to_the_officer(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, recent_listing(sqlite_db, world))
    token = token_for(sqlite_db, world, Role.OWNER)
    asked = client.post(
        f"/api/v1/cases/{listing.reference}/review-requests",
        json={"expected_version": listing.version, "review_grounds": "The room is let to a private tenant"},
        headers=bearer(token),
    )
    assert asked.status_code == 200, asked.get_data(as_text=True)

    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    submitted = submitted_part(client.get(f"/officer/cases/{listing.reference}").get_data(as_text=True))
    review = submitted.split('aria-label="A request for review"')[1]
    assert "The room is let to a private tenant" in review
