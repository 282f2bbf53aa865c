"""Reminders of a deadline coming up, sent by the sweep (casework.services.deadlines.sweep): each goes once.

A reminder is a row beside its deadline. It is queued as an outbox message in the same transaction that marks
it sent, while its case is locked, so two sweepers at the same moment send it once; one no longer needed (its
deadline fired, failed or was cancelled, or a nearer reminder is due too) is cancelled instead.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from casework.db import Database
from casework.models import Case, Deadline, Reminder
from casework.models.deadline import CANCELLED, PENDING
from casework.transitions import locks
from casework.transitions.outbox import enqueue


def send_due(db: Database, now: datetime, batch_size: int) -> int:
    """Queue each due reminder once, taking locks in the order a transition does: the case, then its reminders.

    Holding a reminder while waiting for its case (the outbox row we insert
    references it) would deadlock with a sweeper or officer who holds the case
    and is cancelling that reminder. So the cases are locked first, SKIP LOCKED:
    a busy case's reminders wait for the next sweep, like its deadlines.
    Returns how many were queued.
    """
    sent = 0
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        with db.transaction() as session:
            stmt = select(Reminder.id, Reminder.case_id, Reminder.remind_at).where(
                Reminder.status == PENDING, Reminder.remind_at <= now
            )
            if after is not None:
                stmt = stmt.where(tuple_(Reminder.remind_at, Reminder.id) > tuple_(*after))
            rows = session.execute(stmt.order_by(Reminder.remind_at, Reminder.id).limit(batch_size)).all()
            if not rows:
                return sent
            after = (rows[-1].remind_at, rows[-1].id)
            locked = locks.lock_case_ids(session, {row.case_id for row in rows}, skip_locked=db.is_postgres)
            # Re-read under the case locks: one another sweeper queued meanwhile is no longer pending.
            reminders = session.scalars(
                select(Reminder)
                .where(Reminder.id.in_([row.id for row in rows if row.case_id in locked]), Reminder.status == PENDING)
                .order_by(Reminder.remind_at, Reminder.id)
            ).all()
            sent += sum(_remind(session, reminder, now) for reminder in reminders)


def _remind(session: Session, reminder: Reminder, now: datetime) -> bool:
    """Queue the reminder's message, unless it is no longer needed; returns whether it was queued."""
    deadline = session.get_one(Deadline, reminder.deadline_id)
    passed = deadline.attempts > 0 or deadline.fires_at <= now  # (a deadline that failed to fire had passed)
    if deadline.status != PENDING or passed or _superseded(session, reminder, now):
        reminder.status = CANCELLED  # too late to help, or a nearer reminder (after downtime) says it better
        return False
    case = session.get_one(Case, reminder.case_id)
    payload = {
        "case_id": str(case.id),
        "reference": case.reference,
        "reminder_id": str(reminder.id),
        "deadline_id": str(deadline.id),
        "timer": deadline.timer,
        "label": reminder.details.get("label", deadline.timer),
        "due": deadline.due_date.isoformat(),
        "due_time": deadline.due_time.strftime("%H:%M") if deadline.due_time else None,
        "days_before": reminder.days_before,
        "parties": list(reminder.parties),
    }
    enqueue(session, "deadline.reminder", payload, now=now, council_id=case.council_id, case_id=case.id)
    reminder.status = "sent"
    reminder.sent_at = now
    return True


def _superseded(session: Session, reminder: Reminder, now: datetime) -> bool:
    """After downtime several reminders of one deadline can be due at once: only the nearest to it goes."""
    later = session.scalar(
        select(Reminder.id).where(
            Reminder.deadline_id == reminder.deadline_id,
            Reminder.status == PENDING,
            Reminder.remind_at > reminder.remind_at,
            Reminder.remind_at <= now,
        )
    )
    return later is not None
