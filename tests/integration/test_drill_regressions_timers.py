"""Regressions found by the timers-under-faults drill (tests/drills/test_timers_under_faults.py).

The drill's racing sweepers deadlocked on PostgreSQL: a sweeper sending reminders held the reminder rows
and then waited for their case (the outbox row it inserts references the case), while another sweeper,
or an officer's transition, held the case and waited to cancel those same reminders. PostgreSQL broke
the cycle by failing one of them: a sweep, or an officer's request. These tests hold the case the way
a transition does, at the moment a sweep reaches its reminders, so the interleaving is certain.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select, text

from casework.db import Database
from casework.models import Case, Deadline, OutboxMessage, Reminder
from casework.models.deadline import CANCELLED
from casework.services import deadlines
from casework.transitions.deadlines import close_deadline
from tests.factories import make_world
from tests.integration.test_sweep import list_pub_numbered, moment, notice

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
REMINDERS_DUE = moment("2026-04-28", 9)  # the interim moratorium's 14-day reminder is due; its deadline is not


def waiting_for_a_lock(db: Database) -> bool:
    with db.reader() as session:
        waiting = session.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
        )
    return bool(waiting)


def eventually(check: Callable[[], bool], timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not check():
        time.sleep(0.05)


def test_a_sweep_skips_the_reminders_of_a_case_an_officer_holds_instead_of_deadlocking(pg_db: Database) -> None:
    world = make_world(pg_db)
    cycle = notice(pg_db, world, list_pub_numbered(pg_db, world, 1), date(2026, 4, 1))
    outcomes: list[object] = []

    def sweep() -> None:
        try:
            outcomes.append(deadlines.sweep(pg_db, now=REMINDERS_DUE).reminders)
        except Exception as exc:  # the deadlock, had it happened: PostgreSQL fails one side
            outcomes.append(exc)

    with pg_db.transaction() as officer:  # a transition: it locks the case first, then cancels the reminders
        officer.scalars(select(Case).where(Case.id == cycle).with_for_update()).one()
        sweeper = threading.Thread(target=sweep)
        sweeper.start()
        eventually(lambda: bool(outcomes) or waiting_for_a_lock(pg_db))
        interim = officer.scalars(
            select(Deadline).where(Deadline.case_id == cycle, Deadline.timer == "interim_end")
        ).one()
        close_deadline(officer, interim, CANCELLED, "The owner disposed to a community interest group", REMINDERS_DUE)
        officer.flush()
    sweeper.join(timeout=30)

    assert outcomes == [0]  # the busy case was left alone, without an error on either side
    with pg_db.reader() as session:
        statuses = set(session.scalars(select(Reminder.status).where(Reminder.deadline_id == interim.id)))
        queued = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.topic == "deadline.reminder")
        )
    assert (statuses, queued) == ({CANCELLED}, 0)


def test_a_reminder_skipped_because_its_case_was_busy_goes_on_the_next_sweep(pg_db: Database) -> None:
    world = make_world(pg_db)
    cycle = notice(pg_db, world, list_pub_numbered(pg_db, world, 1), date(2026, 4, 1))

    with pg_db.transaction() as officer:
        officer.scalars(select(Case).where(Case.id == cycle).with_for_update()).one()
        while_busy = deadlines.sweep(pg_db, now=REMINDERS_DUE)
    afterwards = deadlines.sweep(pg_db, now=REMINDERS_DUE)
    again = deadlines.sweep(pg_db, now=REMINDERS_DUE)

    assert (while_busy.reminders, afterwards.reminders, again.reminders) == (0, 1, 0)
