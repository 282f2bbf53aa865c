"""Relay outbox rows to the broker after their transaction committed: at-least-once, oldest first."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from casework import clock
from casework.db import Database
from casework.models import OutboxMessage

Publish = Callable[[str, uuid.UUID, dict[str, Any]], None]


def relay_pending(db: Database, publish: Publish, *, limit: int = 200, now: datetime | None = None) -> int:
    """Publish up to `limit` undispatched messages, oldest first, and mark them dispatched. One transaction.

    Rows are locked with SKIP LOCKED, so two relays never take the same batch.
    If `publish` fails part-way the whole batch rolls back and is sent again
    later, so consumers must tolerate duplicates (they dedupe on the message id).
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        messages = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.dispatched_at.is_(None))
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=db.is_postgres)
        ).all()
        for message in messages:
            publish(message.topic, message.id, dict(message.payload))
            message.dispatched_at = now
        return len(messages)


def unprocessed(
    db: Database, *, now: datetime | None = None, older_than: timedelta = timedelta(minutes=5)
) -> list[uuid.UUID]:
    """Messages handed to the broker long ago but never turned into deliveries: their task was lost."""
    now = now or clock.utcnow()
    with db.reader() as session:
        return list(
            session.scalars(
                select(OutboxMessage.id).where(
                    OutboxMessage.dispatched_at < now - older_than, OutboxMessage.processed_at.is_(None)
                )
            )
        )
