"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json.

The bodies every request is checked against are web.api.schemas.SCHEMAS; the bodies of actions are generated from
the workflow definitions (web.api.action_bodies), so the document follows a new or changed transition by itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from casework.clock import london_date, utcnow
from web.api.action_bodies import OPENING, action_schemas, any_action, opening_fields
from web.api.openapi_paths import (
    SCORE_BODIES,
    application_paths,
    callback_paths,
    case_paths,
    public_paths,
    record_changes,
    record_reads,
    submission_paths,
)
from web.api.schemas import SCHEMAS, Schema

INFO = {
    "title": "Community rights casework API",
    "version": "1.0.0",
    "description": "Assets of community value, the right to bid and related cases. Authenticate with a bearer token "
    "from your account page; it acts in the role you chose when you made it. Errors are RFC 9457 problem details.",
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer"},
    "notifyCallback": {
        "type": "http",
        "scheme": "bearer",
        "description": "GOV.UK Notify's callback token (NOTIFY_CALLBACK_TOKEN)",
    },
}
PROBLEM: Schema = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"}},
        "reasons": {"type": "array", "items": {"type": "string"}},
        "citations": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The provisions a refusal rests on, each also named in its reason",
        },
    },
}
TRANSITION_RESULT: Schema = {
    "type": "object",
    "required": ["case_id", "reference", "trigger", "from_state", "state", "version", "event_id"],
    "properties": {
        "case_id": {"type": "string", "format": "uuid"},
        "reference": {"type": "string"},
        "trigger": {"type": "string"},
        "from_state": {"type": "string"},
        "state": {"type": "string"},
        "version": {"type": "integer"},
        "event_id": {"type": "string", "format": "uuid"},
    },
}


def document(base_url: str, today: date | None = None) -> dict[str, Any]:
    """The whole document; `today` chooses the version of a workflow a case opened now runs under."""
    today = today or london_date(utcnow())
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": base_url}],
        "components": components(),
        "paths": {
            **public_paths(),
            **case_paths(),
            **submission_paths(today),
            **application_paths(),
            **record_reads(),
            **record_changes(),
            **callback_paths(),
        },
    }


def components() -> dict[str, Any]:
    """The schemas the paths refer to: the checked bodies, every action's body, results and problems."""
    actions = action_schemas()
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {
        "securitySchemes": SECURITY_SCHEMES,
        "schemas": {
            **SCHEMAS,
            "Action": any_action(actions),
            **actions,
            "Problem": PROBLEM,
            "TransitionResult": TRANSITION_RESULT,
        },
        "responses": {
            "Problem": {"description": "What went wrong", "content": {"application/problem+json": problem}},
        },
    }


def body_fields(kind: str, today: date) -> tuple[str, ...]:
    """The fields of a body web.api.bodies.body reads itself (the others are checked against web.api.schemas.SCHEMAS);
    any other field is refused."""
    if kind in OPENING:
        return opening_fields(kind, today)
    return tuple(SCORE_BODIES[kind][1])
