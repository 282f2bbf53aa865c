"""Apply a workflow trigger to a stored case: the public, one-transaction entry point."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.transitions import locks
from casework.transitions.apply import TransitionResult, apply


def apply_transition(
    db: Database,
    case_id: uuid.UUID,
    trigger: str,
    actor: Actor,
    data: Mapping[str, Any] | None = None,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """Move one case through one trigger, atomically.

    In a single transaction: lock the case row, check the actor saw the
    current version, ask the workflow, then write the new state, deadlines,
    one audit event, the outbox rows and the register. Any refusal rolls all
    of it back. Raises CaseNotFound, StaleCase, PermissionDenied or a
    workflow refusal (TransitionNotAllowed, RoleNotAllowed, InvalidData, GuardFailed).
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        case = locks.lock_for_transition(session, case_id)
        return apply(session, case, trigger, actor, data, now=now, expected_version=expected_version)
