"""Relay outbox rows to the broker after their transaction committed: at-least-once, oldest first."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.models import OutboxMessage
from casework.permissions import check_case_access
from casework.transitions import locks
from casework.transitions.trail import record_event
from workflows.roles import STAFF_ROLES

log = logging.getLogger(__name__)

Publish = Callable[[Sequence[uuid.UUID]], None]  # hands a batch of message ids to the broker


def relay_pending(
    db: Database, publish: Publish, *, limit: int = 200, batch: int = 50, now: datetime | None = None
) -> int:
    """Publish up to `limit` undispatched messages, oldest first, `batch` ids at a time, and mark them dispatched.
    One transaction.

    Rows are locked with SKIP LOCKED, so two relays never take the same batch.
    If `publish` fails part-way the whole batch rolls back and is sent again
    later, so consumers must tolerate duplicates (they dedupe on the message id).
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        ids = list(
            session.scalars(
                select(OutboxMessage.id)
                .where(OutboxMessage.dispatched_at.is_(None))
                .order_by(OutboxMessage.created_at, OutboxMessage.id)
                .limit(limit)
                .with_for_update(skip_locked=db.is_postgres)
            )
        )
        for start in range(0, len(ids), batch):
            publish(ids[start : start + batch])
        if ids:
            session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids)).values(dispatched_at=now))
        return len(ids)


def unprocessed(
    db: Database, *, now: datetime | None = None, older_than: timedelta = timedelta(minutes=5)
) -> list[uuid.UUID]:
    """Messages handed to the broker long ago but never turned into deliveries: their task was lost, or it failed
    and its wait (`retry_at`) is over. A message the worker gave up on waits for an officer instead."""
    now = now or clock.utcnow()
    with db.reader() as session:
        return list(
            session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.dispatched_at < now - older_than,
                    OutboxMessage.processed_at.is_(None),
                    OutboxMessage.failed_at.is_(None),
                    or_(OutboxMessage.retry_at.is_(None), OutboxMessage.retry_at <= now),
                )
            )
        )


MAX_PLANNING_ATTEMPTS = 5  # then the message waits for an officer: planning that fails this often is not transient
FIRST_PLANNING_WAIT = timedelta(minutes=1)
LONGEST_PLANNING_WAIT = timedelta(hours=1)


def record_failure(db: Database, message_id: uuid.UUID, error: str, *, now: datetime | None = None) -> bool:
    """The worker could not turn a message into deliveries. Count it, and wait longer each time before the replay
    tries again; after MAX_PLANNING_ATTEMPTS give up, for officers to see. True if it gave up. One transaction."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        message = session.get(OutboxMessage, message_id)
        if message is None or message.processed_at is not None or message.failed_at is not None:
            return False  # planned after all (the failure came later, while sending), or already given up
        message.attempts += 1
        message.last_error = error[:2000]
        wait = min(LONGEST_PLANNING_WAIT, FIRST_PLANNING_WAIT * 2 ** (message.attempts - 1))
        message.retry_at = now + wait
        if message.attempts >= MAX_PLANNING_ATTEMPTS:
            message.failed_at = now
    if message.failed_at is not None:
        log.error(
            "outbox message %s (%s) failed %d times; giving up: %s", message_id, message.topic, message.attempts, error
        )
    return message.failed_at is not None


def retry(db: Database, actor: Actor, message_id: uuid.UUID, *, now: datetime | None = None) -> str:
    """An officer asks for a notice the worker gave up on (or is still retrying) to be tried again now; returns its
    title. The relay hands it to the broker afresh. One transaction."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        if actor.role not in STAFF_ROLES:
            raise PermissionDenied("Only council staff can send a notice again")
        message = session.get(OutboxMessage, message_id)
        if message is None or message.case_id is None:
            raise NotFound("There is no such notice")
        case = locks.lock_case(session, message.case_id)
        check_case_access(session, actor, case)
        session.refresh(message, with_for_update=True)
        if message.processed_at is not None or message.attempts == 0:
            raise Conflict("That notice has been prepared already: there is nothing to try again")
        title = str(message.payload.get("title") or message.payload.get("label") or message.topic)
        record_event(
            session, case, actor, now=now, kind="notice_retried",
            summary=f"Asked for the notice \u201c{title}\u201d to be prepared and sent again",
            data={"message_id": str(message.id), "attempts": message.attempts, "last_error": message.last_error},
        )  # fmt: skip
        message.attempts = 0
        message.retry_at = None
        message.failed_at = None
        message.dispatched_at = None
        return title
