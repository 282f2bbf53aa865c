"""Officers' housekeeping on a case: notes (internal or public) and assignment. Neither changes the state."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import User, UserRole
from casework.permissions import check_case_access
from casework.transitions import locks
from casework.transitions.trail import record_event
from workflows.roles import STAFF_ROLES, Role

NOTE_LIMIT = 5000


def add_note(
    db: Database, actor: Actor, case_id: uuid.UUID, text: str, *, public: bool = False, now: datetime | None = None
) -> uuid.UUID:
    """Add a note to the case's timeline; a public one also shows on the register. One transaction."""
    now = now or clock.utcnow()
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only council staff can add notes to a case")
    text = text.strip()
    if not text:
        raise InvalidInput({"text": "Enter the note"})
    if len(text) > NOTE_LIMIT:
        raise InvalidInput({"text": f"The note must be {NOTE_LIMIT} characters or fewer"})
    with db.transaction() as session:
        case = locks.lock_case(session, case_id)
        check_case_access(session, actor, case)
        event = record_event(
            session,
            case,
            actor,
            now=now,
            kind="note",
            summary="Public note" if public else "Internal note",
            data={"text": text, "public": public},
        )
        return event.id


def assign(
    db: Database, actor: Actor, case_ids: list[uuid.UUID], assignee: uuid.UUID | None, *, now: datetime | None = None
) -> int:
    """Give cases to an officer (or take them back, with None). One transaction for the whole batch."""
    now = now or clock.utcnow()
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only council staff can assign cases")
    if not case_ids:
        raise InvalidInput({"cases": "Select at least one case"})
    with db.transaction() as session:
        name = None
        if assignee is not None:
            user = session.get(User, assignee)
            staff = session.scalars(
                select(UserRole.id).where(
                    UserRole.user_id == assignee,
                    UserRole.council_id == actor.council_id,
                    UserRole.role.in_([Role.OFFICER.value, Role.REVIEWER.value]),
                )
            ).first()
            if user is None or staff is None:
                raise NotFound("Cases can only be assigned to an officer or reviewer of this council")
            name = user.name
        for case_id in sorted(set(case_ids)):  # id order: the sweeper locks in the same order
            case = locks.lock_case(session, case_id)
            check_case_access(session, actor, case)
            if case.assigned_to == assignee:
                continue
            case.assigned_to = assignee
            record_event(
                session,
                case,
                actor,
                now=now,
                kind="assigned",
                summary=f"Assigned to {name}" if name else "Unassigned",
                data={"assignee": str(assignee) if assignee else None},
            )
        return len(set(case_ids))
