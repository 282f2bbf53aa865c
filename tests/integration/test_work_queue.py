"""The officers' work queue: counts, labels and filters read in a handful of queries, whatever the page size."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from casework.db import Database
from casework.errors import InvalidInput
from casework.queries.queue import PAGE_SIZE, QueuePage, queue_filters, work_queue
from casework.queries.queue_selection import QueueFilters
from casework.services.case_transitions import apply_transition
from tests.factories import T0, World, make_world, nominate_pub

pytestmark = pytest.mark.integration
TODAY = date(2026, 3, 10)


@pytest.fixture
def world(db: Database) -> World:
    world = make_world(db)
    for number in range(3):
        nominate_pub(db, world, name=f"The Bull {number}", uprn=f"10001234567{number}")
    return world


def test_each_row_names_the_deadline_it_is_waiting_for_and_the_total_counts_every_open_case(
    db: Database, world: World
) -> None:
    page = work_queue(db, world.officer, QueueFilters(), today=TODAY)
    assert page.total == 3
    assert [row.next_label for row in page.rows] == ["Decide the nomination"] * 3
    assert {row.next_due for row in page.rows} == {date(2026, 4, 26)}


def test_filtering_by_an_assets_category_counts_only_the_matching_cases(db: Database, world: World) -> None:
    assert work_queue(db, world.officer, QueueFilters(category="pub"), today=TODAY).total == 3
    assert work_queue(db, world.officer, QueueFilters(category="library"), today=TODAY).total == 0


def test_a_page_of_the_queue_takes_the_same_number_of_queries_however_many_rows_it_shows(
    db: Database, world: World
) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        work_queue(db, world.officer, QueueFilters(), today=TODAY)
        three = len(statements)
        nominate_pub(db, world, name="The Swan", uprn="100012345699")
        statements.clear()
        work_queue(db, world.officer, QueueFilters(), today=TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == three


def test_the_pages_of_a_long_queue_list_every_open_case_once_soonest_deadline_first(db: Database) -> None:
    world = make_world(db)
    days = list(range(PAGE_SIZE + 5))
    random.Random(6).shuffle(days)  # noqa: S311 - created in an order unrelated to their deadlines
    for day in days:
        sent = T0 - timedelta(days=PAGE_SIZE + 5 - day)  # a group's nomination is received the day it is sent
        nominate_pub(db, world, name=f"The Plough {day}", uprn=f"2000{day:08d}", received_on=sent.date(), now=sent)
    first = work_queue(db, world.officer, QueueFilters(), today=TODAY)
    second = work_queue(db, world.officer, QueueFilters(page=2), today=TODAY)
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (PAGE_SIZE + 5, 2, PAGE_SIZE, 5)
    dues = [row.next_due for row in (*first.rows, *second.rows)]
    assert dues == sorted(dues) and len(set(dues)) == PAGE_SIZE + 5
    assert len({row.id for row in (*first.rows, *second.rows)}) == PAGE_SIZE + 5
    assert [row.asset_name for row in first.rows[:2]] == ["The Plough 0", "The Plough 1"]  # each row's own asset


@pytest.fixture
def places(db: Database) -> World:
    """Three pubs at 1 High Street, Ambridge, BS1 4ND, received on different days (so due on different days)."""
    world = make_world(db)
    for days_ago, name in ((20, "The Plough"), (40, "The Swan"), (5, "The Crown")):
        sent = T0 - timedelta(days=days_ago)
        nominate_pub(db, world, name=name, uprn=None, received_on=sent.date(), now=sent)
    return world


def references(page: QueuePage) -> list[str]:
    return [row.asset_name or row.reference for row in page.rows]


def test_the_queue_sorts_by_next_deadline_by_received_date_either_way_and_by_status(
    db: Database, places: World
) -> None:
    def sorted_by(sort: str) -> list[str]:
        return references(work_queue(db, places.officer, QueueFilters(sort=sort), today=TODAY))

    considered = next(r.id for r in work_queue(db, places.officer, QueueFilters(), today=TODAY).rows
                      if r.asset_name == "The Crown")  # fmt: skip
    apply_transition(db, considered, "consider", places.officer, now=T0)

    assert sorted_by("due") == ["The Swan", "The Plough", "The Crown"]  # received first, decided first
    assert sorted_by("received_newest") == ["The Crown", "The Plough", "The Swan"]
    assert sorted_by("received_oldest") == ["The Swan", "The Plough", "The Crown"]
    # In the order the listing process goes: received nominations, then those under consideration
    assert sorted_by("status") == ["The Swan", "The Plough", "The Crown"]
    assert [r.state_label for r in work_queue(db, places.officer, QueueFilters(sort="status"), today=TODAY).rows][
        -1
    ] == "Under consideration"


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("swan", ["The Swan"]),  # a name, in any case
        ("HIGH STREET, AMBRIDGE", ["The Swan", "The Plough", "The Crown"]),  # an address
        ("felpersham", []),
        ("bs14nd", ["The Swan", "The Plough", "The Crown"]),  # a postcode, without its space
        ("BS1 4ND", ["The Swan", "The Plough", "The Crown"]),
        ("friends of the", ["The Swan", "The Plough", "The Crown"]),  # the group's name
        ("100%", []),  # LIKE's wildcards are only characters
        ("_", []),
    ],
)
def test_the_queue_finds_cases_by_reference_name_address_or_postcode(
    db: Database, places: World, search: str, found: list[str]
) -> None:
    assert references(work_queue(db, places.officer, QueueFilters(search=search), today=TODAY)) == found


def test_a_search_by_reference_finds_that_case_alone_and_counts_what_it_found(db: Database, places: World) -> None:
    everything = work_queue(db, places.officer, QueueFilters(), today=TODAY)
    reference = everything.rows[1].reference

    found = work_queue(db, places.officer, QueueFilters(search=reference.lower()), today=TODAY)

    assert ([row.reference for row in found.rows], found.total, found.pages) == ([reference], 1, 1)


def test_a_status_of_a_process_lists_that_processes_statuses_only_and_chooses_the_process(
    db: Database, places: World
) -> None:
    filters = queue_filters({"state": "acv_listing:nomination_received"})
    page = work_queue(db, places.officer, filters, today=TODAY)

    assert filters.workflow == "acv_listing"
    assert page.total == 3
    assert all(key.startswith("acv_listing:") for key, _ in page.states)
    assert ("acv_listing:nomination_received", "Nomination received") in page.states
    assert work_queue(db, places.officer, QueueFilters(), today=TODAY).states == ()  # no process chosen: none


@pytest.mark.parametrize(
    ("args", "field"),
    [({"sort": "soonest"}, "sort"), ({"search": "x" * 101}, "search"), ({"search": "nul\x00byte"}, "search")],
)
def test_a_sort_or_search_the_queue_cannot_do_is_refused_naming_it(args: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        queue_filters(args)
    assert list(refused.value.errors) == [field]
