"""GOV.UK Notify's delivery receipts: Notify calls back with what became of each notification.

Authenticated as Notify sends it, `Authorization: Bearer <token>` with the token
set on the service's callback in Notify and here as NOTIFY_CALLBACK_TOKEN,
compared in constant time; no token configured means every call is refused.
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from casework.errors import InvalidInput
from casework.notifying import callbacks as provider_callbacks
from casework.notifying.receipts import ProviderCallback
from web.api import bp
from web.api.schemas import validated
from web.extensions import casework_db, settings
from web.problems import problem


def _from_notify() -> bool:
    expected = settings().notify_callback_token
    header = request.headers.get("Authorization", "")
    sent = header[7:].strip() if header.lower().startswith("bearer ") else ""
    return bool(expected and sent) and hmac.compare_digest(sent.encode(), str(expected).encode())


@bp.route("/v1/notify/delivery-receipts", methods=["POST"])
def notify_delivery_receipt() -> ResponseReturnValue:
    """Record a receipt; 404 for a notification this service did not send (Notify then tries a few times more)."""
    if not _from_notify():
        refused = problem(401, "GOV.UK Notify's callback token is needed", "Send Authorization: Bearer <token>",
                          code="unauthenticated")  # fmt: skip
        refused.headers["WWW-Authenticate"] = 'Bearer realm="GOV.UK Notify callbacks"'
        return refused
    data = validated("NotifyCallback")
    callback = ProviderCallback(
        notification_id=str(data["id"]),
        reference=data.get("reference"),
        to=str(data["to"]),
        status=str(data["status"]),
        notification_type=str(data["notification_type"]),
        created_at=_moment(data, "created_at"),
        sent_at=_moment(data, "sent_at"),
        completed_at=_moment(data, "completed_at"),
    )
    status = provider_callbacks.record(casework_db(), callback)
    return jsonify({"id": callback.notification_id, "status": status})


def _moment(data: dict[str, Any], name: str) -> datetime | None:
    value = data.get(name)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput({name: "Give a date and time like 2026-05-14T12:15:30.000000Z"}) from None
    if moment.tzinfo is None:
        raise InvalidInput({name: "Give a date and time with its offset from UTC, like 2026-05-14T12:15:30Z"})
    return moment
