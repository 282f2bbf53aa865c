"""Sending again: deliveries whose task was lost, picked up by the worker's sweep, and a failed delivery an
officer asks to send again.

A delivery claimed long ago and never recorded belongs to a worker that died
mid-send: the email may have gone, so it is sent again after a wait
(`RetryPolicy.resend_wait`, DELIVERY_STALE_SECONDS) with the Message-ID of its
first try, so a mailbox that got both keeps one copy; after `MAX_RESENDS` such
tries it is left unconfirmed for officers, who may send it again themselves.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.models import Case, Delivery
from casework.models.notification import FAILED, PENDING, RETRYING, SENDING, UNCONFIRMED
from casework.notifying.outcomes import MAX_RESENDS, STALE_AFTER
from casework.permissions import check_case_access
from casework.transitions import locks
from casework.transitions.outbox import enqueue
from casework.transitions.trail import record_event
from workflows.roles import STAFF_ROLES

RESEND_TOPIC = "delivery.resend"  # an officer asked for a failed delivery to go again
STOPPED_MID_SEND = "The worker stopped while sending it: it may have gone, so it is sent again with the same Message-ID"


def unfinished(
    db: Database,
    *,
    now: datetime | None = None,
    older_than: timedelta = timedelta(minutes=5),
    stale_after: timedelta = STALE_AFTER,
    max_resends: int = MAX_RESENDS,
) -> list[tuple[uuid.UUID, int | None]]:
    """Deliveries whose task was lost (a broker restart, say): (id, the attempts its next try follows), to queue.

    A pending delivery waiting longer than `older_than`; a retrying one whose
    next try is `older_than` overdue (its chain of retries died); and one claimed
    `stale_after` ago and never recorded, whose worker must have died mid-send:
    it may have gone, so it is sent again with the same Message-ID (counted in
    `in_doubt`, shown to officers as resent), up to `max_resends` times; after
    that it is marked unconfirmed, for officers to decide. One transaction.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        stale = and_(Delivery.status == SENDING, Delivery.claimed_at < now - stale_after)
        resends = _sent_again(session, stale, now, max_resends)
        waiting = session.execute(
            select(Delivery.id, Delivery.status, Delivery.attempts).where(
                or_(
                    and_(Delivery.status == PENDING, Delivery.created_at < now - older_than),
                    and_(Delivery.status == RETRYING, Delivery.retry_at < now - older_than),
                )
            )
        ).all()
        return resends + [(row.id, row.attempts if row.status == RETRYING else None) for row in waiting]


def _sent_again(session: Session, stale: Any, now: datetime, max_resends: int) -> list[tuple[uuid.UUID, int | None]]:
    """Claims whose worker died mid-send: retrying at once with the same Message-ID while resends are left,
    unconfirmed after that; returns those to send again, with the attempts their next try follows."""
    again = session.execute(
        update(Delivery)
        .where(stale, Delivery.in_doubt < max_resends)
        .values(status=RETRYING, retry_at=now, in_doubt=Delivery.in_doubt + 1, last_error=STOPPED_MID_SEND)
        .returning(Delivery.id, Delivery.attempts)
    ).all()
    session.execute(
        update(Delivery)
        .where(stale)
        .values(
            status=UNCONFIRMED,
            last_error=f"The worker stopped while sending it, {max_resends + 1} times: it may or may not have gone",
        )
    )
    return [(row.id, int(row.attempts)) for row in again]


def resend(db: Database, actor: Actor, delivery_id: uuid.UUID, *, now: datetime | None = None) -> str:
    """An officer sends a failed (or unconfirmed, once checked) delivery again; returns who to. One transaction.

    The delivery starts over (pending, no attempts); the worker picks it up
    through the outbox, and the case's trail records who asked.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        delivery = session.get(Delivery, delivery_id)
        case = session.get(Case, delivery.case_id) if delivery is not None and delivery.case_id else None
        if actor.role not in STAFF_ROLES:
            raise PermissionDenied("Only council staff can send a letter or email again")
        if delivery is None or case is None:
            raise NotFound("There is no such letter or email")
        check_case_access(session, actor, case)
        case = locks.lock_case(session, case.id)
        session.refresh(delivery, with_for_update=True)
        if delivery.status not in (FAILED, UNCONFIRMED):
            status = delivery.status.replace("_", " ")
            raise Conflict(f"The email to {delivery.recipient} is {status}: there is nothing to send again")
        was = delivery.status
        delivery.status = PENDING
        delivery.attempts = 0
        delivery.retry_at = None
        delivery.claimed_at = None
        delivery.provider_status = None
        delivery.in_doubt = 0  # the same Message-ID still: a mailbox that had it after all keeps one copy
        record_event(
            session, case, actor, now=now, kind="delivery_resent",
            summary=f"Asked for the {was} email to {delivery.recipient} to be sent again: {delivery.subject}",
            data={"delivery_id": str(delivery.id), "was": was, "last_error": delivery.last_error},
        )  # fmt: skip
        enqueue(
            session, RESEND_TOPIC, {"delivery_id": str(delivery.id)}, now=now,
            council_id=case.council_id, case_id=case.id,
        )  # fmt: skip
        return delivery.recipient
