"""Council-entered holidays (its own closure days), and the pending deadlines they move (with an audit event each).

Only dates counted in the council's working days can move, and those are periods the council's own policy
sets: ACV periods run in calendar days, the Tribunal's working days are the ones GRC Rules r.12(3) name
(bank holidays, never a council's closure day), and the Scottish ATR calendar is closed by its regulations.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework import clock, policies
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.models import Case, CouncilHoliday, Deadline, Reminder
from casework.models.deadline import CANCELLED, PENDING
from casework.repositories import councils
from casework.transitions import locks
from casework.transitions.deadlines import refresh_next_due, schedule_reminders
from casework.transitions.trail import record_event
from workflows import periods, registry
from workflows.definition import POLICY
from workflows.periods import CalendarKind, long_date
from workflows.periods.calendars import CLOSURE, PROCLAIMED, uses_council_holidays
from workflows.roles import Role

HOLIDAY_KINDS = {
    CLOSURE: "The council's own closure day: moves only periods the council's policy sets",
    PROCLAIMED: "A bank holiday proclaimed under the Banking and Financial Dealings Act 1971: moves Tribunal limits",
}


@dataclass(frozen=True)
class MovedDeadline:
    case_reference: str
    timer: str
    rule: str
    old_due: date
    new_due: date


def add_holiday(
    db: Database,
    actor: Actor,
    council_id: uuid.UUID,
    day: date,
    name: str,
    *,
    kind: str = CLOSURE,
    now: datetime | None = None,
) -> list[MovedDeadline]:
    """Add a day the council entered and recompute the pending deadlines it affects. One transaction.

    `kind` says whose day it is: the council's own closure day (moves only periods its policy sets), or a
    bank holiday proclaimed under the Banking and Financial Dealings Act 1971 s.1(3) that the software's list
    does not have yet (moves Tribunal limits too, GRC Rules r.12(3)).
    """
    now = now or clock.utcnow()
    _check_admin(actor, council_id)
    if not name.strip():
        raise Conflict("Enter a name for the holiday")
    if kind not in HOLIDAY_KINDS:
        raise Conflict("Say whether the day is the council's own closure day or a proclaimed bank holiday")
    with db.transaction() as session:
        exists = session.scalars(
            select(CouncilHoliday).where(CouncilHoliday.council_id == council_id, CouncilHoliday.day == day)
        ).first()
        if exists is not None:
            raise Conflict(f"{long_date(day)} is already a holiday ({exists.name})")
        session.add(
            CouncilHoliday(
                council_id=council_id, day=day, name=name.strip(), kind=kind, created_at=now, created_by=actor.user_id
            )
        )
        session.flush()
        return _recompute(session, council_id, actor, f"holiday added: {name.strip()} on {long_date(day)}", now)


def remove_holiday(
    db: Database, actor: Actor, council_id: uuid.UUID, day: date, *, now: datetime | None = None
) -> list[MovedDeadline]:
    """Remove a council holiday and move back the pending deadlines it had pushed on. One transaction."""
    now = now or clock.utcnow()
    _check_admin(actor, council_id)
    with db.transaction() as session:
        holiday = session.scalars(
            select(CouncilHoliday).where(CouncilHoliday.council_id == council_id, CouncilHoliday.day == day)
        ).first()
        if holiday is None:
            raise NotFound(f"{long_date(day)} is not a council holiday")
        session.delete(holiday)
        session.flush()
        return _recompute(session, council_id, actor, f"holiday removed: {long_date(day)}", now)


def _recompute(session: Session, council_id: uuid.UUID, actor: Actor, why: str, now: datetime) -> list[MovedDeadline]:
    holidays = councils.extra_holidays(session, council_id)
    council = councils.get(session, council_id)
    # A rule any of whose versions counts entered days: a pending deadline may run under an earlier version.
    affected_rules = [rule.id for rule in periods.RULES.values() if any(map(_counts_entered_days, rule.versions))]
    candidates = session.scalars(
        select(Deadline).where(
            Deadline.council_id == council_id,
            Deadline.status == PENDING,
            or_(Deadline.rule.in_(affected_rules), Deadline.rule.startswith(POLICY)),
        )
    ).all()
    # Lock the cases in id order (the sweeper's order too) before touching their deadlines.
    case_ids = sorted({deadline.case_id for deadline in candidates})
    locked = locks.lock_cases(session, case_ids)
    moved = []
    moved_cases: dict[uuid.UUID, Case] = {}
    for deadline in candidates:
        session.refresh(deadline)
        if deadline.status != PENDING:
            continue
        case = locked[deadline.case_id]
        rule = policies.rule_for(session, case, deadline.rule)
        period = periods.compute(rule, deadline.start_date, extra_holidays=holidays)
        if period.due == deadline.due_date and period.ends_at() == deadline.fires_at:
            continue
        moved.append(MovedDeadline(case.reference, deadline.timer, deadline.rule, deadline.due_date, period.due))
        _move(session, case, deadline, period, council.reminder_offsets, actor, why, now)
        moved_cases[case.id] = case
    session.flush()
    for case in moved_cases.values():
        refresh_next_due(session, case)  # a moved date may become, or stop being, the case's soonest
    return moved


def _counts_entered_days(rule: periods.Rule) -> bool:
    """A rule whose date an entered day can move: counted or rolled forward in a working-day calendar that counts
    proclaimed bank holidays (England and Wales, or the council's own); its closure days only move the council's."""
    kinds = {rule.calendar, rule.roll_forward}
    return CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS in kinds or any(
        kind is not None and uses_council_holidays(kind) for kind in kinds
    )


def _move(
    session: Session,
    case: Case,
    deadline: Deadline,
    period: periods.Period,
    offsets: dict[str, object],
    actor: Actor,
    why: str,
    now: datetime,
) -> None:
    old_due = deadline.due_date
    deadline.due_date = period.due
    deadline.due_time = period.due_time
    deadline.fires_at = period.ends_at()
    deadline.explanation = list(period.explanation)
    for reminder in session.scalars(
        select(Reminder).where(Reminder.deadline_id == deadline.id, Reminder.status == PENDING)
    ):
        reminder.status = CANCELLED
    timer = registry.get(case.workflow, case.workflow_version).timer(deadline.timer)
    schedule_reminders(session, deadline, timer, workflow=case.workflow, offsets=offsets, now=now)
    record_event(
        session,
        case,
        actor,
        now=now,
        kind="deadline_moved",
        summary=f"{timer.label}: due date moved from {long_date(old_due)} to {long_date(period.due)} ({why})",
        data={
            "timer": deadline.timer,
            "rule": deadline.rule,
            "old_due": old_due.isoformat(),
            "new_due": period.due.isoformat(),
            "reason": why,
        },
    )


def _check_admin(actor: Actor, council_id: uuid.UUID) -> None:
    if actor.role is Role.SYSTEM:  # an operator at the command line
        return
    if actor.role is not Role.COUNCIL_ADMIN or actor.council_id != council_id:
        raise PermissionDenied("Only an admin of this council can change its holidays")
