"""The officers' work queue: counts, labels and filters read in a handful of queries, whatever the page size."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from casework.db import Database
from casework.queries.queue import PAGE_SIZE, QueueFilters, work_queue
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
