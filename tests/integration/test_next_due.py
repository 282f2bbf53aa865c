"""Each case's stored next due date (what the work queue sorts and flags by) stays what its deadlines say,
whatever arms, fires, cancels or moves them, and the migration that added it fills it in the same way."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, update

from casework.db import Database
from casework.migrate import alembic_config, upgrade_to_head
from casework.models import Case, Deadline
from casework.models.deadline import FIRED, PENDING
from casework.queries.dashboard import group_cases
from casework.queries.queue import work_queue
from casework.queries.queue_selection import QueueFilters
from casework.services import deadline_retries, deadlines
from casework.services.case_transitions import apply_transition
from tests.factories import World, list_pub, make_world, nominate_pub, owners_notice
from workflows import periods

pytestmark = pytest.mark.integration


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)


def worked_out(db: Database) -> dict[uuid.UUID, tuple[date | None, str | None, bool]]:
    """Each case's next due date worked out afresh in Python from its deadlines, as the queue defines it: an
    escalation that fired after the case last changed state, else the soonest pending deadline."""
    with db.reader() as session:
        cases = session.execute(select(Case.id, Case.state_changed_at)).all()
        rows = session.scalars(select(Deadline)).all()
    found = {}
    for case_id, changed in cases:
        standing = [
            d
            for d in rows
            if d.case_id == case_id
            and (d.status == PENDING or (d.status == FIRED and d.expiry_kind == "escalate" and d.fired_at > changed))
        ]
        first = min(standing, key=lambda d: (d.status == PENDING, d.due_date, d.created_at, d.id), default=None)
        found[case_id] = (
            (first.due_date, first.timer, first.status == FIRED) if first is not None else (None, None, False)
        )
    return found


def stored(db: Database) -> dict[uuid.UUID, tuple[date | None, str | None, bool]]:
    with db.reader() as session:
        return {
            row.id: (row.next_due_date, row.next_due_timer, row.next_due_escalated)
            for row in session.execute(
                select(Case.id, Case.next_due_date, Case.next_due_timer, Case.next_due_escalated)
            )
        }


def queue_row(db: Database, world: World, case_id: uuid.UUID, today: date) -> tuple[date | None, str | None, bool]:
    row = next(r for r in work_queue(db, world.officer, QueueFilters(), today=today).rows if r.id == case_id)
    return row.next_due, row.next_label, row.overdue


def test_a_moratoriums_next_due_date_moves_on_as_each_period_ends(db: Database) -> None:
    world = make_world(db)
    listing = list_pub(db, world)
    received = date(2026, 4, 1)
    interim, _, protected = periods.moratorium_timeline(received)
    cycle = owners_notice(db, world, listing, received_on=received, now=at(received), method="post")

    first = queue_row(db, world, cycle, received)
    deadlines.sweep(db, now=at(interim.due + timedelta(days=1)))  # no group asked to bid: the owner may sell
    then = queue_row(db, world, cycle, interim.due + timedelta(days=1))

    assert first[0] == interim.due and "interim" in (first[1] or "").lower(), first
    assert then[0] == protected.due and then[0] != first[0], then
    assert stored(db) == worked_out(db)


def test_an_undecided_nomination_goes_overdue_when_its_escalation_fires_and_stops_being_when_it_moves_on(
    db: Database,
) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world)  # received 2 March 2026: decided within 8 weeks, by 26 April
    due = date(2026, 4, 26)
    assert queue_row(db, world, case_id, date(2026, 3, 10)) == (due, "Decide the nomination", False)

    assert deadlines.sweep(db, now=at(due + timedelta(days=1), 1)).escalated == 1
    assert stored(db)[case_id] == (due, "decision_due", True)  # overdue, first in the queue, even on its due day
    assert queue_row(db, world, case_id, due)[2] is True
    assert work_queue(db, world.officer, QueueFilters(due="overdue"), today=due).total == 1
    mine = {row.case_id: row for row in group_cases(db, world.member)}[case_id]
    assert (mine.next_label, mine.next_due, mine.overdue) == ("Decide the nomination", due, True)  # the group sees it

    apply_transition(db, case_id, "consider", world.officer, now=at(due + timedelta(days=2)))

    assert stored(db)[case_id][2] is False  # the case moved on: the escalation no longer stands
    assert work_queue(db, world.officer, QueueFilters(due="overdue"), today=due).total == 0
    assert stored(db) == worked_out(db)


def test_a_deadline_given_up_on_leaves_the_queue_and_comes_back_when_an_officer_tries_it_again(db: Database) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world)
    with db.transaction() as session:  # the escalation fails each time it fires, as a broken timer would
        session.execute(update(Deadline).where(Deadline.case_id == case_id).values(timer="no_such_timer"))
    for hour in range(deadline_retries.MAX_ATTEMPTS):
        deadlines.sweep(db, now=at(date(2026, 4, 27), 1) + timedelta(hours=hour))
    assert stored(db)[case_id] == (None, None, False)  # given up on: shown as a problem above the queue instead

    with db.reader() as session:
        deadline_id = session.scalars(select(Deadline.id).where(Deadline.case_id == case_id)).one()
    deadline_retries.retry(db, world.officer, deadline_id, now=at(date(2026, 4, 28)))

    assert stored(db)[case_id] == (date(2026, 4, 26), "no_such_timer", False)
    assert stored(db) == worked_out(db)


def test_the_migration_fills_in_every_existing_cases_next_due_date_as_the_engine_would(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade_to_head(database)
    world = make_world(database)
    nominate_pub(database, world, name="The Plough", uprn="100000000001")
    escalated = nominate_pub(database, world, name="The Swan", uprn="100000000002")
    listing = list_pub(database, world, name="The Crown", uprn="100000000003")
    owners_notice(database, world, listing, received_on=date(2026, 4, 1), now=at(date(2026, 4, 1)))
    deadlines.sweep(database, now=at(date(2026, 4, 27), 1))
    kept = stored(database)
    assert kept[escalated][2] is True and len({value for value in kept.values() if value[0]}) >= 2
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0010_postcode_alerts")

    upgrade_to_head(database)

    assert stored(database) == kept == worked_out(database)
    database.dispose()
