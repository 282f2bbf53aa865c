"""The asset transfer pages officers and groups use: competing applications compared, the expression of interest
assessed criterion by criterion, and a Scottish body's question about the land before its request."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.db import Database
from casework.models import Case
from casework.queries import case_summary
from casework.services import asset_transfers, organisations
from casework.services.organisations import OrganisationDetails
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_api import bearer, token_for
from tests.integration.test_asset_transfer import (
    GOOD,
    NORWICH_EOI,
    Setup,
    advertise,
    member_of_all,
    moment,
    score_all,
    setup,
    step,
    to_panel,
)
from tests.integration.test_transfer_requests_and_challenges import scotland
from workflows.eligibility import BodyType
from workflows.roles import Role

pytestmark = pytest.mark.integration


def group(db: Database, s: Setup, name: str) -> uuid.UUID:
    return organisations.register_organisation(
        db, s.world.council_id, OrganisationDetails(name=name, body_type=BodyType.CHARITY, activity_areas=("BDC",)),
        founder=s.world.member.user_id,
    )  # fmt: skip


def test_the_comparison_page_ranks_the_scored_applications_and_sets_the_closed_one_aside(
    client: FlaskClient, sqlite_db: Database
) -> None:
    s = setup(sqlite_db)
    scored = {
        "Friends of the Bull": GOOD,
        "Ambridge Readers": {**GOOD, "benefit": 3},
        "Loxley Lenders": {**GOOD, "finance": 2},
    }
    owners = {name: s.world.group_id if name == "Friends of the Bull" else group(sqlite_db, s, name) for name in scored}
    member = member_of_all(sqlite_db, s.world)
    cases = {}
    for name, scores in scored.items():
        cases[name] = to_panel(sqlite_db, s, group=owners[name], member=member)
        score_all(sqlite_db, s, cases[name], scores)
        step(sqlite_db, cases[name], "recommend", s.world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    step(sqlite_db, cases["Loxley Lenders"], "refuse", s.world.officer, {"decided_on": "2026-05-20",
         "reasons": "Failed the finance gate"}, "2026-05-20")  # fmt: skip

    sign_in_as(client, sqlite_db, s.world.officer.user_id, f"officer:{s.world.code}")
    page = client.get(f"/officer/assets/{s.asset}/applications").get_data(as_text=True)
    rows = re.findall(r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(.*?)</td>.*?>([^<]+)</a>'
                      r".*?numeric\">([\d.]*)%?</td>", page, re.S)  # fmt: skip
    assert [(rank.strip(), name, percent) for rank, name, percent in rows] == [
        ("1", "Friends of the Bull", "86.00"),
        ("2", "Ambridge Readers", "74.00"),
        ("Closed", "Loxley Lenders", "78.00"),
    ]
    assert "Gate not passed: Financing the running costs scored 2" in page


def test_an_application_that_fails_a_gate_is_listed_after_one_that_passes_however_high_it_scores_and_says_so(
    client: FlaskClient, sqlite_db: Database
) -> None:
    s = setup(sqlite_db)
    scored = {"Loxley Lenders": {**GOOD, "finance": 2}, "Ambridge Readers": {**GOOD, "benefit": 3}}  # 78%, 74%
    groups = {name: group(sqlite_db, s, name) for name in scored}
    member = member_of_all(sqlite_db, s.world)
    for name, scores in scored.items():
        score_all(sqlite_db, s, to_panel(sqlite_db, s, group=groups[name], member=member), scores)
    to_panel(sqlite_db, s, member=member)  # Friends of the Bull: not scored yet

    sign_in_as(client, sqlite_db, s.world.officer.user_id, f"officer:{s.world.code}")
    page = client.get(f"/officer/assets/{s.asset}/applications").get_data(as_text=True)

    rows = re.findall(r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell">(.*?)</td>.*?>([^<]+)</a>'
                      r'.*?numeric">([\d.]*)%?</td>\s*<td class="govuk-table__cell">(?:<strong[^>]*>([^<]+)</strong>)?',
                      page, re.S)  # fmt: skip
    assert [(rank.strip(), name, percent, tag) for rank, name, percent, tag in rows] == [
        ("1", "Ambridge Readers", "74.00", "Passes"),
        ("Not ranked", "Loxley Lenders", "78.00", "Does not pass"),
        ("Not scored", "Friends of the Bull", "", ""),
    ]


def test_an_officer_assesses_the_expression_of_interest_on_its_page_against_each_criterion(
    client: FlaskClient, sqlite_db: Database
) -> None:
    s = setup(sqlite_db)
    case_id = to_panel_until_eoi(sqlite_db, s)
    reference = case_summary(sqlite_db, case_id).reference
    sign_in_as(client, sqlite_db, s.world.officer.user_id, f"officer:{s.world.code}")
    case_page = client.get(f"/officer/cases/{reference}").get_data(as_text=True)
    assert f"/officer/cases/{reference}/eoi-assessment" in case_page  # pass and fail both go to the assessment
    url = f"/officer/cases/{reference}/eoi-assessment"
    sheet = client.get(url).get_data(as_text=True)
    assert "Lease of 7 to 24 years" in sheet  # the tenure the group asked for, in words, not its id
    blank = client.post(url, data={"version": str(case_summary(sqlite_db, case_id).version)})
    assert blank.status_code == 400
    assert f"Select whether it meets: {NORWICH_EOI[0]}" in blank.get_data(as_text=True)

    answers: dict[str, object] = {"version": str(case_summary(sqlite_db, case_id).version),
                                  "assessed_on": ["1", "4", "2026"]}  # fmt: skip
    for number in range(1, len(NORWICH_EOI) + 1):
        answers |= {f"met_{number}": "met", f"reasons_{number}": "Shown in the expression of interest"}
    answers["reasons_1"] = ""
    missing = client.post(url, data=answers)
    assert missing.status_code == 400 and f"Give the reasons for: {NORWICH_EOI[0]}" in missing.get_data(as_text=True)
    answers["reasons_1"] = "Lending and a homework club"
    answers["reasons_3"] = "Ten years running the village hall"
    done = client.post(url, data=answers)
    assert done.status_code == 302
    assessed = case_summary(sqlite_db, case_id)
    assert assessed.state == "business_case_invited"
    assert assessed.facts["eoi_assessment"][2] == {
        "criterion": NORWICH_EOI[2], "met": True, "reasons": "Ten years running the village hall"
    }  # fmt: skip


def to_panel_until_eoi(db: Database, s: Setup) -> uuid.UUID:
    case_id = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    advertise(db, s.world.officer, case_id)
    step(db, case_id, "submit_eoi", s.world.member, {"eoi_received_on": "2026-03-20", "activities": "Lending",
         "community_benefit": "Literacy", "track_record": "Village hall", "running_costs_plan": "Grants",
         "tenure_sought": "lease"}, "2026-03-20")  # fmt: skip
    return case_id


def test_a_scottish_body_asks_about_the_land_first_on_its_own_page(client: FlaskClient, sqlite_db: Database) -> None:
    _officer, member, school = scotland(sqlite_db)
    sign_in_as(client, sqlite_db, member.user_id, "community_member:")
    form = client.get(f"/community/transfers/{school}/question").get_data(as_text=True)
    assert "Ask the council about the land" in form and "section 81(3)" in form
    empty = client.post(f"/community/transfers/{school}/question", data={})
    assert empty.status_code == 200 and "Enter what you want to know about the land" in empty.get_data(as_text=True)
    (body,) = member.organisation_ids
    sent = client.post(f"/community/transfers/{school}/question", follow_redirects=True,
                       data={"group": str(body), "information_sought": "Who holds the title?"})  # fmt: skip
    assert "Request for information about the land sent" in sent.get_data(as_text=True)
    with sqlite_db.reader() as session:
        draft = session.scalars(select(Case).where(Case.asset_id == school)).one()
        assert draft.state == "draft" and draft.facts["information_sought"] == "Who holds the title?"


def test_the_api_assesses_an_expression_of_interest_against_each_criterion_with_the_version_seen(
    client: FlaskClient, sqlite_db: Database
) -> None:
    s = setup(sqlite_db)
    case_id = to_panel_until_eoi(sqlite_db, s)
    reference = case_summary(sqlite_db, case_id).reference
    officer = bearer(token_for(sqlite_db, s.world, Role.OFFICER))
    url = f"/api/v1/cases/{reference}/eoi-assessment"
    sheet = client.get(url, headers=officer).get_json()
    assert list(sheet["criteria"]) == list(NORWICH_EOI) and sheet["version"] == case_summary(sqlite_db, case_id).version
    assert client.get(url, headers=bearer(token_for(sqlite_db, s.world, Role.COMMUNITY_MEMBER))).status_code == 403

    verdicts = [{"criterion": c, "met": True, "reasons": "Shown in the expression of interest"} for c in NORWICH_EOI]
    body = {"assessed_on": "2026-04-01", "expected_version": sheet["version"], "verdicts": verdicts[1:]}
    missing = client.post(url, json=body, headers=officer)
    assert missing.status_code == 422 and f"Select whether it meets: {NORWICH_EOI[0]}" in str(missing.get_json())
    stale = client.post(url, json={**body, "verdicts": verdicts, "expected_version": sheet["version"] - 1},
                        headers=officer)  # fmt: skip
    assert stale.status_code == 409
    verdicts[0] = {"criterion": NORWICH_EOI[0], "met": False, "reasons": "No lending service is proposed"}
    failed = client.post(url, json={**body, "verdicts": verdicts}, headers=officer)
    assert failed.status_code == 200 and failed.get_json()["state"] == "refused"
    assessed = case_summary(sqlite_db, case_id)
    assert assessed.facts["eoi_assessment"][0] == verdicts[0]
