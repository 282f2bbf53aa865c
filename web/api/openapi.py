"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from workflows import challenge, scotland_atr
from workflows.policies import TENURES

PROBLEM = {"$ref": "#/components/responses/Problem"}
ATR_FIELDS = [f.name for t in scotland_atr.TRANSITIONS if t.trigger == "submit" for f in t.fields][1:]
CHALLENGE_FIELDS = [f.name for t in challenge.TRANSITIONS if t.trigger == "submit" for f in t.fields][1:]
REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "A case reference, like BDC-ACV-00012"}  # fmt: skip


def _errors(*codes: int) -> dict[str, Any]:
    """The problems an operation can answer with; any request may be refused as malformed (400: a NUL byte)."""
    return {str(code): PROBLEM for code in (400, *codes)}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": True}


def document(base_url: str) -> dict[str, Any]:
    secured: list[dict[str, list[str]]] = [{"bearer": []}]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Community rights casework API",
            "version": "1.0.0",
            "description": "Assets of community value, the right to bid and related cases. Authenticate with a "
            "bearer token from your account page; it acts in the role you chose when you made it. Errors are RFC "
            "9457 problem details.",
        },
        "servers": [{"url": base_url}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Problem": {
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
                    },
                },
                "TransitionResult": {
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
                },
            },
            "responses": {
                "Problem": {
                    "description": "What went wrong",
                    "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
                }
            },
        },
        "paths": {
            "/api/v1/register": {
                "get": {
                    "summary": "The public register, current and ended entries",
                    "parameters": [
                        {"name": "council", "in": "query", "schema": {"type": "string"}},
                        {"name": "list", "in": "query",
                         "schema": {"type": "string", "enum": ["listed", "unsuccessful"]}},
                    ],
                    "responses": {"200": _json({"type": "object", "required": ["entries"], "properties": {
                        "entries": {"type": "array", "items": OBJECT}}}, "The entries"), **_errors()},
                }
            },
            "/api/v1/periods/{rule}": {
                "get": {
                    "summary": "A statutory due date, with its basis and the reasoning",
                    "parameters": [
                        {"name": "rule", "in": "path", "required": True, "schema": {"type": "string"}},
                        {"name": "start", "in": "query", "required": True,
                         "schema": {"type": "string", "format": "date"}},
                    ],
                    "responses": {"200": _json({"type": "object", "required": ["rule", "start", "due", "basis",
                                                "explanation"], "properties": {
                        "rule": {"type": "string"}, "start": {"type": "string"}, "due": {"type": "string"},
                        "due_time": {"type": ["string", "null"]}, "basis": {"type": "string"},
                        "explanation": {"type": "array", "items": {"type": "string"}}}}, "The period"),
                        **_errors(404, 422)},
                }
            },
            "/api/v1/cases": {
                "get": {
                    "summary": "Your cases: staff see their council's work queue; groups and owners their own",
                    "security": secured,
                    "parameters": [
                        {"name": "workflow", "in": "query", "schema": {"type": "string"}},
                        {"name": "state", "in": "query", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    ],
                    "responses": {"200": _json(OBJECT, "The cases"), **_errors(401, 403, 422)},
                }
            },
            "/api/v1/cases/{reference}": {
                "get": {
                    "summary": "One case: state, version, dates, timeline and the actions you may take now",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "responses": {"200": _json(OBJECT, "The case"), **_errors(401, 403, 404)},
                }
            },
            "/api/v1/cases/{reference}/deadlines": {
                "get": {
                    "summary": "Every date of the case, with the rule, basis and explanation",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "responses": {"200": _json(OBJECT, "The dates"), **_errors(401, 403, 404)},
                }
            },
            "/api/v1/cases/{reference}/transitions": {
                "post": {
                    "summary": "Take an action on a case; the version you saw is required",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["trigger", "expected_version"],
                        "properties": {"trigger": {"type": "string"}, "expected_version": {"type": "integer"},
                                       "data": {"type": "object"}}}}}},
                    "responses": {"200": _json({"$ref": "#/components/schemas/TransitionResult"}, "Applied"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/nominations": {
                "post": {
                    "summary": "Send a whole nomination for a group",
                    "security": secured,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["council", "organisation_id", "asset"],
                        "properties": {"council": {"type": "string"}, "organisation_id": {"type": "string"},
                                       "asset": OBJECT, "boundary_description": {"type": "string"},
                                       "occupants": {"type": "string"}, "ownership": {"type": "string"},
                                       "reasons": {"type": "string"}, "eligibility_evidence": {"type": "string"},
                                       "owners": {"type": "array", "items": OBJECT}, "land": OBJECT}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Received"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/assets/{asset_id}/owner-notices": {
                "post": {
                    "summary": "Give notice of an intended sale (owners) or record one (officers)",
                    "security": secured,
                    "parameters": [{"name": "asset_id", "in": "path", "required": True,
                                    "schema": {"type": "string", "format": "uuid"}}],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["disposal_type", "vacant_possession"],
                        "properties": {"disposal_type": {"type": "string", "enum": ["freehold", "qualifying_lease"]},
                                       "vacant_possession": {"type": "boolean"},
                                       "received_on": {"type": "string", "format": "date"},
                                       "notice_method": {"type": "string"}}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Recorded"),
                                  **_errors(401, 403, 404, 422)},
                }
            },
            "/api/v1/cases/{reference}/bidder-requests": {
                "post": {
                    "summary": "Ask, for a group, to be treated as a potential bidder (officers: or record a "
                               "written request, with the day the council received it)",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["organisation_id"],
                        "properties": {"organisation_id": {"type": "string", "format": "uuid"},
                                       "received_on": {"type": "string", "format": "date"}}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Recorded"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/asset-transfers": {
                "post": {
                    "summary": "Ask to take on a council asset (England): the enquiry that starts an application",
                    "security": secured,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["asset_id", "organisation_id", "proposed_use", "tenure_sought"],
                        "properties": {"asset_id": {"type": "string", "format": "uuid"},
                                       "organisation_id": {"type": "string", "format": "uuid"},
                                       "proposed_use": {"type": "string"},
                                       "tenure_sought": {"type": "string", "enum": [t.id for t in TENURES]}}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Received"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/transfer-requests": {
                "post": {
                    "summary": "Make an asset transfer request to a Scottish authority (CE(S)A 2015 s.79)",
                    "security": secured,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["asset_id", "organisation_id", "request_type"],
                        "properties": {"asset_id": {"type": "string", "format": "uuid"},
                                       "organisation_id": {"type": "string", "format": "uuid"},
                                       **{name: {"type": "string"} for name in ATR_FIELDS}}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Received"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/challenges": {
                "post": {
                    "summary": "Express an interest in running a council service (LA 2011 s.81)",
                    "security": secured,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["council", "organisation_id", "service"],
                        "properties": {"council": {"type": "string"},
                                       "organisation_id": {"type": "string", "format": "uuid"},
                                       **{name: {"type": "string"} for name in CHALLENGE_FIELDS}}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Received"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/cases/{reference}/scores": {
                "get": {
                    "summary": "The panel's scoring sheet for an asset transfer application",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "responses": {"200": _json(OBJECT, "The sheet"), **_errors(401, 403, 404, 409)},
                },
                "post": {
                    "summary": "Your score and comment for one criterion (replaces your earlier one)",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["criterion", "score", "comment"],
                        "properties": {"criterion": {"type": "string"}, "score": {"type": "integer"},
                                       "comment": {"type": "string"}}}}}},
                    "responses": {"200": _json(OBJECT, "The sheet"), **_errors(401, 403, 404, 409, 422)},
                },
            },
            "/api/v1/cases/{reference}/moderated-scores": {
                "post": {
                    "summary": "The panel's agreed score for one criterion",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["criterion", "score"],
                        "properties": {"criterion": {"type": "string"}, "score": {"type": "integer"},
                                       "reason": {"type": "string"}}}}}},
                    "responses": {"200": _json(OBJECT, "The sheet"), **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/assets/{asset_id}/applications": {
                "get": {
                    "summary": "Every asset transfer application for one asset, side by side and ranked",
                    "security": secured,
                    "parameters": [{"name": "asset_id", "in": "path", "required": True,
                                    "schema": {"type": "string", "format": "uuid"}}],
                    "responses": {"200": _json(OBJECT, "The applications"), **_errors(401, 403, 404)},
                }
            },
        },
    }  # fmt: skip
