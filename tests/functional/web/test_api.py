"""The JSON API: bearer tokens, the same rules as the pages, and RFC 9457 problem details for every error."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from casework.actors import SYSTEM
from casework.assets import AssetDetails
from casework.clock import london_date, utcnow
from casework.db import Database
from casework.examples import load
from casework.models import Case
from casework.queries import case_summary
from casework.repositories import councils
from casework.services import asset_transfers, credentials, deadlines, organisations, policies
from casework.services.organisations import OrganisationDetails
from tests.factories import World, list_pub, make_world, nominate_pub, owners_notice
from tests.functional.web.conftest import sign_in_as
from tests.integration.test_transitions import row_counts
from workflows.eligibility import BodyType
from workflows.roles import Role

pytestmark = pytest.mark.integration


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_for(db: Database, world: World, role: Role) -> str:
    actor = {Role.OFFICER: world.officer, Role.COMMUNITY_MEMBER: world.member, Role.OWNER: world.owner}[role]
    assert actor.user_id is not None
    code = world.code if role is Role.OFFICER else None
    return credentials.create_api_token(db, actor.user_id, "tests", role, council_code=code).token


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body: dict[str, Any] = response.get_json()
    assert {"type", "title", "status"} <= body.keys() and body["status"] == status
    return body


def test_a_token_made_on_the_account_page_is_shown_once_and_works_until_revoked(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    page = client.post("/account/tokens", data={"name": "Register export"}).get_data(as_text=True)
    token = re.search(r"(cw_[A-Za-z0-9_-]{20,})", page)
    assert token
    assert client.get("/api/v1/cases", headers=bearer(token.group(1))).status_code == 200
    assert token.group(1) not in client.get("/account/").get_data(as_text=True)  # never shown again
    token_id = re.search(r"/account/tokens/([0-9a-f-]{36})/revoke", client.get("/account/").get_data(as_text=True))
    assert token_id
    client.post(f"/account/tokens/{token_id.group(1)}/revoke")
    problem(client.get("/api/v1/cases", headers=bearer(token.group(1))), 401)


def test_a_request_without_a_token_or_with_a_bad_one_gets_a_problem(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)
    assert problem(client.get("/api/v1/cases"), 401)["title"] == "A bearer token is needed"
    assert problem(client.get("/api/v1/cases", headers=bearer("cw_nonsense")), 401)["title"] == "The token is not valid"
    assert problem(client.get("/api/v1/no-such-thing"), 404)["title"] == "Page not found"


def test_an_officer_lists_and_reads_cases_and_applies_an_action_with_the_version_seen(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    case_id = nominate_pub(sqlite_db, world)
    reference = case_summary(sqlite_db, case_id).reference
    headers = bearer(token_for(sqlite_db, world, Role.OFFICER))
    listed = client.get("/api/v1/cases", headers=headers).get_json()
    assert [row["reference"] for row in listed["cases"]] == [reference]
    case = client.get(f"/api/v1/cases/{reference}", headers=headers).get_json()
    assert case["state"] == "nomination_received"
    assert {action["trigger"] for action in case["actions"]} == {"consider", "reject", "withdraw"}
    assert case["dates"][0]["rule"] == "acv.nomination_decision"

    applied = client.post(
        f"/api/v1/cases/{reference}/transitions",
        headers=headers,
        json={"trigger": "consider", "expected_version": case["version"]},
    )
    assert applied.status_code == 200 and applied.get_json()["state"] == "under_consideration"

    member = bearer(token_for(sqlite_db, world, Role.COMMUNITY_MEMBER))
    before = row_counts(sqlite_db)
    stale = client.post(
        f"/api/v1/cases/{reference}/transitions",
        headers=headers,
        json={"trigger": "reject", "expected_version": case["version"], "data": {}},
    )
    assert problem(stale, 409)["type"].endswith("/case-changed")
    invalid = client.post(
        f"/api/v1/cases/{reference}/transitions",
        headers=headers,
        json={
            "trigger": "list",
            "expected_version": applied.get_json()["version"],
            "data": {"decided_on": "2026-02-30", "reasons": "Valued"},
        },
    )
    body = problem(invalid, 422)
    assert body["errors"]["decided_on"] == "The date of the decision must be a real date, like 2026-03-27"
    assert body["errors"]["entry_date"] == "Enter the date of the entry in the list"
    not_allowed = client.post(
        f"/api/v1/cases/{reference}/transitions",
        headers=headers,
        json={"trigger": "expire", "expected_version": applied.get_json()["version"]},
    )
    refused = problem(not_allowed, 422)
    assert refused["detail"] == (
        "You cannot end the listing after 5 years when the case is under consideration (LA 2011 s.87(3))"
    )
    assert refused["citations"] == ["LA 2011 s.87(3)"]  # every refusal cites its rule
    wrong_role = client.post(
        f"/api/v1/cases/{reference}/transitions",
        headers=member,
        json={"trigger": "list", "expected_version": applied.get_json()["version"]},
    )
    assert problem(wrong_role, 403)["detail"] == "A community member cannot list the asset (LA 2011 s.90(3)-(4), s.91)"
    assert problem(client.post(f"/api/v1/cases/{reference}/transitions", headers=headers, data="not json"), 422)
    assert row_counts(sqlite_db) == before  # nothing half-written


def test_another_councils_token_cannot_read_a_case(client: FlaskClient, sqlite_db: Database) -> None:
    world, other = make_world(sqlite_db), make_world(sqlite_db, code="XDC")
    reference = case_summary(sqlite_db, nominate_pub(sqlite_db, world)).reference
    headers = bearer(token_for(sqlite_db, other, Role.OFFICER))
    assert problem(client.get(f"/api/v1/cases/{reference}", headers=headers), 403)["detail"] == (
        "You can only work on cases of your own council"
    )


def test_a_group_nominates_through_the_api_and_the_owner_gives_notice(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    member = bearer(token_for(sqlite_db, world, Role.COMMUNITY_MEMBER))
    nomination = {
        "council": "BDC",
        "organisation_id": str(world.group_id),
        "asset": {"name": "The Swan", "address": "2 River Road", "category": "pub", "point": "POINT (-2.1 52.2)"},
        "boundary_description": "The building and garden",
        "occupants": "Not known",
        "ownership": "Not known",
        "reasons": "Village pub",
        "eligibility_evidence": "CLG 01234567",
    }
    created = client.post("/api/v1/nominations", headers=member, json=nomination)
    assert created.status_code == 201 and created.headers["Location"].endswith(created.get_json()["reference"])
    bad = client.post("/api/v1/nominations", headers=member, json={**nomination, "asset": {"name": "X", "colour": 1}})
    assert problem(bad, 422)["errors"] == {"asset.colour": "Unknown field", "asset.address": "Give this field"}

    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    owner = bearer(token_for(sqlite_db, world, Role.OWNER))
    notice = client.post(
        f"/api/v1/assets/{listing.asset_id}/owner-notices",
        headers=owner,
        json={"disposal_type": "freehold", "vacant_possession": True},
    )
    assert notice.status_code == 201 and notice.get_json()["state"] == "interim_moratorium"
    again = client.post(
        f"/api/v1/assets/{listing.asset_id}/owner-notices",
        headers=owner,
        json={"disposal_type": "freehold", "vacant_possession": True},
    )
    assert "A protected period from an earlier notice is still running" in problem(again, 422)["detail"]
    bid = client.post(
        f"/api/v1/cases/{notice.get_json()['reference']}/bidder-requests",
        headers=member,
        json={"organisation_id": str(world.group_id)},
    )
    assert bid.status_code == 201 and bid.get_json()["state"] == "full_moratorium"


def test_an_officer_records_a_bid_request_received_in_the_interim_period_after_it_was_shown_as_ended(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    received = london_date(utcnow()) - timedelta(days=60)  # the interim period ended 18 days ago
    cycle = owners_notice(sqlite_db, world, list_pub(sqlite_db, world), received_on=received,
                          now=datetime.combine(received, time(12), tzinfo=UTC))  # fmt: skip
    deadlines.sweep(sqlite_db)
    reference = case_summary(sqlite_db, cycle).reference
    member, officer = (bearer(token_for(sqlite_db, world, role)) for role in (Role.COMMUNITY_MEMBER, Role.OFFICER))
    in_time = {"organisation_id": str(world.group_id), "received_on": (received + timedelta(days=30)).isoformat()}

    late = client.post(f"/api/v1/cases/{reference}/bidder-requests", headers=member, json=in_time)
    assert "was after the time limit ended" in problem(late, 422)["detail"]  # a group's request is received today
    recorded = client.post(f"/api/v1/cases/{reference}/bidder-requests", headers=officer, json=in_time)
    assert recorded.status_code == 201 and recorded.get_json()["state"] == "full_moratorium"
    assert case_summary(sqlite_db, cycle).facts["request_received_on"] == in_time["received_on"]


def test_an_officer_recording_a_bid_request_is_told_when_the_case_changed_or_the_group_is_not_the_councils(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    received = london_date(utcnow()) - timedelta(days=7)
    cycle = owners_notice(sqlite_db, world, list_pub(sqlite_db, world), received_on=received,
                          now=datetime.combine(received, time(12), tzinfo=UTC))  # fmt: skip
    summary = case_summary(sqlite_db, cycle)
    officer = bearer(token_for(sqlite_db, world, Role.OFFICER))
    with sqlite_db.reader() as session:
        neighbour = councils.get_by_code(session, "BDN").id
    elsewhere = organisations.register_organisation(sqlite_db, neighbour, OrganisationDetails(
        name="Felpersham Friends", body_type=BodyType.COMPANY_LIMITED_BY_GUARANTEE, company_number="07777777",
        activity_areas=("BDN",), surplus_areas=("BDN",)))  # fmt: skip
    url = f"/api/v1/cases/{summary.reference}/bidder-requests"

    stale = client.post(url, headers=officer, json={"organisation_id": str(world.group_id),
                                                    "expected_version": summary.version - 1})  # fmt: skip
    assert problem(stale, 409)
    foreign = client.post(url, headers=officer, json={"organisation_id": str(elsewhere)})
    assert "no such group registered with this council" in problem(foreign, 404)["detail"]
    assert case_summary(sqlite_db, cycle).version == summary.version  # neither wrote anything
    recorded = client.post(url, headers=officer, json={"organisation_id": str(world.group_id),
                                                       "expected_version": summary.version})  # fmt: skip
    assert recorded.status_code == 201 and recorded.get_json()["state"] == "full_moratorium"


def test_the_openapi_document_describes_every_api_route(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    routes = {
        rule.rule.replace("<", "{").replace(">", "}").replace("uuid:", "")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
    }
    assert routes == set(document["paths"])


def test_public_api_routes_need_no_token(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)
    period = client.get("/api/v1/periods/moratorium.full?start=2025-09-05").get_json()
    assert period["due"] == "2026-03-04"
    assert problem(client.get("/api/v1/periods/moratorium.full?start=soon"), 422)["errors"] == {
        "start": "Give start as a date, like 2025-09-05"
    }
    assert client.get("/api/v1/register").get_json() == {
        "entries": [],
        "page": 1,
        "pages": 1,
        "total": 0,
        "links": {
            "self": "https://casework.example/api/v1/register?page=1",
            "first": "https://casework.example/api/v1/register?page=1",
            "last": "https://casework.example/api/v1/register?page=1",
        },
    }


def test_an_asset_transfer_runs_through_the_api_from_enquiry_to_the_panels_ranking(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    policies.publish(
        sqlite_db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    library = asset_transfers.offer_asset(sqlite_db, world.officer, AssetDetails(name="Library", address="The Green"))
    group, officer = (
        bearer(token_for(sqlite_db, world, Role.COMMUNITY_MEMBER)),
        bearer(token_for(sqlite_db, world, Role.OFFICER)),
    )
    enquiry = {"asset_id": str(library), "organisation_id": str(world.group_id), "proposed_use": "A library"}
    bad = client.post("/api/v1/asset-transfers", json={**enquiry, "tenure_sought": "timeshare"}, headers=group)
    assert "tenure_sought" in problem(bad, 422)["errors"]
    made = client.post("/api/v1/asset-transfers", json={**enquiry, "tenure_sought": "lease"}, headers=group)
    assert made.status_code == 201 and made.get_json()["state"] == "enquiry"
    reference = made.get_json()["reference"]
    with sqlite_db.transaction() as session:  # the stages between are tested elsewhere
        session.get_one(Case, uuid.UUID(made.get_json()["case_id"])).state = "panel_assessment"
    assert problem(client.get(f"/api/v1/cases/{reference}/scores", headers=group), 403)
    refused = client.post(f"/api/v1/cases/{reference}/scores", json={"criterion": "benefit", "score": 9,
                          "comment": "x"}, headers=officer)  # fmt: skip
    assert (
        problem(refused, 422)["errors"]["score"]
        == "A score for outcomes, evidenced need and community benefit is from 0 to 5"
    )
    for criterion in ("benefit", "activities", "suitability", "track_record", "finance", "support"):
        scored = client.post(f"/api/v1/cases/{reference}/scores", json={"criterion": criterion, "score": 4,
                             "comment": "Good"}, headers=officer)  # fmt: skip
        assert scored.status_code == 200
        agreed = client.post(f"/api/v1/cases/{reference}/moderated-scores", json={"criterion": criterion,
                             "score": 4}, headers=officer)  # fmt: skip
    sheet = agreed.get_json()
    assert sheet["result"]["weighted_percent"] == "80.00" and sheet["result"]["recommend"] is True
    ranking = client.get(f"/api/v1/assets/{library}/applications", headers=officer).get_json()
    assert [(row["reference"], row["rank"]) for row in ranking["applications"]] == [(reference, 1)]


def test_a_challenge_and_a_scottish_request_are_made_through_the_api(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    policies.publish(sqlite_db, SYSTEM, "BDC", "challenge", load("challenge"), effective_from=date(2026, 1, 1))
    group = bearer(token_for(sqlite_db, world, Role.COMMUNITY_MEMBER))
    eoi = {
        "council": "BDC",
        "organisation_id": str(world.group_id),
        "service": "parks",
        "geographical_area": "Ambridge",
        "financial_resources": "£12,000",
        "capability_evidence": "Volunteers",
        "outcomes_wellbeing": "Planting",
        "outcomes_user_needs": "Clear paths",
    }
    missing = client.post("/api/v1/challenges", json={**eoi, "financial_resources": ""}, headers=group)
    assert set(problem(missing, 422)["errors"]) == {"financial_resources"}
    sent = client.post("/api/v1/challenges", json=eoi, headers=group)
    assert sent.status_code == 201 and sent.get_json()["state"] == "eoi_received"
    library = asset_transfers.offer_asset(sqlite_db, world.officer, AssetDetails(name="Library", address="The Green"))
    request = {"asset_id": str(library), "organisation_id": str(world.group_id), "request_type": "lease"}
    wrong_country = client.post("/api/v1/transfer-requests", json=request, headers=group)
    assert "is in England" in problem(wrong_country, 409)["detail"]


def test_a_refused_token_is_answered_with_the_bearer_challenge(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)

    missing = client.get("/api/v1/cases")
    revoked = client.get("/api/v1/cases", headers=bearer("cw_nonsense"))

    assert missing.headers["WWW-Authenticate"] == 'Bearer realm="casework"'
    assert revoked.headers["WWW-Authenticate"] == 'Bearer realm="casework", error="invalid_token"'


@pytest.mark.parametrize("start", ["9999-12-31", "9999-07-01"])
def test_a_period_that_would_end_after_the_calendar_does_is_a_clear_422(client: FlaskClient, start: str) -> None:
    body = problem(client.get(f"/api/v1/periods/moratorium.full?start={start}"), 422)

    assert body["errors"] == {"start": "Give an earlier start: the period would end after the year 9999"}


def test_a_period_from_before_its_rule_existed_is_a_422_naming_the_commencement(client: FlaskClient) -> None:
    body = problem(client.get("/api/v1/periods/moratorium.full?start=2011-01-01"), 422)

    reason = (
        "The period moratorium.full (Full moratorium) cannot run from Saturday 1 January 2011: it came into force on "
        "Friday 21 September 2012, when the assets of community value regime commenced (ACV Regs (SI 2012/2421), "
        "in force 21 September 2012; LA 2011 Part 5 Ch.3)"
    )
    assert body["type"].endswith("/rule-not-in-force") and body["detail"] == reason
    assert body["errors"] == {"start": reason}
    assert body["citations"] == ["ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3"]


NOMINATION = {
    "council": "BDC",
    "asset": {"name": "The Bull", "address": "1 High Street, Ambridge", "category": "pub"},
    "boundary_description": "The building and garden",
    "occupants": "Bull Inns Ltd",
    "ownership": "Borchester Brewery plc",
    "reasons": "The only pub in the village",
    "eligibility_evidence": "CLG 01234567",
}


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"asset": {"name": "The Bull", "address": "1 High Street", "title_numbers": 5}},
         {"asset.title_numbers": "Give a list"}),
        ({"land": [1]}, {"land": "Give an object"}),
        ({"owners": 5}, {"owners": "Give a list"}),
        ({"asset": {"name": "The Bull", "address": "1 High Street", "uprn": [1]}}, {"asset.uprn": "Give text or null"}),
        ({"owners": [{"kind": "landlord"}]}, {"owners.0.name": "Give this field",
                                               "owners.0.kind": "Give one of: agent, freeholder, leaseholder, "
                                               "occupier, owner"}),
        ({"organisation_id": "not-an-id", "surprise": True}, {"organisation_id": "Give a valid id",
                                                              "surprise": "Unknown field"}),
    ],
    ids=["title numbers not a list", "land not an object", "owners not a list", "uprn a list",
         "an owner without a name", "a bad id and an unknown field"],
)  # fmt: skip
def test_a_nomination_of_the_wrong_shape_is_a_422_naming_each_field_and_writes_nothing(
    client: FlaskClient, sqlite_db: Database, change: dict[str, Any], errors: dict[str, str]
) -> None:
    world = make_world(sqlite_db)
    headers = bearer(token_for(sqlite_db, world, Role.COMMUNITY_MEMBER))
    before = row_counts(sqlite_db)

    response = client.post(
        "/api/v1/nominations", headers=headers, json={**NOMINATION, "organisation_id": str(world.group_id), **change}
    )

    assert problem(response, 422)["errors"] == errors
    assert row_counts(sqlite_db) == before


def test_a_nomination_of_the_right_shape_is_received(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    headers = bearer(token_for(sqlite_db, world, Role.COMMUNITY_MEMBER))

    response = client.post(
        "/api/v1/nominations",
        headers=headers,
        json={**NOMINATION, "organisation_id": str(world.group_id), "land": {"residence": False},
              "owners": [{"name": "Borchester Brewery plc", "email": "brewery@example.com"}]},
    )  # fmt: skip

    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["state"] == "nomination_received"
