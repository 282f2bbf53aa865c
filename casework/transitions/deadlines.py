"""A case's deadlines as its transitions change them: armed, closed, reminded of, and the next one due.

The rows go in through statements built once per process and run on the DB-API connection
(casework.repositories.prepared): building a statement, flushing ORM objects and SQLAlchemy's
execution machinery cost more than the statements themselves (bench/README.md, B1). Nothing on
this path reads those rows back as objects in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from casework import policies
from casework.models import Case, Deadline, Reminder
from casework.models.base import Base
from casework.models.deadline import CANCELLED, FIRED, PENDING
from casework.repositories import cases as case_repo
from casework.repositories import councils as council_repo
from casework.repositories.prepared import Statements
from casework.transitions.facts import stored_facts
from workflows import machines, periods
from workflows.definition import Definition, Timer, reminder_key
from workflows.machines import Outcome

REMINDER_TIME = time(8, 0)  # reminders go out at 08:00 in England on the day they fall due

_DEADLINES = Base.metadata.tables[Deadline.__tablename__]
_DEADLINE_KEYS = ("id", "case_id", "council_id", "timer", "rule", "start_date", "due_date", "due_time",
                  "outer_due_date", "fires_at", "basis", "explanation", "expiry_kind", "on_expiry", "status",
                  "created_at")  # fmt: skip
_INSERT_DEADLINE = Statements(insert(_DEADLINES), keys=_DEADLINE_KEYS)
_CLOSE_DEADLINE = Statements(
    update(_DEADLINES)
    .where(_DEADLINES.c.id == bindparam("closed_id"))
    .values({name: bindparam(f"new_{name}") for name in ("status", "fired_at", "outcome")})
)
_REMINDERS = Base.metadata.tables[Reminder.__tablename__]
_INSERT_REMINDER = Statements(
    insert(_REMINDERS),
    keys=("id", "deadline_id", "case_id", "days_before", "remind_at", "parties", "status", "details"),
)
_CANCEL_REMINDERS = Statements(
    update(_REMINDERS)
    .where(_REMINDERS.c.deadline_id == bindparam("closed_id"), _REMINDERS.c.status == PENDING)
    .values(status=CANCELLED)
)
_CASES = Base.metadata.tables[Case.__tablename__]
# The case's next due date, as the work queue sorts and flags it: an escalation that fired after the case last
# changed state stands (overdue until the case moves on) and comes first; else the soonest pending deadline.
_ESCALATION_STANDS = and_(
    _DEADLINES.c.status == FIRED,
    _DEADLINES.c.expiry_kind == "escalate",
    _DEADLINES.c.fired_at > _CASES.c.state_changed_at,
)
_STANDING = and_(_DEADLINES.c.case_id == _CASES.c.id, or_(_DEADLINES.c.status == PENDING, _ESCALATION_STANDS))
_FIRST_STANDING = (_DEADLINES.c.status == PENDING, _DEADLINES.c.due_date, _DEADLINES.c.created_at, _DEADLINES.c.id)


def _first_standing(column: Any) -> Any:
    return select(column).where(_STANDING).order_by(*_FIRST_STANDING).limit(1).scalar_subquery()


_REFRESH_NEXT_DUE = Statements(  # the subqueries are correlated to the cases row being updated
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"))
    .values(
        next_due_date=_first_standing(_DEADLINES.c.due_date),
        next_due_timer=_first_standing(_DEADLINES.c.timer),
        next_due_escalated=exists().where(_DEADLINES.c.case_id == _CASES.c.id, _ESCALATION_STANDS),
    )
)
NEXT_DUE_COLUMNS = ("next_due_date", "next_due_timer", "next_due_escalated")


@dataclass(frozen=True)
class ArmedDeadline:
    """A deadline as armed: what its reminders are scheduled from."""

    id: uuid.UUID
    case_id: uuid.UUID
    due_date: date
    fires_at: datetime


def refresh_next_due(session: Session, case: Case) -> None:
    """Store the case's next due date for the work queue, after anything that arms, fires, cancels or moves one
    of its deadlines, or changes its state (which ends an escalation's standing), in the same transaction.

    One UPDATE that works it out from the deadlines themselves, so every writer stores the same answer;
    the object forgets the old values (read again if asked for).
    """
    _REFRESH_NEXT_DUE.execute(session, {"case_id": case.id})
    session.expire(case, NEXT_DUE_COLUMNS)


def soonest_pending(deadlines: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The next-due columns of a new case whose deadlines (rows as deadline_row makes them) are all pending:
    what refresh_next_due would store, for a bulk load that inserts the case and its deadlines together."""
    first = min(deadlines, key=lambda row: (row["due_date"], row["created_at"], row["id"]), default=None)
    return {
        "next_due_date": first["due_date"] if first else None,
        "next_due_timer": first["timer"] if first else None,
        "next_due_escalated": False,
    }


def update_deadlines(
    session: Session,
    defn: Definition,
    case: Case,
    source: str,
    outcome: Outcome,
    deadlines: Sequence[case_repo.DeadlineRow],
    now: datetime,
) -> None:
    """Cancel the timers the transition ends and arm those it starts (re-arming one supersedes it)."""
    pending = {deadline.timer: deadline.id for deadline in deadlines if deadline.status == PENDING}
    arm, cancel = machines.timer_changes(defn, source, outcome, pending)
    for name in cancel:
        close_deadline(
            session,
            session.get_one(Deadline, pending[name]),
            CANCELLED,
            f"No longer needed: the case moved on to {defn.state(outcome.dest).label}",
            now,
        )
    if not arm:
        return
    offsets, holidays = council_repo.calendar(session, case.council_id)
    facts = stored_facts(defn, case.facts)
    for timer in arm:
        if timer.name in pending:
            superseded = session.get_one(Deadline, pending[timer.name])
            close_deadline(session, superseded, CANCELLED, "Superseded by a new deadline", now)
        rule_id, start_field = timer.rule_and_start(facts)
        start = facts.get(start_field)
        if not isinstance(start, date):
            raise RuntimeError(f"{defn.name}: timer {timer.name} needs the date {start_field!r}, which is not recorded")
        arm_timer(session, case, timer, start, holidays=holidays, offsets=offsets, now=now, rule_id=rule_id)


def arm_timer(
    session: Session,
    case: Case,
    timer: Timer,
    start: date,
    *,
    holidays: Iterable[date] | periods.EnteredHolidays,
    offsets: Mapping[str, Any],
    now: datetime,
    rule_id: str | None = None,
) -> ArmedDeadline:
    """Store a deadline for `timer` running from `start`, with its reminders still in the future.

    `rule_id` is the rule the timer runs under for this case (its own, or its
    variant's); a policy period comes from the policy the case pinned.
    """
    period = periods.compute(policies.rule_for(session, case, rule_id or timer.rule), start, extra_holidays=holidays)
    row = deadline_row(case.id, case.council_id, timer, period, start, now)
    armed = ArmedDeadline(row["id"], case.id, period.due, row["fires_at"])
    _INSERT_DEADLINE.execute(session, row)
    schedule_reminders(session, armed, timer, workflow=case.workflow, offsets=offsets, now=now)
    return armed


def deadline_row(
    case_id: uuid.UUID, council_id: uuid.UUID, timer: Timer, period: periods.Period, start: date, now: datetime
) -> dict[str, Any]:
    """The stored deadline of `timer` over `period`: what arm_timer inserts, and a bulk load inserts many of."""
    return {
        "id": uuid.uuid4(),
        "case_id": case_id,
        "council_id": council_id,
        "timer": timer.name,
        "rule": period.rule.id,
        "start_date": start,
        "due_date": period.due,
        "due_time": period.due_time,
        "outer_due_date": period.outer_due,
        "fires_at": period.ends_at(),
        "basis": period.basis,
        "explanation": list(period.explanation),
        "expiry_kind": timer.expiry_kind,
        "on_expiry": timer.on_expiry,
        "status": PENDING,
        "created_at": now,
    }


def schedule_reminders(
    session: Session,
    deadline: ArmedDeadline | Deadline,
    timer: Timer,
    *,
    workflow: str,
    offsets: Mapping[str, Any],
    now: datetime,
) -> None:
    """One reminder per offset (the council's, else the workflow's) that has not already passed."""
    _INSERT_REMINDER.execute_many(session, reminder_rows(deadline, timer, workflow=workflow, offsets=offsets, now=now))


def reminder_rows(
    deadline: ArmedDeadline | Deadline, timer: Timer, *, workflow: str, offsets: Mapping[str, Any], now: datetime
) -> list[dict[str, Any]]:
    """The reminders schedule_reminders stores for a deadline, as rows (a bulk load inserts many at once).

    `offsets` is the council's reminder days, keyed by workflow and timer (`reminder_key`).
    """
    days_before = offsets.get(reminder_key(workflow, timer.name), timer.reminders)
    rows = []
    for days in sorted({int(d) for d in days_before}, reverse=True):
        day = deadline.due_date - timedelta(days=days)
        remind_at = datetime.combine(day, REMINDER_TIME, tzinfo=periods.LONDON).astimezone(UTC)
        if remind_at <= now or remind_at >= deadline.fires_at:
            continue
        rows.append(
            {
                "id": uuid.uuid4(),
                "deadline_id": deadline.id,
                "case_id": deadline.case_id,
                "days_before": days,
                "remind_at": remind_at,
                "parties": [party.value for party in timer.remind],
                "status": PENDING,
                "details": {"timer": timer.name, "label": timer.label},
            }
        )
    return rows


def close_deadline(session: Session, deadline: Deadline, status: str, outcome: str, now: datetime) -> None:
    """Mark a deadline fired or cancelled, and cancel its reminders that have not gone yet.

    Two UPDATEs, no reads: the sweep closes thousands of deadlines a batch. The object is told
    its new values are stored, as after a flush.
    """
    closed = {"status": status, "fired_at": now, "outcome": outcome}
    _CLOSE_DEADLINE.execute(session, {"closed_id": deadline.id, **{f"new_{k}": v for k, v in closed.items()}})
    _CANCEL_REMINDERS.execute(session, {"closed_id": deadline.id})
    for key, value in closed.items():
        set_committed_value(deadline, key, value)
