"""Reading what an endpoint was sent: only the fields the OpenAPI document names, ids and whole numbers checked
(each refusal a 422 naming the field), when the council received it, and a 201 pointing at the case made."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import jsonify, request, url_for
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.errors import InvalidInput
from casework.vocabulary import STAFF_ROLES
from web.api.openapi import body_fields
from web.api.serialise import plain
from web.api.tokens import actor


def body(kind: str) -> dict[str, Any]:
    """The JSON object sent, holding only the fields the document names for this kind of body (body_fields)."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput({"body": "Send a JSON object with Content-Type: application/json"})
    known = body_fields(kind, london_date(utcnow()))
    unknown = {str(name): "Unknown field" for name in data if name not in known}
    if unknown:
        raise InvalidInput(unknown)
    return data


def uuid_field(data: dict[str, Any], field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get(field)))
    except ValueError:
        raise InvalidInput({field: "Give a valid id"}) from None


def whole_number(data: dict[str, Any], field: str) -> int:
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput({field: "Give a whole number"})
    return value


def created(result: Any) -> ResponseReturnValue:
    response = jsonify(plain(result))
    response.status_code = 201
    response.headers["Location"] = url_for("api.case", reference=result.reference)
    return response


def received_on(data: dict[str, Any]) -> date:
    """When the council received what is sent: today, unless staff record something that came earlier."""
    if actor().role in STAFF_ROLES and data.get("received_on"):
        return date.fromisoformat(data["received_on"])  # the schema checked it is a date
    return london_date(utcnow())  # what an owner or group sends online is received when they send it
