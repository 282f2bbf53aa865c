"""Turn outbox messages into deliveries, and send each delivery once.

A delivery is one message to one recipient by one channel, with a unique key,
so a message planned twice (the relay and the broker both deliver at least
once) still yields one row. Sending claims the row first (pending -> sending,
committed), sends outside any transaction, then records the result: a task
that runs again finds the row already sent and does nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casework import clock, recipients
from casework.adapters.mail import Email, MailDeliveryUncertain, Mailer, MailerUnavailable, MailRejected
from casework.config import Settings
from casework.db import Database
from casework.errors import NotFound
from casework.models import Asset, Case, CaseEvent, Council, Deadline, Delivery, Organisation, OutboxMessage, User
from casework.models.deadline import PENDING as DEADLINE_PENDING
from casework.models.notification import BY_POST, FAILED, PENDING, RETRYING, SENDING, SENT, UNCONFIRMED
from casework.notices.render import render
from casework.recipients import Recipient
from workflows import registry
from workflows.periods import long_date

log = logging.getLogger(__name__)

DELIVERING_TOPICS = {"notice.requested", "deadline.reminder", "deadline.overdue"}
STALE_AFTER = timedelta(minutes=15)  # a claim older than this belongs to a worker that died mid-send


def plan_deliveries(
    db: Database, message_id: uuid.UUID, settings: Settings, *, now: datetime | None = None
) -> list[uuid.UUID]:
    """Create the deliveries an outbox message calls for; return those still to send. One transaction.

    Safe to run any number of times for one message: rows are keyed by
    (message, recipient, channel) and inserted only if absent.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        message = session.get(OutboxMessage, message_id)
        if message is None:
            raise NotFound(f"There is no outbox message {message_id}")
        if message.topic == "account.email":
            _insert(session, _account_delivery(session, message, settings, now))
        elif message.topic in DELIVERING_TOPICS and message.case_id is not None:
            case = session.get_one(Case, message.case_id)
            for recipient in recipients.resolve(session, case, message.payload.get("parties", [])):
                _insert(session, _delivery(session, message, case, recipient, settings, now))
        message.processed_at = message.processed_at or now
        session.flush()
        return list(
            session.scalars(
                select(Delivery.id).where(Delivery.message_id == message_id, Delivery.status.in_([PENDING, RETRYING]))
            )
        )


def _insert(session: Session, row: dict[str, Any]) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(Delivery).values(**row).on_conflict_do_nothing(index_elements=["key"]))


def _delivery(
    session: Session, message: OutboxMessage, case: Case, recipient: Recipient, settings: Settings, now: datetime
) -> dict[str, Any]:
    template, subject = _template_and_subject(message)
    context = _context(session, case, message.payload, settings)
    unsubscribe = (
        f"{settings.base_url}/alerts/unsubscribe/{recipient.unsubscribe_token}" if recipient.unsubscribe_token else None
    )
    context["unsubscribe_url"] = unsubscribe
    rendered = render(template, subject, context)
    channel = ("notify" if settings.notify_api_key else "email") if recipient.email else "post"
    address = recipient.email or recipient.address or "(no address known)"
    return {
        "id": uuid.uuid4(),
        "key": f"{message.id}:{recipient.party}:{channel}:{(recipient.email or recipient.name).lower()}"[:300],
        "council_id": case.council_id,
        "case_id": case.id,
        "message_id": message.id,
        "channel": channel,
        "party": recipient.party,
        "recipient": address[:320],
        "recipient_name": recipient.name,
        "template": template,
        "subject": rendered.subject[:300],
        "body_text": rendered.text,
        "body_html": rendered.html,
        "unsubscribe_url": unsubscribe,
        "status": PENDING if recipient.email else BY_POST,
        "attempts": 0,
        "created_at": now,
    }


