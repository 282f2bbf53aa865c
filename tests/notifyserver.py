"""A stand-in for the GOV.UK Notify API, as aiosmtpd stands in for a mail server: a real HTTP server on
127.0.0.1 answering the endpoints our client calls, as Notify documents them
(docs.notifications.service.gov.uk/rest-api.html): POST /v2/notifications/email
GET /v2/notifications/{id} and GET /v2/notifications?reference=..., with Notify's
JWT authorisation and its error bodies; `callback` builds the delivery receipt
Notify would POST to a service's callback URL. Addresses starting "bounce" end as permanent failures; `answers` makes
the next requests fail with a status (or `DROP` the connection unanswered).

Precompiled letters (POST /v2/notifications/letter) are checked as Notify checks
them: the content must be a PDF, A4, and the recipient's address is read from
the envelope window; a letter with nothing there ends validation-failed.
`progress` moves a letter on (accepted -> received...), as the printer would."""

from __future__ import annotations

import base64
import binascii
import io
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"casework_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
DROP = 0  # an answer: close the connection without replying, as a request that timed out would end

_ERRORS = {
    400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: ("RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"),
    500: ("Exception", "Internal server error"),
}


@dataclass
class Notify:
    """What the stand-in has been sent, and how it will answer."""

    notifications: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    answers: deque[int] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def sent_to(self, address: str) -> list[dict[str, Any]]:
        with self.lock:
            return [n for n in self.notifications.values() if n.get("email_address") == address]

    def letters(self) -> list[dict[str, Any]]:
        with self.lock:
            return [n for n in self.notifications.values() if n["type"] == "letter"]

    def progress(self, notification_id: str, status: str) -> None:
        """What Notify's printer did with a letter: received (posted), permanent-failure, cancelled..."""
        with self.lock:
            self.notifications[notification_id]["status"] = status

    def callback(self, notification_id: str) -> dict[str, Any]:
        """The delivery receipt Notify POSTs to a service's callback URL once the notification reaches its status
        (docs.notifications.service.gov.uk, "Delivery receipts")."""
        with self.lock:
            found = self.notifications[notification_id]
        return {
            "id": notification_id,
            "reference": found.get("reference"),
            "to": found.get("email_address") or found.get("address", "").splitlines()[0],
            "status": found["status"],
            "created_at": "2026-04-01T10:00:00.000000Z",
            "completed_at": "2026-04-01T10:00:05.000000Z",
            "sent_at": "2026-04-01T10:00:01.000000Z",
            "notification_type": found["type"],
            "template_id": TEMPLATE_ID,
            "template_version": 1,
        }


