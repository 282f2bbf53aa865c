"""The shapes of API request bodies, as JSON Schema: checked on every request and published in the OpenAPI
document, so the two cannot disagree. A body of the wrong shape is a 422 naming each field, never a 500."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema_rs
from flask import request

from casework.assets import CATEGORIES, PARTY_KINDS
from casework.errors import InvalidInput
from casework.vocabulary import EXEMPT_DISPOSALS, LandAnswers

Schema = dict[str, Any]


# Text no database column can hold (a NUL byte) is refused before any schema is checked (web.errors: a 400); the
# document says so on every string, so that a client knows it. A lone surrogate cannot be JSON-decoded to text at all.
STORABLE = "^[^\\u0000]*$"


def text(max_length: int = 5000, **more: Any) -> Schema:
    return {"type": "string", "maxLength": max_length, "pattern": STORABLE, **more}


def optional_text(max_length: int = 300) -> Schema:
    return {"type": ["string", "null"], "maxLength": max_length, "pattern": STORABLE}


def strings(max_length: int = 100) -> Schema:
    return {"type": "array", "items": text(max_length), "maxItems": 50}


UUID: Schema = {"type": "string", "format": "uuid"}
# An address notices are sent to, checked as the pages check it: `format: email` refuses a CR or LF, which could
# otherwise add headers to the email.
EMAIL: Schema = {"type": ["string", "null"], "maxLength": 320, "format": "email",
                 "description": "An email address, on one line (no CR or LF)"}  # fmt: skip
DATE: Schema = {"type": "string", "format": "date"}
MONEY: Schema = {"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$"}


def body(required: tuple[str, ...], **properties: Schema) -> Schema:
    return {"type": "object", "required": list(required), "properties": properties, "additionalProperties": False}


ASSET = body(
    ("name", "address"),
    name=text(300, minLength=1),
    address=text(1000, minLength=1),
    postcode=optional_text(10),
    uprn={"type": ["string", "null"], "pattern": r"^\d{1,12}$"},
    title_numbers=strings(30),
    category={"type": "string", "enum": list(CATEGORIES)},
    ward=optional_text(100),
    parishes=strings(100),
    point=optional_text(200),
    boundary=optional_text(100_000),
    description=optional_text(5000),
)
OWNER = body(
    ("name",),
    kind={"type": "string", "enum": sorted(PARTY_KINDS)},
    name=text(300, minLength=1),
    address=optional_text(1000),
    email=EMAIL,
)
LAND = body((), **{name: {"type": "boolean"} for name in LandAnswers.__dataclass_fields__})

# GOV.UK Notify's delivery receipt (its callback's body); Notify may add fields, so others are let through.
MOMENT: Schema = {"type": ["string", "null"], "format": "date-time", "maxLength": 40}
NOTIFY_CALLBACK: Schema = {
    "type": "object",
    "required": ["id", "to", "status", "notification_type"],
    "properties": {
        "id": {**UUID, "description": "GOV.UK Notify's id for the notification"},
        "reference": {**optional_text(300), "description": "Ours: the id of the delivery"},
        "to": text(320, minLength=1),
        "status": text(40, minLength=1),
        "notification_type": {"type": "string", "enum": ["email", "sms", "letter"]},
        "created_at": MOMENT,
        "completed_at": MOMENT,
        "sent_at": MOMENT,
    },
    # Notify's other fields (template_id, template_version...): plain values, and text a database can store.
    "additionalProperties": {"type": ["string", "integer", "number", "boolean", "null"], "pattern": STORABLE},
    "propertyNames": {"pattern": STORABLE},
}

SCHEMAS: dict[str, Schema] = {
    "NotifyCallback": NOTIFY_CALLBACK,
    "Transition": body(
        ("trigger", "expected_version"),
        trigger=text(40, minLength=1),
        expected_version={"type": "integer", "minimum": 1},
        # What the action's fields take: dates, text, yes or no, a choice, a sum (workflows.definition.FieldKind)
        data={
            "type": "object",
            "maxProperties": 50,
            "propertyNames": {"maxLength": 100, "pattern": STORABLE},
            "additionalProperties": {
                "type": ["string", "number", "boolean", "null"],
                "maxLength": 100_000,
                "pattern": STORABLE,
            },
        },
    ),
    "Nomination": body(
        ("council", "organisation_id", "asset"),
        council=text(10, minLength=1),
        organisation_id=UUID,
        asset=ASSET,
        boundary_description=text(),
        occupants=text(),
        ownership=text(),
        reasons=text(),
        eligibility_evidence=text(),
        owners={"type": "array", "items": OWNER, "maxItems": 50},
        land=LAND,
    ),
    "OwnerNotice": body(
        ("disposal_type", "vacant_possession"),
        disposal_type={"type": "string", "enum": ["freehold", "qualifying_lease"]},
        vacant_possession={"type": "boolean"},
        received_on=DATE,
        notice_method={"type": "string", "enum": ["post", "hand", "email", "portal"]},
    ),
    "BidderRequest": body(
        ("organisation_id",), organisation_id=UUID, received_on=DATE, expected_version={"type": "integer", "minimum": 1}
    ),
    "CompensationClaim": body(
        ("loss_ended_on", "amount_claimed", "claim_parts"),
        loss_ended_on=DATE,
        amount_claimed=MONEY,
        claim_parts=text(minLength=1),
        claimant_is_public_body={"type": "boolean"},
        received_on=DATE,
    ),
    "ReviewRequest": body(
        ("expected_version",),
        expected_version={"type": "integer", "minimum": 1},
        oral_hearing_requested={"type": "boolean"},
        review_grounds=text(5000),
        received_on=DATE,
    ),
    "ExemptDisposal": body(
        ("disposal_entered_on", "exemption", "details"),
        disposal_entered_on=DATE,
        exemption={"type": "string", "enum": [item.id for item in EXEMPT_DISPOSALS]},
        details=text(minLength=1),
        right_granted_on=DATE,  # for a planning obligation or option: not exempt if granted while listed
    ),
    "Note": body(("text",), text=text(5000, minLength=1), public={"type": "boolean"}),
    "Assignment": body(("assignee",), assignee={"type": ["string", "null"], "format": "uuid"}),
    "EoiAssessment": body(
        ("assessed_on", "verdicts", "expected_version"),
        assessed_on=DATE,
        expected_version={"type": "integer", "minimum": 1},
        verdicts={
            "type": "array",
            "maxItems": 50,
            "items": body(
                ("criterion", "met"), criterion=text(1000, minLength=1), met={"type": "boolean"}, reasons=text()
            ),
        },
    ),
}


@cache
def _validator(name: str) -> Any:
    return jsonschema_rs.validator_for(SCHEMAS[name], validate_formats=True)


def validated(name: str) -> dict[str, Any]:
    """The request's JSON body if it has the shape of schema `name`; raises InvalidInput naming each bad field."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput({"body": "Send a JSON object with Content-Type: application/json"})
    errors: dict[str, str] = {}
    for error in _validator(name).iter_errors(data):
        for field, message in _explained(error):
            errors.setdefault(field, message)
    if errors:
        raise InvalidInput(errors)
    return data