def _account_delivery(session: Session, message: OutboxMessage, settings: Settings, now: datetime) -> dict[str, Any]:
    """An email about the user's own account (a password reset): not about any case."""
    user = session.get_one(User, uuid.UUID(message.payload["user_id"]))
    subject = str(message.payload["title"])
    context = {
        "service_name": settings.service_name,
        "council_name": settings.service_name,
        "link": message.payload["link"],
    }
    rendered = render(str(message.payload["template"]), subject, context)
    return {
        "id": uuid.uuid4(),
        "key": f"{message.id}:account:email:{user.email}",
        "council_id": None,
        "case_id": None,
        "message_id": message.id,
        "channel": "notify" if settings.notify_api_key else "email",
        "party": "account",
        "recipient": user.email,
        "recipient_name": user.name,
        "template": str(message.payload["template"]),
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "unsubscribe_url": None,
        "status": PENDING,
        "attempts": 0,
        "created_at": now,
    }


def _template_and_subject(message: OutboxMessage) -> tuple[str, str]:
    payload = message.payload
    if message.topic == "deadline.reminder":
        return "reminder", f"Reminder: {payload['label']}"
    if message.topic == "deadline.overdue":
        return "overdue", f"Overdue: {payload['label']}"
    return str(payload["template"]), str(payload["title"])


_REASON_FIELDS = ("reasons", "proposed_modification", "missing_items", "eoi_reasons", "modification")


def _reasons(session: Session, payload: Mapping[str, Any], facts: Mapping[str, Any]) -> str | None:
    """The reasons given with the action that sent this notice, not whatever reasons the case recorded earlier."""
    event = session.get(CaseEvent, uuid.UUID(payload["event_id"])) if payload.get("event_id") else None
    source: Mapping[str, Any] = event.data if event is not None else facts
    return next((str(source[name]) for name in _REASON_FIELDS if source.get(name)), None)


def _long(value: Any) -> str:
    return long_date(date.fromisoformat(value)) if isinstance(value, str) and value else ""


def _applicant_name(session: Session, case: Case) -> str:
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    return organisation.name if organisation else "the group"


def _context(session: Session, case: Case, payload: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    asset = session.get(Asset, case.asset_id) if case.asset_id else None
    council = session.get_one(Council, case.council_id)
    defn = registry.get(case.workflow, case.workflow_version)
    pending = session.scalars(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.status == DEADLINE_PENDING)
        .order_by(Deadline.due_date)
    ).all()
    facts = case.facts
    due = payload.get("due")
    return {
        "service_name": settings.service_name,
        "council_name": council.name,
        "reference": case.reference,
        "asset": asset.name if asset else None,
        "address": asset.address if asset else None,
        "nominator": facts.get("nominating_group") or "a community group",
        "applicant": _applicant_name(session, case),
        "service": facts.get("service_name") or facts.get("service") or "the service",
        "expected_decision_by": _long(facts.get("expected_decision_by")),
        "validation_date": _long(facts.get("validation_date")),
        "representations_close_on": _long(facts.get("representations_close_on")),
        "offer_period_ends_on": _long(facts.get("offer_period_ends_on")),
        "reasons": _reasons(session, payload, facts),
        "amount": facts.get("amount_awarded"),
        "group": (facts.get("interested_groups") or [facts.get("cig_name") or "a community interest group"])[-1],
        "notice_date": long_date(date.fromisoformat(facts["notice_received_on"]))
        if facts.get("notice_received_on")
        else "",
        "label": payload.get("label", ""),
        "due": long_date(date.fromisoformat(due)) if due else "",
        "due_time": f", before {payload['due_time']}" if payload.get("due_time") else "",
        "days": payload.get("days_before", ""),
        "basis": payload.get("basis"),
        "case_url": f"{settings.base_url}/cases/{case.reference}",
        "dates": [
            {
                "label": defn.timer(d.timer).label,
                "due": long_date(d.due_date),
                "time": d.due_time.strftime("%H:%M") if d.due_time else None,
                "basis": d.basis,
            }
            for d in pending
            if d.timer in {t.name for t in defn.timers}
        ],
    }


