"""Sweep due deadlines and reminders: each fires exactly once, however many sweepers run.

Deadlines are rows, never broker ETAs. A deadline is marked fired in the same
transaction as the change it causes, while its case row is locked, so a crash
before commit loses nothing (the next sweep retries) and a crash after commit
cannot fire it again. On PostgreSQL, sweepers skip cases another sweeper (or
an officer) holds, so several can run at once; on SQLite, BEGIN IMMEDIATE lets
one writer in at a time. Reminders are swept next (casework.services.reminders); a deadline that fails to
fire is tried again later, and given up on after a few tries (casework.services.deadline_retries).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import SYSTEM
from casework.db import Database
from casework.models import Case, Deadline
from casework.models.deadline import CANCELLED, FIRED, PENDING
from casework.repositories.prepared import Statements
from casework.services import deadline_retries, reminders
from casework.transitions import locks
from casework.transitions.apply import apply
from casework.transitions.deadlines import close_deadline, refresh_next_due
from casework.transitions.outbox import enqueue
from casework.transitions.trail import record_event
from workflows import registry
from workflows.errors import WorkflowRefusal
from workflows.periods import long_date

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    fired: int = 0  # expiry triggers applied
    escalated: int = 0  # decisions marked overdue
    closed: int = 0  # windows that simply closed
    cancelled: int = 0  # the trigger no longer applied: the case had moved on
    failed: int = 0  # errors: left pending and retried by the next sweep
    skipped: int = 0  # case busy (locked by someone else): left for the next sweep
    reminders: int = 0
    fired_ids: list[uuid.UUID] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.fired + self.escalated + self.closed + self.cancelled

    def add(self, other: SweepReport) -> None:
        for name in ("fired", "escalated", "closed", "cancelled", "failed", "skipped", "reminders"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.fired_ids.extend(other.fired_ids)


def sweep(db: Database, *, now: datetime | None = None, batch_size: int = 200) -> SweepReport:
    """Fire every deadline due by `now`, then send every reminder due by `now`.

    Batches of `batch_size` deadlines share a transaction. A batch is first fired
    straight through; if any deadline in it fails, the batch is rolled back and
    fired again with each deadline in a savepoint, so one failure leaves only that
    deadline pending for next time (a savepoint per deadline costs a fifth of the
    sweep's time, and failures are rare).
    """
    now = now or clock.utcnow()
    report = SweepReport()
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        with db.reader() as session:
            rows = _due(session, now, after, batch_size)
        if not rows:
            break
        after = (rows[-1].fires_at, rows[-1].id)
        batch = SweepReport()
        try:
            with db.transaction() as session:
                _sweep_batch(db, session, rows, now, batch, isolate=False)
        except Exception:  # whatever failed is found, logged and isolated by the careful pass
            batch = SweepReport()
            with db.transaction() as session:
                _sweep_batch(db, session, rows, now, batch, isolate=True)
        report.add(batch)
    report.reminders += reminders.send_due(db, now, batch_size)
    return report


class DueRow(Protocol):
    id: uuid.UUID
    case_id: uuid.UUID
    fires_at: datetime


_DUE = select(Deadline.id, Deadline.case_id, Deadline.fires_at).where(
    Deadline.status == PENDING, Deadline.fires_at <= bindparam("now")
)
_IN_DUE_ORDER = (Deadline.fires_at, Deadline.id)
# Prepared once (casework.repositories.prepared): the query runs once per batch, and SQLAlchemy's execution
# of it cost as much as the query itself (bench/README.md, B3-q).
_DUE_FIRST = Statements(_DUE.order_by(*_IN_DUE_ORDER).limit(bindparam("limit")))
_DUE_AFTER = Statements(
    _DUE.where(
        tuple_(*_IN_DUE_ORDER)
        > tuple_(bindparam("after_at", type_=Deadline.fires_at.type), bindparam("after_id", type_=Deadline.id.type))
    )
    .order_by(*_IN_DUE_ORDER)
    .limit(bindparam("limit"))
)


def _due(session: Session, now: datetime, after: tuple[datetime, uuid.UUID] | None, limit: int) -> Sequence[DueRow]:
    """The next due pending deadlines in (fires_at, id) order: each is looked at once per sweep."""
    if after is None:
        return _DUE_FIRST.rows(session, {"now": now, "limit": limit})
    return _DUE_AFTER.rows(session, {"now": now, "limit": limit, "after_at": after[0], "after_id": after[1]})


def _sweep_batch(
    db: Database,
    session: Session,
    rows: Sequence[DueRow],
    now: datetime,
    report: SweepReport,
    *,
    isolate: bool,
) -> None:
    case_ids = sorted({row.case_id for row in rows})
    # SKIP LOCKED: a case another sweeper or an officer is working on is left for the next sweep.
    locked = locks.lock_cases(session, case_ids, skip_locked=db.is_postgres)
    report.skipped += sum(1 for row in rows if row.case_id not in locked)
    deadline_ids = [row.id for row in rows if row.case_id in locked]
    if not deadline_ids:
        return
    # Re-read under the case locks: a row another sweeper fired meanwhile is no longer pending.
    deadlines = session.scalars(
        select(Deadline)
        .where(Deadline.id.in_(deadline_ids), Deadline.status == PENDING)
        .order_by(Deadline.fires_at, Deadline.id)
    ).all()
    for deadline in deadlines:
        if deadline.status != PENDING:  # cancelled by an earlier deadline of the same case in this batch
            continue
        if isolate:
            _fire_one(session, locked[deadline.case_id], deadline, now, report)
        else:
            outcome = _act(session, locked[deadline.case_id], deadline, now)
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.fired_ids.append(deadline.id)


def _fire_one(session: Session, case: Case, deadline: Deadline, now: datetime, report: SweepReport) -> None:
    deadline_id = deadline.id
    try:
        with session.begin_nested():
            outcome = _act(session, case, deadline, now)
    except WorkflowRefusal as refusal:
        session.expire_all()  # transitions write through Core: forget what the rolled-back savepoint wrote
        deadline = session.get_one(Deadline, deadline_id)
        close_deadline(session, deadline, CANCELLED, f"Not applied: {refusal}", now)
        refresh_next_due(session, case)
        report.cancelled += 1
    except Exception as exc:  # one bad deadline must not stop the sweep; it is retried later, then given up on
        log.exception("deadline %s of case %s failed", deadline_id, case.reference)
        session.expire_all()
        deadline_retries.record_failure(session.get_one(Deadline, deadline_id), f"{type(exc).__name__}: {exc}", now)
        session.flush()
        refresh_next_due(session, case)  # one given up on is no longer the case's next due date
        report.failed += 1
    else:
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.fired_ids.append(deadline_id)


def _act(session: Session, case: Case, deadline: Deadline, now: datetime) -> str:
    """Do what the deadline's timer says at expiry; return which report counter it belongs to."""
    timer = registry.get(case.workflow, case.workflow_version).timer(deadline.timer)
    due = long_date(deadline.due_date)
    # Mark it fired first, so the transition below does not see it as a pending timer to cancel.
    close_deadline(session, deadline, FIRED, f"The period ended with {due}", now)
    info = {"deadline_id": str(deadline.id), "timer": timer.name, "rule": deadline.rule, "due": str(deadline.due_date)}
    if deadline.expiry_kind == "fire" and deadline.on_expiry:
        apply(session, case, deadline.on_expiry, SYSTEM, now=now, event_data=info)
        return "fired"
    if deadline.expiry_kind == "escalate":
        _escalate(session, case, f"Overdue: {timer.label} by {due}", timer.label, info, now)
        return "escalated"
    summary = f"Period ended: {timer.label} ({due})"
    record_event(session, case, SYSTEM, now=now, kind="deadline_passed", summary=summary, data=info)
    refresh_next_due(session, case)
    return "closed"


def _escalate(session: Session, case: Case, summary: str, label: str, info: dict[str, Any], now: datetime) -> None:
    """A decision not made in time: recorded on the trail, and the officers told it is overdue."""
    event = record_event(session, case, SYSTEM, now=now, kind="deadline_overdue", summary=summary, data=info)
    payload = {
        **info,
        "case_id": str(case.id),
        "event_id": str(event.id),
        "reference": case.reference,
        "label": label,
        "parties": ["officer"],
    }
    enqueue(session, "deadline.overdue", payload, now=now, council_id=case.council_id, case_id=case.id)
    refresh_next_due(session, case)  # overdue now, and first in the queue until the case moves on
