"""What the worker could not do, for officers: deadlines that failed to fire, notices that could not be prepared,
emails that failed or may not have gone. Shown on the case page, above the work queue and in the digest; each
names what an officer can do about it (try again, send again)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import PermissionDenied
from casework.models import Case, Deadline, Delivery, OutboxMessage
from casework.models.deadline import FAILED as DEADLINE_FAILED
from casework.models.deadline import PENDING as DEADLINE_PENDING
from casework.models.notification import FAILED, UNCONFIRMED
from workflows import registry
from workflows.periods import long_date
from workflows.roles import STAFF_ROLES

DEADLINE = "deadline"
NOTICE = "notice"
DELIVERY = "delivery"


@dataclass(frozen=True)
class Problem:
    kind: str  # deadline | notice | delivery
    id: uuid.UUID  # of the deadline, outbox message or delivery
    case_reference: str
    what: str  # a sentence an officer can act on
    error: str | None
    given_up: bool  # False: the worker is still trying by itself
    action: str  # the button: "Try again" or "Send again"
    since: datetime | None


def council_problems(db: Database, actor: Actor, *, limit: int = 20) -> tuple[tuple[Problem, ...], int]:
    """The actor's council's problems, newest first, at most `limit`, and how many there are in all."""
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("Problems with notices and deadlines are for council staff")
    with db.reader() as session:
        found = problems(session, actor.council_id)
    return tuple(found[:limit]), len(found)


def problems(session: Session, council_id: uuid.UUID, case_id: uuid.UUID | None = None) -> list[Problem]:
    """Every open problem of a council (or of one of its cases), newest first."""
    found = _deadlines(session, council_id, case_id) + _notices(session, council_id, case_id)
    found += _deliveries(session, council_id, case_id)
    return sorted(found, key=lambda p: (p.since is not None, p.since), reverse=True)


def _deadlines(session: Session, council_id: uuid.UUID, case_id: uuid.UUID | None) -> list[Problem]:
    stmt = (
        select(Deadline, Case)
        .join(Case, Case.id == Deadline.case_id)
        .where(
            Deadline.council_id == council_id,
            or_(Deadline.status == DEADLINE_FAILED, (Deadline.status == DEADLINE_PENDING) & (Deadline.attempts > 0)),
        )
    )
    if case_id is not None:
        stmt = stmt.where(Deadline.case_id == case_id)
    found = []
    for deadline, case in session.execute(stmt).all():
        label = timer_label(case.workflow, case.workflow_version, deadline.timer)
        given_up = deadline.status == DEADLINE_FAILED
        trying = "" if given_up else f"; trying again at {deadline.fires_at:%H:%M} UTC"
        found.append(
            Problem(
                DEADLINE, deadline.id, case.reference,
                f"{label} (due {long_date(deadline.due_date)}) could not be applied after "
                f"{deadline.attempts} attempt{'s' if deadline.attempts != 1 else ''}{trying}",
                deadline.last_error, given_up, "Try again", deadline.fires_at if not given_up else None,
            )
        )  # fmt: skip
    return found


def _notices(session: Session, council_id: uuid.UUID, case_id: uuid.UUID | None) -> list[Problem]:
    stmt = (
        select(OutboxMessage, Case.reference)
        .join(Case, Case.id == OutboxMessage.case_id)
        .where(OutboxMessage.council_id == council_id, OutboxMessage.processed_at.is_(None))
        .where(OutboxMessage.attempts > 0, OutboxMessage.case_id.is_not(None))
    )
    if case_id is not None:
        stmt = stmt.where(OutboxMessage.case_id == case_id)
    found = []
    for message, reference in session.execute(stmt).all():
        title = message.payload.get("title") or message.payload.get("label") or message.topic
        given_up = message.failed_at is not None
        state = "was not sent: the worker gave up" if given_up else "has not been sent yet: the worker is retrying"
        found.append(
            Problem(
                NOTICE, message.id, reference,
                f"The notice \u201c{title}\u201d {state} after {message.attempts} attempts",
                message.last_error, given_up, "Try again", message.failed_at or message.retry_at,
            )
        )  # fmt: skip
    return found


def _deliveries(session: Session, council_id: uuid.UUID, case_id: uuid.UUID | None) -> list[Problem]:
    stmt = (
        select(Delivery, Case.reference)
        .join(Case, Case.id == Delivery.case_id)
        .where(Delivery.council_id == council_id, Delivery.status.in_([FAILED, UNCONFIRMED]))
        # (a digest or an account email, with no case, is not sent again from a case page)
    )
    if case_id is not None:
        stmt = stmt.where(Delivery.case_id == case_id)
    found = []
    for delivery, reference in session.execute(stmt).all():
        what = (
            f"The email to {delivery.recipient} failed"
            if delivery.status == FAILED
            else f"The email to {delivery.recipient} may not have gone: check with them before sending it again"
        )
        found.append(
            Problem(
                DELIVERY, delivery.id, reference, f"{what} ({delivery.subject})", delivery.last_error, True,
                "Send again", delivery.claimed_at or delivery.created_at,
            )
        )  # fmt: skip
    return found


def timer_label(workflow: str, version: int, timer: str) -> str:
    """The deadline's name as the workflow gives it; its stored name if the workflow no longer has it."""
    labels = {t.name: t.label for t in registry.get(workflow, version).timers}
    return labels.get(timer, timer)