class _Handler(BaseHTTPRequestHandler):
    notify: Notify  # the stand-in this server answers for

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        try:
            claims = jwt.decode(header.removeprefix("Bearer "), SECRET, algorithms=["HS256"])
        except jwt.PyJWTError:
            return False
        return claims.get("iss") == SERVICE_ID and abs(time.time() - claims.get("iat", 0)) <= 30

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int) -> None:
        kind, message = _ERRORS[status]
        self._reply(status, {"status_code": status, "errors": [{"error": kind, "message": message}]})

    def _answer_first(self) -> bool:
        with self.notify.lock:
            answer = self.notify.answers.popleft() if self.notify.answers else None
        if answer is None:
            return False
        if answer == DROP:
            self.close_connection = True
            self.connection.shutdown(2)
        else:
            self._error(answer)
        return True

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        with self.notify.lock:
            self.notify.requests.append({"path": self.path, "body": body})
        if self._answer_first():
            return
        if not self._authorised():
            return self._error(403)
        if self.path == "/v2/notifications/letter":
            return self._letter(body)
        if self.path != "/v2/notifications/email":
            return self._reply(404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "No"}]})
        if body.get("template_id") != TEMPLATE_ID or "@" not in str(body.get("email_address")):
            return self._error(400)
        notification_id = str(uuid.uuid4())
        address = str(body["email_address"])
        with self.notify.lock:
            self.notify.notifications[notification_id] = {
                **body,
                "id": notification_id,
                "type": "email",
                "status": "permanent-failure" if address.startswith("bounce") else "delivered",
            }
        personalisation = body.get("personalisation") or {}
        self._reply(
            201,
            {
                "id": notification_id,
                "reference": body.get("reference"),
                "content": {
                    "subject": personalisation.get("subject"),
                    "body": personalisation.get("body"),
                    "from_email": "casework@notifications.service.gov.uk",
                },
                "uri": f"{self.notify.url}/v2/notifications/{notification_id}",
                "template": {"id": TEMPLATE_ID, "version": 1, "uri": f"{self.notify.url}/v2/template/{TEMPLATE_ID}"},
            },
        )

    def _letter(self, body: dict[str, Any]) -> None:
        """A precompiled letter: base64 PDF content, a reference, first or second class (economy too)."""
        try:
            pdf = base64.b64decode(str(body.get("content")), validate=True)
        except (binascii.Error, ValueError):
            pdf = b""
        if not pdf.startswith(b"%PDF") or body.get("postage", "second") not in ("first", "second", "economy"):
            return self._reply(400, {"status_code": 400, "errors": [
                {"error": "ValidationError", "message": "Letter content is not a valid PDF"}]})  # fmt: skip
        address = _address_in_window(pdf)
        notification_id = str(uuid.uuid4())
        with self.notify.lock:
            self.notify.notifications[notification_id] = {
                "id": notification_id, "type": "letter", "reference": body.get("reference"),
                "postage": body.get("postage", "second"), "pdf": pdf, "address": address,
                "status": "accepted" if address else "validation-failed",
            }  # fmt: skip
        self._reply(201, {"id": notification_id, "reference": body.get("reference"), "postage": body.get("postage")})

    def do_GET(self) -> None:
        if self._answer_first():
            return
        if not self._authorised():
            return self._error(403)
        if self.path.startswith("/v2/notifications?"):
            return self._by_reference(parse_qs(urlparse(self.path).query))
        notification_id = self.path.removeprefix("/v2/notifications/")
        with self.notify.lock:
            found = self.notify.notifications.get(notification_id)
        if found is None:
            return self._reply(
                404, {"status_code": 404, "errors": [{"error": "NoResultFound", "message": "No result found"}]}
            )
        if found["type"] == "letter":
            lines = found["address"].splitlines()
            return self._reply(200, {"id": found["id"], "reference": found.get("reference"), "status": found["status"],
                                     "type": "letter", "postage": found["postage"],
                                     **{f"line_{i}": line for i, line in enumerate(lines, start=1)}})  # fmt: skip
        self._reply(200, {"id": found["id"], "reference": found.get("reference"), "status": found["status"],
                          "email_address": found["email_address"], "type": "email"})  # fmt: skip

    def _by_reference(self, query: dict[str, list[str]]) -> None:
        """GET /v2/notifications?reference=&template_type=: the service's notifications with that reference."""
        reference = (query.get("reference") or [None])[0]
        with self.notify.lock:
            found = [
                n for n in self.notify.notifications.values() if reference is None or n.get("reference") == reference
            ]
        notifications = [{"id": n["id"], "reference": n.get("reference"), "status": n["status"],
                          "email_address": n.get("email_address"), "type": n["type"]} for n in found]  # fmt: skip
        self._reply(200, {"notifications": notifications, "links": {"current": f"{self.notify.url}/v2/notifications"}})


def _address_in_window(pdf: bytes) -> str:
    """The address Notify reads from the first page: the text in the envelope window (A4, in millimetres)."""
    import pdfplumber

    mm = 72 / 25.4
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        if (round(page.width / mm), round(page.height / mm)) != (210, 297):
            return ""
        return page.crop((24.6 * mm, 39.5 * mm, 120 * mm, 66.3 * mm)).extract_text() or ""


def start_notify() -> tuple[Notify, ThreadingHTTPServer]:
    notify = Notify()
    handler = type("Handler", (_Handler,), {"notify": notify})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    notify.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return notify, server
