"""The audit trail: one event per thing that happened to a case, appended and never changed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.models import Case, CaseEvent
from casework.models.base import Base, to_json_value
from casework.repositories.prepared import Statements
from workflows.machines import Outcome

_EVENTS = Base.metadata.tables[CaseEvent.__tablename__]
# The next number in the case's trail is taken in the INSERT itself: one statement, under the case's lock.
_INSERT_EVENT = Statements(
    insert(_EVENTS).from_select(
        [*(c.name for c in _EVENTS.c if c.name != "seq"), "seq"],
        select(
            *(bindparam(c.name, type_=c.type) for c in _EVENTS.c if c.name != "seq"),
            func.coalesce(func.max(_EVENTS.c.seq), 0) + 1,
        ).where(_EVENTS.c.case_id == bindparam("case_id")),
    )
)


@dataclass(frozen=True)
class RecordedEvent:
    """An audit event as written: its id goes into the outbox messages it causes."""

    id: uuid.UUID


def record_event(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    now: datetime,
    kind: str,
    summary: str,
    trigger: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> RecordedEvent:
    """Append one event to the case's audit trail (the table refuses updates and deletes)."""
    event_id = uuid.uuid4()
    _INSERT_EVENT.execute(
        session,
        {
            "id": event_id,
            "case_id": case.id,
            "kind": kind,
            "trigger": trigger,
            "from_state": from_state,
            "to_state": to_state,
            "actor_id": actor.user_id,
            "actor_role": actor.role.value,
            "summary": summary,
            "data": dict(data or {}),
            "occurred_at": now,
        },
    )
    return RecordedEvent(event_id)


def record_transition(
    session: Session,
    case: Case,
    actor: Actor,
    outcome: Outcome,
    *,
    now: datetime,
    summary: str,
    data: Mapping[str, Any],
    event_data: Mapping[str, Any] | None = None,
) -> RecordedEvent:
    """The trail's record of a transition: who fired what, from where to where, with the data given (as JSON)
    and `event_data` (which case or deadline caused it)."""
    recorded = {**{key: to_json_value(value) for key, value in data.items()}, **(event_data or {})}
    return record_event(
        session,
        case,
        actor,
        now=now,
        kind="transition",
        summary=summary,
        trigger=outcome.trigger,
        from_state=outcome.source,
        to_state=outcome.dest,
        data=recorded,
    )
