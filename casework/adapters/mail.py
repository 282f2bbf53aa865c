"""Sending email: over SMTP, through GOV.UK Notify, or into files when nothing is configured (make run).

A mailer raises MailerUnavailable when the message certainly did not go and a
retry may work (the server is down), MailRejected when it will never go (a bad
address), and MailDeliveryUncertain when the provider may have accepted it (the
connection died after the message was handed over): that one must not be
retried at once, or the recipient could get it twice. Every email carries a
Message-ID fixed before its first try, so when such an email is sent again
after a wait (casework.notifying.deliveries) both copies carry the same one.
"""

from __future__ import annotations

import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Protocol, runtime_checkable
from urllib.parse import parse_qs, unquote, urlparse

from casework.config import Settings


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


def _message(email: Email, sender: str) -> Message:
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


# SMTP wants CRLF line ends; headers are folded only past SMTP's own line limit (a link stays on one line).
_WIRE = compat32.clone(linesep="\r\n", max_line_length=998)
_FILE = compat32.clone(max_line_length=998)


class SmtpMailer:
    """smtp://user:password@host:port, smtps://... for implicit TLS, ?starttls=true to upgrade.

    One connection is kept open and used for message after message (a worker
    sends many), and opened again when it has been idle, has carried
    `per_connection` messages, or turns out to have been closed by the server
    before a message was handed over. Not for use by two threads at once.
    """

    def __init__(
        self, url: str, sender: str, *, timeout: float = 30, idle: float = 30, per_connection: int = 100
    ) -> None:
        parsed = urlparse(url)
        self.host = parsed.hostname or "localhost"
        self.implicit_tls = parsed.scheme == "smtps"
        self.port = parsed.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None
        self.starttls = parse_qs(parsed.query).get("starttls", ["false"])[0].lower() in {"1", "true", "yes"}
        self.sender = sender
        self.timeout = timeout
        self.idle = idle
        self.per_connection = per_connection
        self._smtp: smtplib.SMTP | None = None
        self._used_at = 0.0
        self._carried = 0
        self.connections = 0  # opened so far: how well reuse works

    def send(self, email: Email) -> str:
        message = _message(email, self.sender)
        reused = self._smtp is not None and self._fresh_enough()
        if not reused:
            self.close()
        smtp = self._smtp or self._open()
        try:
            self._envelope(smtp, email)
        except _Disconnected as exc:
            self.close()
            if not reused:
                raise MailerUnavailable(f"could not send through {self.host}:{self.port}: {exc}") from exc
            smtp = self._open()  # the server closed a connection we kept: nothing was handed over, so once more
            try:
                self._envelope(smtp, email)
            except _Disconnected as again:
                self.close()
                raise MailerUnavailable(f"could not send through {self.host}:{self.port}: {again}") from again
        except (MailRejected, MailerUnavailable):
            self._reset()
            raise
        try:
            self._data(smtp, message)
        except MailDeliveryUncertain:
            self.close()
            raise
        except (MailRejected, MailerUnavailable):
            self._reset()
            raise
        self._used_at = time.monotonic()
        self._carried += 1
        return str(message["Message-ID"])

    def close(self) -> None:
        """Say goodbye and drop the connection (a worker process shutting down, or a connection gone bad)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()  # every message is already accepted or refused: a failed goodbye changes nothing

    def _fresh_enough(self) -> bool:
        return time.monotonic() - self._used_at < self.idle and self._carried < self.per_connection

    def _open(self) -> smtplib.SMTP:
        try:
            if self.implicit_tls:
                context = ssl.create_default_context()
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            raise MailerUnavailable(f"could not connect to {self.host}:{self.port}: {exc}") from exc
        self._smtp, self._used_at, self._carried = smtp, time.monotonic(), 0
        self.connections += 1
        return smtp

    def _reset(self) -> None:
        """After a refusal the server still holds the half-made message: clear it, or start over."""
        if self._smtp is None:
            return
        try:
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def _envelope(self, smtp: smtplib.SMTP, email: Email) -> None:
        """Everything before the message is handed over: a failure here means it certainly did not go."""
        try:
            code, reply = smtp.mail(parseaddr(self.sender)[1])
            if code != 250:
                raise _refusal(code, reply, "the sender")
            code, reply = smtp.rcpt(email.to)
            if code not in (250, 251):
                raise _refusal(code, reply, email.to)
        except (smtplib.SMTPServerDisconnected, ConnectionError) as exc:
            raise _Disconnected(str(exc)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailerUnavailable(f"could not send through {self.host}:{self.port}: {exc}") from exc

    def _data(self, smtp: smtplib.SMTP, message: Message) -> None:
        """Hand the message over. A clear refusal is final or retryable; anything else leaves us unsure."""
        try:
            smtp.data(message.as_bytes(policy=_WIRE))
        except smtplib.SMTPDataError as exc:
            raise _refusal(exc.smtp_code, exc.smtp_error, "the message") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailDeliveryUncertain(f"the connection to {self.host} failed while sending: {exc}") from exc


class _Disconnected(Exception):
    """The server had closed the connection before the message was handed over."""


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


class NotifyMailer:
    """GOV.UK Notify, through a template whose content is ((subject)) and ((body)).

    Errors follow Notify's API documentation: 400 and 403 will never succeed; 429
    (rate limit) and 500 ("resend your notification") and an unreachable service
    will, later. A request that may have reached Notify (a read timeout, a dropped
    connection, a gateway timeout) is not sent again: it may have been accepted.
    """

    def __init__(self, api_key: str, template_id: str, *, base_url: str | None = None, timeout: float = 30) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            api_key, base_url=base_url or "https://api.notifications.service.gov.uk", timeout=timeout
        )
        self.template_id = template_id

    def send(self, email: Email) -> str:
        from notifications_python_client.errors import APIError

        try:
            response = self.client.send_email_notification(
                email_address=email.to,
                template_id=self.template_id,
                personalisation={"subject": email.subject, "body": email.text},
                reference=email.reference,
                one_click_unsubscribe_url=email.unsubscribe_url,
            )
        except APIError as exc:
            raise notify_failure(exc, "the message") from exc
        return str(response["id"])

    def status(self, reference: str) -> ProviderStatus | None:
        return notify_status(self.client, reference)

    def find(self, reference: str) -> str | None:
        """Did Notify accept an email with our reference (a try that may have gone)? Its id if so.

        Notify sets its own Message-ID, so a second request would be a second
        email with another: before sending one again, ask (GET /v2/notifications?reference=).
        """
        from notifications_python_client.errors import APIError

        try:
            found = self.client.get_all_notifications(reference=reference, template_type="email")
        except APIError as exc:
            raise MailerUnavailable(f"GOV.UK Notify did not say whether it has the email: {exc}") from exc
        notifications = found.get("notifications") or []
        return str(notifications[0]["id"]) if notifications else None


def notify_failure(exc: Any, what: str) -> MailDeliveryUncertain | MailerUnavailable | MailRejected:
    """What a failed request to GOV.UK Notify (its client's APIError) means for sending `what` (an email, a
    letter): 400 and 403 will never succeed, 429, 5xx and an unreachable service will later, and a request that
    may have reached Notify is uncertain, never sent again by itself."""
    reply = exc.response
    if reply is None and _never_connected(exc):
        return MailerUnavailable(f"GOV.UK Notify could not be reached: {exc.__cause__}")
    if reply is None:
        return MailDeliveryUncertain(f"GOV.UK Notify stopped answering while sending: {exc.__cause__}")
    if reply.status_code in (400, 403):
        return MailRejected(f"GOV.UK Notify refused {what}: {_notify_errors(exc)}")
    if reply.status_code in (429, 500, 502, 503):
        return MailerUnavailable(f"GOV.UK Notify is unavailable ({reply.status_code}): {_notify_errors(exc)}")
    return MailDeliveryUncertain(
        f"GOV.UK Notify failed while accepting {what} ({reply.status_code}): {_notify_errors(exc)}"
    )


def notify_status(client: Any, notification_id: str) -> ProviderStatus | None:
    """What GOV.UK Notify says became of a notification (an email or a letter); None if it does not know it."""
    from notifications_python_client.errors import APIError

    try:
        found = client.get_notification_by_id(notification_id)
    except APIError as exc:
        if exc.response is not None and exc.response.status_code in (400, 404):
            return None  # not a notification Notify knows (it keeps them for 7 days)
        raise MailerUnavailable(f"GOV.UK Notify did not say: {exc}") from exc
    return ProviderStatus(str(found["status"]))


def _never_connected(exc: BaseException) -> bool:
    """Did the request fail before a connection was made (so Notify certainly never saw it)?"""
    from requests.exceptions import ConnectionError as NotConnected
    from requests.exceptions import ConnectTimeout
    from urllib3.exceptions import NewConnectionError

    cause = exc.__cause__
    if isinstance(cause, ConnectTimeout):
        return True
    if isinstance(cause, NotConnected) and cause.args:
        reason = getattr(cause.args[0], "reason", cause.args[0])
        return isinstance(reason, NewConnectionError)
    return False


def _notify_errors(exc: Any) -> str:
    """Notify's own words: {"errors": [{"error": "BadRequestError", "message": "..."}]}."""
    message = exc.message
    if isinstance(message, list):
        return "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item) for item in message)
    return str(message)


class FileMailer:
    """Writes each email as an .eml file: the default when no mail server is configured."""

    def __init__(self, directory: str, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def send(self, email: Email) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        message = _message(email, self.sender)
        path = self.directory / f"{email.reference}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(message.as_bytes(policy=_FILE))
        return str(message["Message-ID"])


def _refusal(code: int, reply: bytes | str, what: str) -> Exception:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    if 500 <= code < 600:
        return MailRejected(f"the mail server refused {what}: {code} {text}")
    return MailerUnavailable(f"the mail server deferred {what}: {code} {text}")


def mailer_for(settings: Settings) -> Mailer:
    """GOV.UK Notify if a key is set, else SMTP if a URL is set, else files in `mail_dir`."""
    if settings.notify_api_key:
        if not settings.notify_template_id:
            raise ValueError("NOTIFY_API_KEY is set but NOTIFY_TEMPLATE_ID is not")
        return NotifyMailer(settings.notify_api_key, settings.notify_template_id, base_url=settings.notify_base_url)
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return FileMailer(settings.mail_dir, settings.mail_from)
