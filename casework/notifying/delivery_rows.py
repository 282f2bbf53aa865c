"""One delivery as a row to insert: one message to one recipient by one channel, in the words they will read.

The key is the one-delivery rule (the message, the channel and the address),
so a message planned twice still yields one row. An email's Message-ID is
fixed here, before its first try, so every try carries the same one.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from casework.adapters.mail import message_id_for
from casework.config import Settings
from casework.models import Case, OutboxMessage, User
from casework.models.notification import BY_POST, PENDING
from casework.notifying.notices.render import render
from casework.notifying.recipients import Recipient


def delivery_key(message_id: uuid.UUID, channel: str, recipient: Recipient) -> str:
    """The one-delivery rule: one per message, channel and address (for a letter: name and address)."""
    return f"{message_id}:{channel}:{recipient.identity}"[:300]


def case_delivery(
    message: OutboxMessage,
    case: Case,
    recipient: Recipient,
    settings: Settings,
    template: str,
    subject: str,
    context: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """A notice about a case to one recipient: an email if they have an address, else a delivery by post."""
    unsubscribe = (
        f"{settings.base_url}/alerts/unsubscribe/{recipient.unsubscribe_token}" if recipient.unsubscribe_token else None
    )
    rendered = render(template, subject, _personal(context, recipient, unsubscribe))
    channel = ("notify" if settings.notify_api_key else "email") if recipient.email else "post"
    address = recipient.email or recipient.address or "(no address known)"
    delivery_id = uuid.uuid4()
    return {
        "id": delivery_id,
        "key": delivery_key(message.id, channel, recipient),
        "council_id": case.council_id,
        "case_id": case.id,
        "message_id": message.id,
        "channel": channel,
        "parties": list(recipient.parties or (recipient.party,)),
        "recipient": address[:320],
        "recipient_name": recipient.name,
        "template": template,
        "subject": rendered.subject[:300],
        "body_text": rendered.text,
        "body_html": rendered.html,
        "unsubscribe_url": unsubscribe,
        "status": PENDING if recipient.email else BY_POST,
        **_untried(delivery_id, channel, settings, now),
    }


def _personal(context: Mapping[str, Any], recipient: Recipient, unsubscribe: str | None) -> dict[str, Any]:
    """The notice's particulars as this recipient reads them: their own link to stop alerts, and for someone who
    only asked for alerts the public register entry rather than the case page."""
    personal = {**context, "unsubscribe_url": unsubscribe}
    if recipient.only_an_alert and context.get("register_url"):
        # Someone who only asked for alerts may have no account: send them to the page anyone can open.
        personal.update(case_url=context["register_url"], link_text="See the register entry")
    return personal


def account_delivery(session: Session, message: OutboxMessage, settings: Settings, now: datetime) -> dict[str, Any]:
    """An email about someone's own account (a password reset, an invitation to a staff role): not about any case."""
    payload = message.payload
    email, name = _account_holder(session, payload)
    subject = str(payload["title"])
    context: dict[str, Any] = {
        "service_name": settings.service_name,
        "council_name": payload.get("council") or settings.service_name,
        "link": payload["link"],
        **{key: payload[key] for key in ("council", "role", "about") if key in payload},
    }
    rendered = render(str(message.payload["template"]), subject, context)
    channel = "notify" if settings.notify_api_key else "email"
    delivery_id = uuid.uuid4()
    return {
        "id": delivery_id,
        "key": f"{message.id}:{channel}:{email.lower()}"[:300],
        "council_id": None,
        "case_id": None,
        "message_id": message.id,
        "channel": channel,
        "parties": ["account"],
        "recipient": email,
        "recipient_name": name,
        "template": str(message.payload["template"]),
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "unsubscribe_url": None,
        "status": PENDING,
        **_untried(delivery_id, channel, settings, now),
    }


def _account_holder(session: Session, payload: Mapping[str, Any]) -> tuple[str, str]:
    """The address and name the email goes to. An invitation names its address rather than a user: whether the
    address has an account is nobody's business until its holder accepts."""
    if "email" in payload:
        return str(payload["email"]), str(payload.get("name") or "")
    user = session.get_one(User, uuid.UUID(payload["user_id"]))
    return user.email, user.name


def _untried(delivery_id: uuid.UUID, channel: str, settings: Settings, now: datetime) -> dict[str, Any]:
    """What every new delivery starts with: no tries yet, and an email's Message-ID fixed before the first."""
    return {
        "attempts": 0,
        "created_at": now,
        "email_message_id": message_id_for(str(delivery_id), settings.mail_from) if channel == "email" else None,
        "in_doubt": 0,
    }
