"""Sending email over SMTP, one kept connection for message after message.

What went wrong is read by when it happened: before the message was handed
over it certainly did not go (retry, or refused for good); while it was being
handed over, nobody can be sure (casework.adapters.mail explains the errors).
"""

from __future__ import annotations

import smtplib
import ssl
import time
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlparse

from casework.adapters.mail import Email, MailDeliveryUncertain, MailerUnavailable, MailRejected, mime_message

# SMTP wants CRLF line ends; headers are folded only past SMTP's own line limit (a link stays on one line).
_WIRE = compat32.clone(linesep="\r\n", max_line_length=998)


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
        message = mime_message(email, self.sender)
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


def _refusal(code: int, reply: bytes | str, what: str) -> Exception:
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    if 500 <= code < 600:
        return MailRejected(f"the mail server refused {what}: {code} {text}")
    return MailerUnavailable(f"the mail server deferred {what}: {code} {text}")
