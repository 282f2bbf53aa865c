"""Sending email: over SMTP, through GOV.UK Notify, or into files when nothing is configured (make run).

A mailer raises MailerUnavailable when the message certainly did not go and a
retry may work (the server is down), MailRejected when it will never go (a bad
address), and MailDeliveryUncertain when the provider may have accepted it (the
connection died after the message was handed over): that one must not be
retried, or the recipient could get it twice.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from pathlib import Path
from typing import Protocol
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


class Mailer(Protocol):
    def send(self, email: Email) -> str:
        """Send one email; return the provider's reference for it (proof of service)."""
        ...


def _message(email: Email, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f'"{email.to_name}" <{email.to}>' if email.to_name else email.to
    message["Subject"] = email.subject
    domain = sender.rsplit("@", 1)[-1].rstrip(">") or "casework.invalid"
    message["Message-ID"] = make_msgid(idstring=email.reference, domain=domain)
    if email.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message


class SmtpMailer:
    """smtp://user:password@host:port, smtps://... for implicit TLS, ?starttls=true to upgrade."""

    def __init__(self, url: str, sender: str, *, timeout: float = 30) -> None:
        parsed = urlparse(url)
        self.host = parsed.hostname or "localhost"
        self.implicit_tls = parsed.scheme == "smtps"
        self.port = parsed.port or (465 if self.implicit_tls else 25)
        self.username = unquote(parsed.username) if parsed.username else None
        self.password = unquote(parsed.password) if parsed.password else None
        self.starttls = parse_qs(parsed.query).get("starttls", ["false"])[0].lower() in {"1", "true", "yes"}
        self.sender = sender
        self.timeout = timeout

    def send(self, email: Email) -> str:
        message = _message(email, self.sender)
        try:
            smtp = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            raise MailerUnavailable(f"could not connect to {self.host}:{self.port}: {exc}") from exc
        try:
            self._envelope(smtp, email)
            self._data(smtp, message)
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()  # the message is already accepted (or refused): a failed goodbye changes nothing
        return str(message["Message-ID"])

    def _envelope(self, smtp: smtplib.SMTP, email: Email) -> None:
        """Everything before the message is handed over: a failure here means it certainly did not go."""
        try:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.ehlo_or_helo_if_needed()
            code, reply = smtp.mail(parseaddr(self.sender)[1])
            if code != 250:
                raise _refusal(code, reply, "the sender")
            code, reply = smtp.rcpt(email.to)
            if code not in (250, 251):
                raise _refusal(code, reply, email.to)
        except (smtplib.SMTPException, OSError) as exc:
            raise MailerUnavailable(f"could not send through {self.host}:{self.port}: {exc}") from exc

    def _data(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
        """Hand the message over. A clear refusal is final or retryable; anything else leaves us unsure."""
        try:
            smtp.data(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
        except smtplib.SMTPDataError as exc:
            raise _refusal(exc.smtp_code, exc.smtp_error, "the message") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailDeliveryUncertain(f"the connection to {self.host} failed while sending: {exc}") from exc

    def _connect(self) -> smtplib.SMTP:
        if self.implicit_tls:
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)


class NotifyMailer:
    """GOV.UK Notify, through a template whose content is ((subject)) and ((body))."""

    def __init__(self, api_key: str, template_id: str) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key)
        self.template_id = template_id

    def send(self, email: Email) -> str:
        from notifications_python_client.errors import HTTPError
        from requests.exceptions import ConnectionError as NotConnected
        from requests.exceptions import ConnectTimeout, RequestException

        try:
            response = self.client.send_email_notification(
                email_address=email.to,
                template_id=self.template_id,
                personalisation={"subject": email.subject, "body": email.text},
                reference=email.reference,
                one_click_unsubscribe_url=email.unsubscribe_url,
            )
        except HTTPError as exc:
            if exc.status_code in (400, 403):
                raise MailRejected(f"GOV.UK Notify refused the message: {exc.message}") from exc
            if exc.status_code in (429, 502, 503, 504):
                raise MailerUnavailable(f"GOV.UK Notify is unavailable: {exc.message}") from exc
            raise MailDeliveryUncertain(f"GOV.UK Notify failed while accepting the message: {exc.message}") from exc
        except (NotConnected, ConnectTimeout) as exc:
            raise MailerUnavailable(f"GOV.UK Notify could not be reached: {exc}") from exc
        except RequestException as exc:
            raise MailDeliveryUncertain(f"GOV.UK Notify stopped answering while sending: {exc}") from exc
        return str(response["id"])


class FileMailer:
    """Writes each email as an .eml file: the default when no mail server is configured."""

    def __init__(self, directory: str, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def send(self, email: Email) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        message = _message(email, self.sender)
        path = self.directory / f"{email.reference}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(message))
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
        return NotifyMailer(settings.notify_api_key, settings.notify_template_id)
    if settings.smtp_url:
        return SmtpMailer(settings.smtp_url, settings.mail_from)
    return FileMailer(settings.mail_dir, settings.mail_from)
