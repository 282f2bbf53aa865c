"""The officers' work queue: its filters, its overdue and due-this-week flags, and bulk assignment."""

from __future__ import annotations

import html
import json
import re
import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.models import Case
from casework.queries import case_summary
from casework.queries import queue as queue_module
from casework.services import accounts, compensation
from casework.services.accounts import RoleGrant
from casework.transitions.apply import TransitionResult
from tests.factories import World, list_pub, make_world, nominate_pub
from tests.functional.web.conftest import sign_in_as
from tests.integration.test_transfer_requests_and_challenges import challenge_world, express
from tests.integration.test_transitions import row_counts
from workflows.roles import Role

pytestmark = pytest.mark.integration


def options(html: str, name: str) -> dict[str, str]:
    select = re.search(rf'<select class="govuk-select[^"]*" id="{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {name} list on the page"
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def rows(html: str) -> list[str]:
    return re.findall(r"<span class=\"govuk-body-s\">(BDC-[A-Z]+-\d+):", html)


def awaiting_review(db: Database, world: World) -> tuple[uuid.UUID, TransitionResult]:
    """A listing and a compensation claim on the same pub, each waiting on a reviewer: (listing, claim)."""
    listing = list_pub(db, world)
    asset_id = case_summary(db, listing).asset_id
    assert asset_id is not None
    claim = compensation.submit_claim(
        db, world.officer, asset_id, claim_received_on=date(2026, 5, 1), loss_ended_on=date(2026, 4, 1),
        amount_claimed="1200.00", claim_parts="Legal fees",
    )  # fmt: skip
    put_in_state(db, listing, "review_requested")
    put_in_state(db, claim.case_id, "review_requested")
    return listing, claim


def put_in_state(db: Database, case_id: uuid.UUID, state: str) -> None:
    """Straight to a state the filter is about: how the case got there is not what is tested here."""
    with db.transaction() as session:
        session.get_one(Case, case_id).state = state


def nominated_days_ago(db: Database, world: World, days: int, name: str) -> str:
    received = london_date(utcnow()) - timedelta(days=days)
    at = datetime.combine(received, time(10), UTC)
    case_id = nominate_pub(db, world, received_on=received, now=at, name=name, uprn=None)
    return case_summary(db, case_id).reference


def test_the_status_list_waits_for_a_process_then_offers_that_processes_statuses_only(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    first = client.get("/officer/cases").get_data(as_text=True)
    chosen = client.get("/officer/cases?workflow=compensation").get_data(as_text=True)

    waiting = re.search(r'<select class="govuk-select" id="state" name="state" disabled aria-describedby="state-hint"'
                        r' data-statuses="([^"]*)">(.*?)</select>', first, re.S)  # fmt: skip
    assert waiting, "no status list waiting for a process"
    assert "Choose a process first" in first and re.findall(r"<option[^>]*>([^<]*)<", waiting.group(2)) == [
        "Any status"
    ]
    statuses = json.loads(html.unescape(waiting.group(1)))  # what the page's script fills the list with
    assert ["acv_listing:review_requested", "Listed, review requested"] in statuses["acv_listing"]
    offered = options(chosen, "state")
    assert all(key.startswith("compensation:") and ":" not in label for key, label in offered.items() if key)
    assert offered == dict([("", "Any status"), *statuses["compensation"]])  # the same list the script gives
    assert not [key for key in offered if key.endswith(":draft")]


def test_a_reviewers_landing_shows_the_process_and_status_it_filters_on(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    page = client.get("/officer/cases?state=acv_listing:review_requested").get_data(as_text=True)

    assert re.search(r'<option value="acv_listing" selected>', page)
    assert re.search(r'<option value="acv_listing:review_requested" selected>Listed, review requested</option>', page)


def test_picking_a_status_shows_the_cases_of_that_process_only(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing, claim = awaiting_review(sqlite_db, world)
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


def test_the_chosen_sort_is_shown_and_kept_on_every_page_link(
    client: FlaskClient, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world(sqlite_db)
    newest = [nominated_days_ago(sqlite_db, world, days, f"The Plough {days}") for days in (30, 20, 10)]
    monkeypatch.setattr(queue_module, "PAGE_SIZE", 2)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    first = client.get("/officer/cases?sort=received_newest&category=pub").get_data(as_text=True)
    links = set(re.findall(r'href="(/officer/cases\?[^"]*page=2[^"]*)"', first))
    second = client.get(html.unescape(links.pop())).get_data(as_text=True)

    assert "3 open cases, sorted by received, newest first" in first
    assert re.search(r'<option value="received_newest" selected>Received, newest first</option>', first)
    assert (rows(first), rows(second)) == ([newest[2], newest[1]], [newest[0]])
    assert "sorted by received, newest first" in second


def test_an_officer_finds_a_case_by_its_postcode_and_a_search_too_long_is_shown_on_its_field(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    plough = nominated_days_ago(sqlite_db, world, 10, "The Plough")
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    found = client.get("/officer/cases?search=bs1+4nd").get_data(as_text=True)
    too_long = client.get("/officer/cases?search=" + "x" * 101)
    nothing = client.get("/officer/cases?search=Felpersham").get_data(as_text=True)

    assert rows(found) == [plough] and "1 open case matching &ldquo;bs1 4nd&rdquo;" in found
    assert 'value="bs1 4nd"' in found  # the search stays in its box
    assert too_long.status_code == 400
    page = too_long.get_data(as_text=True)
    assert "govuk-error-summary" in page and 'href="#search"' in page and "Search for 100 characters or fewer" in page
    assert rows(page) == [plough]  # the queue is still there, unsearched
    assert rows(nothing) == [] and "0 open cases matching" in nothing and "No open cases match." in nothing


def test_the_queue_page_has_no_duplicate_ids(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    nominated_days_ago(sqlite_db, world, 10, "The Plough")
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    for query in ("", "?workflow=acv_listing"):
        ids = re.findall(r'\sid="([^"]+)"', client.get(f"/officer/cases{query}").get_data(as_text=True))
        assert [name for name, count in Counter(ids).items() if count > 1] == []
        assert {"assignee", "assign-to"} <= set(ids)


def test_choosing_another_process_after_a_status_drops_the_status_its_list_no_longer_offers(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    plough = nominated_days_ago(sqlite_db, world, 10, "The Plough")
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    page = client.get("/officer/cases?workflow=acv_listing&state=compensation:claim_received").get_data(as_text=True)

    assert rows(page) == [plough]  # every listing case, not none
    assert "state=compensation" not in page  # nor kept in the links the page makes
    assert all(key.startswith("acv_listing:") for key in options(page, "state") if key)


def test_a_challenge_is_listed_by_the_service_it_is_about_beside_its_reference(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = challenge_world(sqlite_db)
    reference = case_summary(sqlite_db, express(sqlite_db, world, "parks", "2026-06-12")).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    page = client.get("/officer/cases").get_data(as_text=True)

    assert rows(page) == [reference]
    link = re.search(rf'<a class="govuk-link" href="/officer/cases/{reference}">([^<]*)</a>', page)
    assert link and link.group(1) == "Parks and open spaces maintenance"


def test_a_reviewer_signs_in_to_every_review_waiting_for_a_decision_whatever_the_process(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    untouched = list_pub(sqlite_db, world, name="The Swan", uprn="100000000002")
    listing, claim = awaiting_review(sqlite_db, world)
    password = "the reviewer's password"
    accounts.create_user(
        sqlite_db, "rhea@example.org", "Rhea", password=password, grants=(RoleGrant(Role.REVIEWER, "BDC"),)
    )

    signed_in = client.post("/account/sign-in", data={"email": "rhea@example.org", "password": password})
    page = client.get(signed_in.headers["Location"]).get_data(as_text=True)

    assert signed_in.headers["Location"] == "/officer/reviews"
    shown = re.findall(r'<span class="govuk-body-s">(BDC-[A-Z]+-\d+)</span>', page)
    assert sorted(shown) == sorted([case_summary(sqlite_db, listing).reference, claim.reference])
    assert case_summary(sqlite_db, untouched).reference not in page
    assert "Compensation" in page or "compensation" in page
