"""Proof of service from GOV.UK Notify: what it says became of the emails it took, by polling and by its
callbacks.

Notify keeps a notification's status for 7 days; a final failure (the address
does not exist, the inbox is full, Notify's own failure) makes the delivery
failed, for officers, and a "delivered" for an email in doubt is proof that
Notify had it, so it is not sent again.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update

from casework import clock
from casework.adapters.mail import MailerUnavailable, ProviderStatus, StatusSource
from casework.db import Database
from casework.errors import NotFound
from casework.models import Delivery
from casework.models.notification import FAILED, RETRYING, SENDING, SENT, UNCONFIRMED

log = logging.getLogger(__name__)

PROVIDER_FINAL = {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}
PROVIDER_FAILED = {"permanent-failure", "temporary-failure", "technical-failure"}


def check_provider_statuses(
    db: Database, source: StatusSource, *, now: datetime | None = None, limit: int = 200
) -> int:
    """Ask the provider what became of sent emails it has not yet given a final answer on; returns how many changed.

    GOV.UK Notify keeps a notification's status for 7 days, so only emails sent
    since then are asked about. A final failure (the address does not exist, the
    inbox is full, Notify's own failure) makes the delivery failed, for officers.
    """
    now = now or clock.utcnow()
    return _store_answers(db, _ask(source, _unanswered(db, now, limit)), now)


def _unanswered(db: Database, now: datetime, limit: int) -> list[tuple[uuid.UUID, str]]:
    """Emails sent through Notify in the last 7 days with no final status yet: (delivery id, Notify's id)."""
    with db.reader() as session:
        rows = session.execute(
            select(Delivery.id, Delivery.provider_reference)
            .where(
                Delivery.channel == "notify",
                Delivery.status == SENT,
                Delivery.provider_reference.is_not(None),
                Delivery.sent_at > now - timedelta(days=7),
                or_(Delivery.provider_status.is_(None), Delivery.provider_status.not_in(sorted(PROVIDER_FINAL))),
            )
            .order_by(Delivery.sent_at)
            .limit(limit)
        ).all()
    return [(delivery_id, str(reference)) for delivery_id, reference in rows]


def _ask(source: StatusSource, emails: list[tuple[uuid.UUID, str]]) -> list[tuple[uuid.UUID, ProviderStatus]]:
    """The provider's answers, asked with no transaction open; an unreachable provider is asked again next time."""
    answers: list[tuple[uuid.UUID, ProviderStatus]] = []
    for delivery_id, reference in emails:
        try:
            answer = source.status(reference)
        except MailerUnavailable as exc:
            log.warning("could not ask about delivery %s: %s", delivery_id, exc)
            break  # the provider is unreachable: ask again next time
        if answer is not None:
            answers.append((delivery_id, answer))
    return answers


def _store_answers(db: Database, answers: list[tuple[uuid.UUID, ProviderStatus]], now: datetime) -> int:
    """Record each new answer on its delivery, still sent; returns how many changed. One transaction."""
    changed = 0
    with db.transaction() as session:
        for delivery_id, answer in answers:
            values: dict[str, Any] = {"provider_status": answer.status[:40], "provider_checked_at": now}
            if answer.status in PROVIDER_FAILED:
                values.update(status=FAILED, last_error=f"GOV.UK Notify could not deliver it: {answer.status}")
            result = session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.status == SENT)
                .where(or_(Delivery.provider_status.is_(None), Delivery.provider_status != answer.status))
                .values(**values)
            )
            changed += cast(CursorResult[Any], result).rowcount
    return changed


@dataclass(frozen=True)
class ProviderCallback:
    """GOV.UK Notify's delivery receipt, as its callback sends it: its own id for the notification, our reference
    (the delivery id), the address, its status and when it was created, sent and completed."""

    notification_id: str
    reference: str | None
    to: str
    status: str
    notification_type: str
    created_at: datetime | None = None
    sent_at: datetime | None = None
    completed_at: datetime | None = None


def record_callback(db: Database, callback: ProviderCallback, *, now: datetime | None = None) -> str:
    """What GOV.UK Notify called back to say became of an email; returns the delivery's status after. One
    transaction.

    The email is found by our reference or Notify's id, and must be to the
    address the callback names. A final failure makes it failed, for officers; a
    "delivered" (or "sending") for an email in doubt is proof that Notify had it,
    so it is recorded sent and not sent again. An email still being sent keeps
    its status (the worker records it a moment later); the answer is kept.
    """
    now = now or clock.utcnow()
    found = [Delivery.provider_reference == callback.notification_id]
    reference = _uuid(callback.reference)
    if reference is not None:
        found.append(Delivery.id == reference)
    with db.transaction() as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.channel == "notify", or_(*found)).with_for_update()
        ).first()
        if delivery is None or delivery.recipient.lower() != callback.to.strip().lower():
            raise NotFound("There is no email with that id, reference and address")
        delivery.provider_status = callback.status[:40]
        delivery.provider_checked_at = now
        in_doubt = delivery.status == UNCONFIRMED or (delivery.status == RETRYING and delivery.in_doubt > 0)
        if callback.status in PROVIDER_FAILED and (delivery.status == SENT or in_doubt):
            delivery.status = FAILED
            delivery.last_error = f"GOV.UK Notify could not deliver it: {callback.status}"
        elif callback.status in {"sending", "delivered"} and in_doubt:
            delivery.status = SENT
            delivery.sent_at = callback.sent_at or now
            delivery.retry_at = None
        if delivery.status != SENDING:
            delivery.provider_reference = callback.notification_id[:300]
        log.info("GOV.UK Notify says delivery %s is %s", delivery.id, callback.status)
        return delivery.status


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text)) if text else None
    except ValueError:
        return None
