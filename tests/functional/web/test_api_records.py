"""The API's other operations: claims, reviews, exempt disposals, notes, assignment, lists, reports, groups."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.queries import case_summary
from tests.factories import World, list_pub, make_world, nominate_pub, owners_notice
from tests.functional.web.test_api import bearer, problem, token_for
from tests.functional.web.test_parties import cycle_with_bidder
from tests.integration.test_transitions import row_counts
from workflows.roles import Role

pytestmark = pytest.mark.integration


def headers(db: Database, world: World, role: Role) -> dict[str, str]:
    return bearer(token_for(db, world, role))


def test_an_owner_claims_compensation_and_records_an_exempt_disposal(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    owner = headers(sqlite_db, world, Role.OWNER)

    claim = client.post(
        f"/api/v1/assets/{listing.asset_id}/compensation-claims",
        headers=owner,
        json={
            "loss_ended_on": london_date(utcnow()).isoformat(),
            "amount_claimed": "1250.00",
            "claim_parts": "Legal fees",
        },
    )
    bad = client.post(
        f"/api/v1/assets/{listing.asset_id}/compensation-claims", headers=owner, json={"amount_claimed": "lots"}
    )
    exempt = client.post(
        f"/api/v1/assets/{listing.asset_id}/exempt-disposals",
        headers=owner,
        json={"disposal_entered_on": "2026-11-01", "exemption": "family", "details": "To my daughter"},
    )

    assert claim.status_code == 201, claim.get_data(as_text=True)
    assert case_summary(sqlite_db, reference=claim.get_json()["reference"]).workflow == "compensation"
    assert problem(bad, 422)["errors"] == {
        "amount_claimed": "Give a value in the documented format",
        "loss_ended_on": "Give this field",
        "claim_parts": "Give this field",
    }
    assert exempt.status_code == 201, exempt.get_data(as_text=True)
    assert exempt.get_json()["state"] == "exempt_disposal_recorded"


def test_an_owner_asks_for_a_review_with_the_version_seen_and_a_stale_one_is_refused(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    owner = headers(sqlite_db, world, Role.OWNER)
    before = row_counts(sqlite_db)

    stale = client.post(f"/api/v1/cases/{listing.reference}/review-requests", headers=owner,
                        json={"expected_version": listing.version - 1})  # fmt: skip
    assert problem(stale, 409)["type"].endswith("/case-changed")
    assert row_counts(sqlite_db) == before
    late = client.post(f"/api/v1/cases/{listing.reference}/review-requests", headers=owner,
                       json={"expected_version": listing.version})  # fmt: skip

    assert "after the time limit ended" in problem(late, 422)["detail"]  # 8 weeks from the March notice


def test_nominations_and_owners_notices_are_listed_for_whoever_may_read_them(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    cycle = case_summary(
        sqlite_db,
        owners_notice(sqlite_db, world, listing.id, received_on=date(2026, 4, 1), now=datetime(2026, 4, 1, tzinfo=UTC)),
    )
    other = make_world(sqlite_db, code="XDC")
    nominate_pub(sqlite_db, other, name="The Feathers", uprn=None)

    def references(path: str, who: dict[str, str], key: str) -> list[str]:
        return [row["reference"] for row in client.get(path, headers=who).get_json()[key]]

    officer, member, owner = (headers(sqlite_db, world, role) for role in (Role.OFFICER, Role.COMMUNITY_MEMBER,
                                                                             Role.OWNER))  # fmt: skip
    assert references("/api/v1/nominations", officer, "nominations") == [listing.reference]
    assert references("/api/v1/nominations", member, "nominations") == [listing.reference]
    assert references("/api/v1/owner-notices", owner, "owner_notices") == [cycle.reference]
    assert references("/api/v1/owner-notices", member, "owner_notices") == [cycle.reference]  # the nominator
    assert client.get(f"/api/v1/owner-notices/{cycle.reference}", headers=owner).get_json()["state"] == (
        "interim_moratorium"
    )
    problem(client.get(f"/api/v1/nominations/{cycle.reference}", headers=owner), 404)
    problem(client.get(f"/api/v1/nominations/{listing.reference}", headers=headers(sqlite_db, other, Role.OFFICER)),
            403)  # fmt: skip


def test_a_cycles_bidder_requests_are_listed_and_each_read_alone(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    reference, _, group = cycle_with_bidder(sqlite_db, world)
    officer = headers(sqlite_db, world, Role.OFFICER)

    listed = client.get(f"/api/v1/cases/{reference}/bidder-requests", headers=officer).get_json()["bidder_requests"]
    one = client.get(f"/api/v1/cases/{reference}/bidder-requests/{group}", headers=officer)
    none = client.get(f"/api/v1/cases/{reference}/bidder-requests/{world.group_id}", headers=officer)

    assert [(r["organisation_id"], r["group"]) for r in listed] == [(str(group), "Ambridge Pub Society")]
    assert one.get_json()["received_on"] == listed[0]["received_on"]
    problem(none, 404)


def test_staff_read_and_add_internal_and_public_notes_and_others_read_only_the_public_ones(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    officer, member = headers(sqlite_db, world, Role.OFFICER), headers(sqlite_db, world, Role.COMMUNITY_MEMBER)
    url = f"/api/v1/cases/{listing.reference}/notes"

    internal = client.post(url, headers=officer, json={"text": "Owner rang; unhappy"})
    public = client.post(url, headers=officer, json={"text": "Site visit on 3 April", "public": True})
    refused = client.post(url, headers=member, json={"text": "We were here first"})

    assert internal.status_code == public.status_code == 201
    assert [(n["text"], n["public"]) for n in client.get(url, headers=officer).get_json()["notes"]] == [
        ("Site visit on 3 April", True),
        ("Owner rang; unhappy", False),
    ]
    assert [n["text"] for n in client.get(url, headers=member).get_json()["notes"]] == ["Site visit on 3 April"]
    problem(refused, 403)
    assert problem(client.post(url, headers=officer, json={"text": ""}), 422)["errors"] == {"text": "Must not be empty"}


def test_an_officer_assigns_a_case_and_filters_the_list_as_the_queue_does(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    reference = case_summary(sqlite_db, nominate_pub(sqlite_db, world)).reference
    officer = headers(sqlite_db, world, Role.OFFICER)

    assigned = client.put(f"/api/v1/cases/{reference}/assignment", headers=officer,
                          json={"assignee": str(world.officer.user_id)})  # fmt: skip
    mine = client.get("/api/v1/cases?assignee=me&workflow=acv_listing&state=nomination_received", headers=officer)
    nobodys = client.get("/api/v1/cases?assignee=none", headers=officer)
    bad = client.get("/api/v1/cases?due=someday&state=listed:nope", headers=officer)

    assert assigned.get_json() == {"reference": reference, "assigned_to": "Officer"}
    assert [row["reference"] for row in mine.get_json()["cases"]] == [reference]
    assert nobodys.get_json()["cases"] == []
    assert set(problem(bad, 422)["errors"]) == {"due", "state"}
    unassigned = client.put(f"/api/v1/cases/{reference}/assignment", headers=officer, json={"assignee": None})
    assert unassigned.get_json()["assigned_to"] is None


def test_reports_are_for_staff_and_a_group_reads_its_own_profile(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    list_pub(sqlite_db, world)
    officer, member = headers(sqlite_db, world, Role.OFFICER), headers(sqlite_db, world, Role.COMMUNITY_MEMBER)
    stranger = headers(sqlite_db, make_world(sqlite_db, code="XDC"), Role.COMMUNITY_MEMBER)

    decisions = client.get("/api/v1/reports/decisions", headers=officer).get_json()
    profile = client.get(f"/api/v1/groups/{world.group_id}", headers=member).get_json()

    assert [row["outcome"] for row in decisions["rows"]] == ["Listed"]
    problem(client.get("/api/v1/reports/decisions", headers=member), 403)
    problem(client.get("/api/v1/reports/nope", headers=officer), 404)
    assert profile["name"] == "Friends of the Bull" and profile["vcb"]["ok"] is True
    problem(client.get(f"/api/v1/groups/{world.group_id}", headers=stranger), 403)
