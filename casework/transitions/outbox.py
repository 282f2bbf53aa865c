"""The outbox: messages written in the transaction that causes them, relayed to the worker after it commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from casework.models import Case, OutboxMessage
from casework.models.base import Base
from casework.repositories.prepared import Statements
from casework.transitions.trail import RecordedEvent
from workflows.definition import Definition
from workflows.machines import Outcome

_OUTBOX_KEYS = ("id", "council_id", "case_id", "topic", "payload", "created_at", "dispatched_at", "processed_at")
_INSERT_OUTBOX = Statements(insert(Base.metadata.tables[OutboxMessage.__tablename__]), keys=_OUTBOX_KEYS)


def write_transition_messages(
    session: Session, defn: Definition, case: Case, outcome: Outcome, event: RecordedEvent, now: datetime
) -> None:
    """One `case.transitioned` message, and one `notice.requested` per notice the transition names."""
    base: dict[str, Any] = {"case_id": str(case.id), "event_id": str(event.id), "reference": case.reference}
    messages: list[tuple[str, dict[str, Any]]] = [
        (
            "case.transitioned",
            {**base, "workflow": defn.name, "trigger": outcome.trigger, "from": outcome.source, "to": outcome.dest},
        )
    ]
    for notice in outcome.transition.notices:
        payload: dict[str, Any] = {
            **base,
            "template": notice.template,
            "title": notice.title,
            "basis": notice.basis,
            "parties": [party.value for party in notice.parties],
        }
        messages.append(("notice.requested", payload))
    _INSERT_OUTBOX.execute_many(
        session, [_outbox_row(topic, payload, now, case.council_id, case.id) for topic, payload in messages]
    )


def enqueue(
    session: Session,
    topic: str,
    payload: Mapping[str, Any],
    *,
    now: datetime,
    council_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add a message to the outbox, to be relayed by the worker after this transaction commits."""
    row = _outbox_row(topic, payload, now, council_id, case_id)
    _INSERT_OUTBOX.execute(session, row)
    message_id: uuid.UUID = row["id"]
    return message_id


def _outbox_row(
    topic: str, payload: Mapping[str, Any], now: datetime, council_id: uuid.UUID | None, case_id: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "council_id": council_id,
        "case_id": case_id,
        "topic": topic,
        "payload": dict(payload),
        "created_at": now,
        "dispatched_at": None,
        "processed_at": None,
    }
