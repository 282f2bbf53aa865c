"""A real SMTP server for tests (aiosmtpd), counting every message it receives."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    recipients: list[str]
    message: Message

    @property
    def subject(self) -> str:
        return str(self.message["Subject"]).strip()

    @property
    def text(self) -> str:
        return self._part("text/plain")

    @property
    def html(self) -> str:
        return self._part("text/html")

    def _part(self, kind: str) -> str:
        for part in self.message.walk():
            if part.get_content_type() == kind:
                payload = part.get_payload(decode=True)
                return payload.decode() if isinstance(payload, bytes) else str(payload)
        return ""


@dataclass
class MailServer:
    """Collects messages; refuses addresses starting with "refused" (while `refuse`); `delay` slows each message
    down; `defer` answers that many recipients "451 try again later" first, as a busy server does, and an address
    starting with "busy" always gets that answer."""

    delay: float = 0.0
    refuse: bool = True
    defer: int = 0
    deferred: int = 0
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.refuse and address.startswith("refused"):
            return "550 No such mailbox"
        if address.startswith("busy"):
            return "451 Mailbox busy: try again later"
        with self.lock:
            if self.deferred < self.defer:
                self.deferred += 1
                return "451 Too busy: try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.delay:
            time.sleep(self.delay)
        content: Any = envelope.content
        message = email.message_from_bytes(
            content if isinstance(content, bytes) else content.encode(), policy=email.policy.default
        )
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.recipients]

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.1)
        with self.lock:
            raise AssertionError(
                f"expected {count} emails, got {len(self.received)}: {[r.subject for r in self.received]}"
            )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_mail_server(delay: float = 0.0, *, port: int | None = None, defer: int = 0) -> tuple[MailServer, Controller]:
    handler = MailServer(delay=delay, defer=defer)
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return handler, controller
