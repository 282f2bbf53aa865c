"""The officers' work queue: its filters, its overdue and due-this-week flags, and bulk assignment."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.models import Case
from casework.queries import case_summary
from casework.services import compensation
from tests.factories import World, list_pub, make_world, nominate_pub
from tests.functional.web.conftest import sign_in_as
from tests.integration.test_transitions import row_counts

pytestmark = pytest.mark.integration


def options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select class="govuk-select[^"]*" id="{name}" name="{name}">(.*?)</select>', html, re.S)
    assert select, f"no {name} list on the page"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def rows(html: str) -> list[str]:
    return re.findall(r"<span class=\"govuk-body-s\">(BDC-[A-Z]+-\d+):", html)


def put_in_state(db: Database, case_id: uuid.UUID, state: str) -> None:
    """Straight to a state the filter is about: how the case got there is not what is tested here."""
    with db.transaction() as session:
        session.get_one(Case, case_id).state = state


def nominated_days_ago(db: Database, world: World, days: int, name: str) -> str:
    received = london_date(utcnow()) - timedelta(days=days)
    at = datetime.combine(received, time(10), UTC)
    case_id = nominate_pub(db, world, received_on=received, now=at, name=name, uprn=None)
    return case_summary(db, case_id).reference


def test_the_status_filter_offers_each_process_state_once_and_no_drafts(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    offered = options(client.get("/officer/cases").get_data(as_text=True), "state")

    assert offered["acv_listing:review_requested"].endswith("nomination and listing: Listed, review requested")
    assert offered["compensation:review_requested"].startswith("Compensation claim: ")
    assert "acv_listing:appeal_pending" in offered and "compensation:appeal_pending" in offered
    assert not [key for key in offered if key.endswith(":draft")]


def test_picking_a_status_shows_the_cases_of_that_process_only(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = list_pub(sqlite_db, world)
    asset_id = case_summary(sqlite_db, listing).asset_id
    assert asset_id is not None
    claim = compensation.submit_claim(
        sqlite_db, world.officer, asset_id, claim_received_on=date(2026, 5, 1), loss_ended_on=date(2026, 4, 1),
        amount_claimed="1200.00", claim_parts="Legal fees",
    )  # fmt: skip
    put_in_state(sqlite_db, listing, "review_requested")
    put_in_state(sqlite_db, claim.case_id, "review_requested")
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    listings = rows(client.get("/officer/cases?state=acv_listing:review_requested").get_data(as_text=True))
    claims = rows(client.get("/officer/cases?state=compensation:review_requested").get_data(as_text=True))

    assert listings == [case_summary(sqlite_db, listing).reference]
    assert claims == [claim.reference]


def test_the_queue_flags_overdue_and_due_this_week_and_filters_on_them(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    late = nominated_days_ago(sqlite_db, world, 70, "The Plough")  # decided within 8 weeks: due 14 days ago
    soon = nominated_days_ago(sqlite_db, world, 52, "The Swan")  # due in 3 days
    later = nominated_days_ago(sqlite_db, world, 10, "The Crown")  # due in 6 weeks
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    html = client.get("/officer/cases").get_data(as_text=True)

    assert rows(html) == [late, soon, later]  # soonest deadline first
    cells = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)[1:]
    assert "Overdue" in cells[0] and "casework-overdue" in cells[0]
    assert "Due this week" in cells[1] and "Overdue" not in cells[1], cells[1]
    assert "Overdue" not in cells[2] and "Due this week" not in cells[2]
    assert rows(client.get("/officer/cases?due=overdue").get_data(as_text=True)) == [late]
    assert rows(client.get("/officer/cases?due=this_week").get_data(as_text=True)) == [soon]
    assert "1 open case," in client.get("/officer/cases?due=this_week").get_data(as_text=True)


def test_the_queue_filters_on_kind_of_asset_ward_and_assignee(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    plough = nominated_days_ago(sqlite_db, world, 10, "The Plough")
    swan = nominated_days_ago(sqlite_db, world, 11, "The Swan")
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    swan_id = case_summary(sqlite_db, reference=swan).id
    client.post("/officer/cases/assign", data={"cases": [str(swan_id)], "assignee": str(world.officer.user_id)})

    mine = rows(client.get("/officer/cases?assignee=me").get_data(as_text=True))
    nobodys = rows(client.get("/officer/cases?assignee=none").get_data(as_text=True))
    pubs = rows(client.get("/officer/cases?category=pub").get_data(as_text=True))
    libraries = rows(client.get("/officer/cases?category=library").get_data(as_text=True))

    assert (mine, nobodys) == ([swan], [plough])
    assert sorted(pubs) == sorted([plough, swan]) and libraries == []


@pytest.mark.parametrize(
    "query", ["state=listed%3Anope", "workflow=nope", "assignee=not-a-uuid", "due=yesterday", "page=-1"]
)
def test_a_filter_the_queue_does_not_offer_is_a_clear_400(client: FlaskClient, sqlite_db: Database, query: str) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    page = client.get(f"/officer/cases?{query}")

    assert page.status_code == 400
    assert "There is a problem with your request" in page.get_data(as_text=True)


def test_assigning_to_someone_who_is_not_an_id_is_refused_and_assigns_nothing(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    reference = nominated_days_ago(sqlite_db, world, 10, "The Plough")
    case_id = case_summary(sqlite_db, reference=reference).id
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    before = row_counts(sqlite_db)

    posted = client.post("/officer/cases/assign", data={"cases": [str(case_id)], "assignee": "not-a-uuid"})

    assert posted.status_code == 302
    assert "Select who to assign the cases to from the list" in client.get("/officer/cases").get_data(as_text=True)
    assert row_counts(sqlite_db) == before


def test_several_nominations_are_considered_at_once_each_on_its_own_and_refusals_are_reported(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    fresh, stale, considered = (nominated_days_ago(sqlite_db, world, 10, name) for name in ("A", "B", "C"))
    ids = {ref: case_summary(sqlite_db, reference=ref).id for ref in (fresh, stale, considered)}
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    queue = client.get("/officer/cases").get_data(as_text=True)
    versions = dict(re.findall(r'name="version-([0-9a-f-]+)" value="(\d+)"', queue))
    client.post(f"/officer/cases/{considered}/actions/consider", data={"version": versions[str(ids[considered])]})
    with sqlite_db.transaction() as session:  # another officer acted on it after the queue was shown
        session.get_one(Case, ids[stale]).assigned_to = world.other_officer.user_id

    posted = client.post(
        "/officer/cases/bulk/consider",
        data={"cases": [str(i) for i in ids.values()], **{f"version-{i}": versions[str(i)] for i in ids.values()}},
        follow_redirects=True,
    )

    page = posted.get_data(as_text=True)
    assert f"1 case now under consideration: {fresh}." in page
    assert f"Not done: {stale}: Case {stale} was changed by someone else" in page
    assert f"Not done: {considered}: " in page
    assert [case_summary(sqlite_db, ids[ref]).state for ref in (fresh, stale, considered)] == [
        "under_consideration",
        "nomination_received",  # nothing written for the stale one
        "under_consideration",
    ]