def deliver(db: Database, delivery_id: uuid.UUID, mailer: Mailer, *, now: datetime | None = None) -> str:
    """Send one delivery unless it has gone already; returns its status afterwards.

    Claims the row in one transaction, sends with no transaction open, and
    records the outcome in another. Raises MailerUnavailable (after recording
    it) so the caller can retry; a MailRejected failure is final.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        claimed = session.execute(
            update(Delivery)
            .where(
                Delivery.id == delivery_id,
                # Never a row another worker claimed: if that worker died mid-send, the email may have gone.
                Delivery.status.in_([PENDING, RETRYING]),
            )
            .values(status=SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
            .returning(Delivery.status)
        ).first()
        delivery = session.get(Delivery, delivery_id)
        if delivery is None:
            raise NotFound(f"There is no delivery {delivery_id}")
        if claimed is None:
            return delivery.status  # sent already, or another worker has it
        email = Email(
            delivery.recipient,
            delivery.recipient_name,
            delivery.subject,
            delivery.body_text,
            delivery.body_html,
            str(delivery.id),
            delivery.unsubscribe_url,
        )
    try:
        reference = mailer.send(email)
    except MailRejected as exc:
        _finish(db, delivery_id, FAILED, error=str(exc))
        return FAILED
    except MailerUnavailable as exc:  # it certainly did not go: safe to try again
        _finish(db, delivery_id, RETRYING, error=str(exc))
        raise
    except Exception as exc:  # it may have gone: never send again automatically, tell the officers
        _finish(db, delivery_id, UNCONFIRMED, error=f"{type(exc).__name__}: {exc}")
        if isinstance(exc, MailDeliveryUncertain):
            return UNCONFIRMED
        raise
    _finish(db, delivery_id, SENT, reference=reference, sent_at=clock.utcnow())
    return SENT


def _finish(
    db: Database,
    delivery_id: uuid.UUID,
    status: str,
    *,
    error: str | None = None,
    reference: str | None = None,
    sent_at: datetime | None = None,
) -> None:
    with db.transaction() as session:
        delivery = session.get_one(Delivery, delivery_id)
        delivery.status = status
        delivery.last_error = error[:2000] if error else delivery.last_error
        delivery.provider_reference = reference or delivery.provider_reference
        delivery.sent_at = sent_at or delivery.sent_at


def record_failure(db: Database, delivery_id: uuid.UUID, error: str) -> None:
    """Retries are exhausted: mark the delivery failed, so officers see it and can act. One transaction.

    A delivery already sent, or already flagged as unconfirmed, keeps that status.
    """
    with db.transaction() as session:
        delivery = session.get_one(Delivery, delivery_id)
        if delivery.status in (PENDING, RETRYING, SENDING):
            delivery.status = FAILED
            delivery.last_error = f"Gave up after retrying: {error}"[:2000]
    log.error("delivery %s failed for good: %s", delivery_id, error)


def unfinished(
    db: Database,
    *,
    now: datetime | None = None,
    older_than: timedelta = timedelta(minutes=5),
    stale_after: timedelta = STALE_AFTER,
) -> list[uuid.UUID]:
    """Deliveries waiting longer than they should (their task was lost): to hand to the broker again.

    A delivery claimed so long ago that its worker must have died mid-send is
    marked unconfirmed instead: it may have gone, so it is not sent again, and
    officers are shown it. One transaction.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        stale = session.scalars(
            select(Delivery).where(Delivery.status == SENDING, Delivery.claimed_at < now - stale_after)
        ).all()
        for delivery in stale:
            delivery.status = UNCONFIRMED
            delivery.last_error = "The worker stopped while sending; it may or may not have been sent"
        return list(
            session.scalars(
                select(Delivery.id).where(
                    Delivery.status.in_([PENDING, RETRYING]), Delivery.created_at < now - older_than
                )
            )
        )
