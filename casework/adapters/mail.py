"""Sending email: what every mailer promises, the email as MIME, and files when nothing is configured (make run).

A mailer raises MailerUnavailable when the message certainly did not go and a
retry may work (the server is down), MailRejected when it will never go (a bad
address), and MailDeliveryUncertain when the provider may have accepted it (the
connection died after the message was handed over): that one must not be
retried at once, or the recipient could get it twice. Every email carries a
Message-ID fixed before its first try, so when such an email is sent again
after a wait (casework.notifying.outcomes) both copies carry the same one.
The mailers are casework.adapters.smtp, casework.adapters.notify and
`FileMailer`; casework.adapters.mailers chooses one from the settings.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Protocol, runtime_checkable


class MailerUnavailable(Exception):
    """A transient failure: try again later."""


class MailRejected(Exception):
    """A permanent failure: retrying will not help."""


class MailDeliveryUncertain(Exception):
    """The message may or may not have been accepted: never send it again automatically."""


@dataclass(frozen=True)
class Email:
    to: str
    to_name: str | None
    subject: str
    text: str
    html: str
    reference: str  # our delivery id: the Message-ID and Notify reference are built from it
    unsubscribe_url: str | None = None
    message_id: str | None = None  # the Message-ID header stored with the delivery; None: built from `reference`


def message_id_for(reference: str, sender: str) -> str:
    """The Message-ID of the email with this reference (a delivery id, unique): the same on every try.

    Fixed before the first try and stored with the delivery, so that an email
    sent again after a try that may have gone carries the first one's Message-ID
    and a mailbox that receives both keeps one.
    """
    domain = parseaddr(sender)[1].rsplit("@", 1)[-1] or "casework.invalid"
    return f"<{reference}@{domain}>"


def fresh_message_id(reference: str, stored: str | None) -> str:
    """A new Message-ID for a deliberate new copy (an officer's "send again"), on the stored one's domain."""
    domain = (stored or "").rstrip(">").rsplit("@", 1)[-1] or "casework.invalid"
    return make_msgid(idstring=reference, domain=domain)


class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Send one email; return the provider's reference for it (proof of service)."""
        ...


@dataclass(frozen=True)
class ProviderStatus:
    """What the provider says became of an email: GOV.UK Notify's status names (delivered, permanent-failure...)."""

    status: str


@runtime_checkable
class SentLookup(Protocol):
    def find(self, reference: str) -> str | None:
        """The provider's reference for an email it accepted with our `reference`, or None if it has none."""
        ...


@runtime_checkable
class StatusSource(Protocol):
    def status(self, reference: str) -> ProviderStatus | None:
        """What became of the email with this provider reference; None if the provider no longer knows it."""
        ...


def mime_message(email: Email, sender: str) -> Message:
    """The email as MIME: plain text and HTML alternatives, our Message-ID, one-click unsubscribe for alerts.

    Built with the `email.mime` classes (compat32), which cost a sixth of what
    EmailMessage's header registry does: a worker builds thousands of these.
    """
    message = MIMEMultipart("alternative")
    message["From"] = sender
    message["To"] = formataddr((email.to_name, email.to), charset="utf-8") if email.to_name else email.to
    message["Subject"] = email.subject if email.subject.isascii() else Header(email.subject, "utf-8").encode()
    message["Message-ID"] = email.message_id or message_id_for(email.reference, sender)
    if email.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.attach(MIMEText(email.text, "plain", "utf-8"))
    message.attach(MIMEText(email.html, "html", "utf-8"))
    return message


# Written as a mail client would read it; headers folded only past SMTP's own line limit, as on the wire.
_FILE = compat32.clone(max_line_length=998)


class FileMailer:
    """Writes each email as an .eml file: the default when no mail server is configured."""

    def __init__(self, directory: str, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def send(self, email: Email) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        message = mime_message(email, self.sender)
        path = self.directory / f"{email.reference}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(message.as_bytes(policy=_FILE))
        return str(message["Message-ID"])