def _explained(error: Any) -> list[tuple[str, str]]:
    """Each field an error is about, and what is wrong with it, in a sentence."""
    path = ".".join(str(part) for part in error.instance_path)
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        return [(_join(path, kind.property), "Give this field")]
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.AdditionalProperties):
        return [(_join(path, name), "Unknown field") for name in kind.unexpected]
    return [(path or "body", _sentence(kind, str(error.message)))]


def _sentence(kind: Any, fallback: str) -> str:
    kinds = jsonschema_rs.ValidationErrorKind
    sentences: list[tuple[type, Any]] = [
        (kinds.Type, lambda: f"Give {_types(kind.types)}"),
        (kinds.Enum, lambda: "Give one of: " + ", ".join(str(option) for option in kind.options)),
        (kinds.Format, lambda: FORMATS.get(kind.format, "Give a valid value")),
        (kinds.MaxLength, lambda: f"Must be {kind.limit} characters or fewer"),
        (kinds.MinLength, lambda: "Must not be empty"),
        (kinds.Pattern, lambda: "Give a value in the documented format"),
        (kinds.Minimum, lambda: f"Must be {kind.limit} or more"),
    ]
    return next((say() for cls, say in sentences if isinstance(kind, cls)), fallback)


FORMATS = {
    "uuid": "Give a valid id",
    "date": "Give a date like 2026-03-27",
    "email": "Enter an email address in the correct format, like name@example.com",
}


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "an object", "null": "null"}  # fmt: skip


def _types(types: Any) -> str:
    names = sorted((str(t).lower() for t in types), key=lambda name: name == "null")  # "text or null"
    return " or ".join(_TYPE_NAMES.get(name, name) for name in names)
