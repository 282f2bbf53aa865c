"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json."""

from __future__ import annotations

from typing import Any

from casework.queries.queue import DUE_CHOICES, SEARCH_LIMIT, filter_choices
from web.api.schemas import SCHEMAS, STORABLE
from workflows import challenge, scotland_atr
from workflows.policies import TENURES

PROBLEM = {"$ref": "#/components/responses/Problem"}
TEXT = {"type": "string", "pattern": STORABLE}  # any text a database can store: no NUL byte (that is a 400)
ATR_FIELDS = [f.name for t in scotland_atr.TRANSITIONS if t.trigger == "submit" for f in t.fields][1:]
CHALLENGE_FIELDS = [f.name for t in challenge.TRANSITIONS if t.trigger == "submit" for f in t.fields][1:]
# The fields of the bodies web.api.views reads itself (the others are web.api.schemas.SCHEMAS); any other is refused.
BODY_FIELDS = {
    "enquiry": ("asset_id", "organisation_id", "proposed_use", "tenure_sought"),
    "transfer_request": ("asset_id", "organisation_id", *ATR_FIELDS),
    "challenge": ("council", "organisation_id", *CHALLENGE_FIELDS),
    "score": ("criterion", "score", "comment"),
    "moderated_score": ("criterion", "score", "reason"),
}
REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": TEXT,
             "description": "A case reference, like BDC-ACV-00012"}  # fmt: skip


def _errors(*codes: int) -> dict[str, Any]:
    """The problems an operation can answer with; any request may be refused as malformed (400: a NUL byte)."""
    return {str(code): PROBLEM for code in (400, *codes)}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": True}
ASSET_ID = {"name": "asset_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]


def _body(name: str) -> dict[str, Any]:
    """A request body whose shape is one of the schemas every request is checked against (web.api.schemas)."""
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


def _list(key: str, description: str) -> dict[str, Any]:
    return _json({"type": "object", "required": [key], "properties": {key: {"type": "array", "items": OBJECT}}},
                 description)  # fmt: skip


def _get(summary: str, parameters: list[dict[str, Any]], ok: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": summary, "security": SECURED, "parameters": parameters,
                    "responses": {"200": ok, **_errors(401, 403, 404)}}}  # fmt: skip


def _post(summary: str, parameters: list[dict[str, Any]], body: str, status: str, ok: dict[str, Any],
          method: str = "post") -> dict[str, Any]:  # fmt: skip
    return {method: {"summary": summary, "security": SECURED, "parameters": parameters, "requestBody": _body(body),
                     "responses": {status: ok, **_errors(401, 403, 404, 409, 422)}}}  # fmt: skip


RESULT = {"$ref": "#/components/schemas/TransitionResult"}


def records_paths() -> dict[str, Any]:
    """The paths of web.api.records: claims, reviews, exempt disposals, notes, assignment, lists, reports, groups."""
    notes = _json({"type": "object", "required": ["notes"], "properties": {"notes": {"type": "array", "items": {
        "type": "object", "required": ["text", "public", "by", "added_at"], "properties": {
            "text": {"type": ["string", "null"]}, "public": {"type": "boolean"}, "by": {"type": "string"},
            "added_at": {"type": "string"}}}}}}, "The notes you may read, newest first")  # fmt: skip
    maybe = {"type": ["string", "null"]}
    bidder = {"type": "object", "required": ["organisation_id", "group", "received_on", "recorded_at"],
              "properties": {"organisation_id": maybe, "group": maybe, "received_on": maybe,
                             "recorded_at": {"type": "string"}}}  # fmt: skip
    group_id = {"name": "group_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    organisation_id = {**group_id, "name": "organisation_id"}
    report = {"name": "name", "in": "path", "required": True,
              "schema": {"type": "string", "enum": ["decisions", "open-moratoria", "monthly"]}}  # fmt: skip
    return {
        "/api/v1/nominations/{reference}": _get("One nomination, or the listing it became", [REFERENCE],
                                                 _json(OBJECT, "The case")),
        "/api/v1/owner-notices": _get("Owners' notices of intended sale (disposal cycles) you may read", [],
                                      _list("owner_notices", "The notices")),
        "/api/v1/owner-notices/{reference}": _get("One owner's notice and its disposal cycle", [REFERENCE],
                                                  _json(OBJECT, "The case")),
        "/api/v1/cases/{reference}/bidder-requests/{organisation_id}": _get(
            "One group's request to be treated as a potential bidder", [REFERENCE, organisation_id],
            _json(bidder, "The request")),
        "/api/v1/assets/{asset_id}/compensation-claims": _post(
            "Claim compensation for loss or expense caused by the listing (ACV Regs reg.14)", [ASSET_ID],
            "CompensationClaim", "201", _json(RESULT, "Received")),
        "/api/v1/assets/{asset_id}/exempt-disposals": _post(
            "Record a disposal the moratorium does not apply to (LA 2011 s.95(5), Sch.3)", [ASSET_ID],
            "ExemptDisposal", "201", _json(RESULT, "Recorded")),
        "/api/v1/cases/{reference}/review-requests": _post(
            "Ask for a review of a listing (LA 2011 s.92); the version you saw is required", [REFERENCE],
            "ReviewRequest", "200", _json(RESULT, "Recorded")),
        "/api/v1/cases/{reference}/notes": {
            **_get("The case's notes: staff see internal and public ones, others the public ones", [REFERENCE], notes),
            **_post("Add a note (staff); a public one shows on the register", [REFERENCE], "Note", "201", notes),
        },
        "/api/v1/cases/{reference}/assignment": _post(
            "Give the case to an officer or reviewer of the council, or to nobody (null)", [REFERENCE], "Assignment",
            "200", _json({"type": "object", "required": ["reference", "assigned_to"], "properties": {
                "reference": {"type": "string"}, "assigned_to": {"type": ["string", "null"]}}}, "Assigned"),
            method="put"),
        "/api/v1/reports/{name}": _get("One of the officers' reports (staff)", [report], _json(
            {"type": "object", "required": ["report", "rows"], "properties": {"report": {"type": "string"},
             "rows": {"type": "array", "items": OBJECT}}}, "The report")),
        "/api/v1/groups/{group_id}": _get("A group's profile and what the eligibility rules make of it", [group_id],
                                          _json(OBJECT, "The group")),
    }  # fmt: skip


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
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "notifyCallback": {"type": "http", "scheme": "bearer",
                                   "description": "GOV.UK Notify's callback token (NOTIFY_CALLBACK_TOKEN)"},
            },
            "schemas": {
                **SCHEMAS,
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
                        "citations": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "The provisions a refusal rests on, each also named in its reason",
                        },
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
                        {"name": "council", "in": "query", "schema": TEXT},
                        {"name": "list", "in": "query",
                         "schema": {"type": "string", "enum": ["listed", "unsuccessful"]}},
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                  "maximum": 1_000_000, "default": 1}},
                    ],
                    "responses": {"200": _json({"type": "object", "required": ["entries", "page", "pages", "total",
                                                "links"], "properties": {
                        "entries": {"type": "array", "items": OBJECT},
                        "page": {"type": "integer"}, "pages": {"type": "integer"}, "total": {"type": "integer"},
                        "links": {"type": "object", "description": "self, first, previous, next and last "
                                  "(RFC 5005 relations), also sent as a Link header",
                                  "additionalProperties": {"type": "string"}}}},
                        "One page of entries, oldest first; follow links.next for the rest"), **_errors(404, 422)},
                }
            },
            "/api/v1/periods/{rule}": {
                "get": {
                    "summary": "A statutory due date, with its basis and the reasoning",
                    "parameters": [
                        {"name": "rule", "in": "path", "required": True, "schema": TEXT},
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
                        {"name": "workflow", "in": "query",
                         "schema": {"type": "string", "enum": ["", *filter_choices()["workflow"]]},
                         "description": "The process, like acv_listing (staff); empty for any"},
                        {"name": "state", "in": "query",
                         "schema": {"type": "string", "enum": ["", *filter_choices()["state"]]},
                         "description": "process:state, like acv_listing:listed, or a state's id (staff); a state of "
                                        "another process than `workflow` matches no cases"},
                        {"name": "assignee", "in": "query", "schema": {"anyOf": [
                            {"type": "string", "enum": ["", "me", "none"]}, {"type": "string", "format": "uuid"}]},
                         "description": "me, none or an officer's id (staff)"},
                        {"name": "category", "in": "query", "schema": TEXT},
                        {"name": "ward", "in": "query", "schema": TEXT},
                        {"name": "due", "in": "query", "schema": {"type": "string", "enum": ["", *DUE_CHOICES]}},
                        {"name": "search", "in": "query", "schema": {"type": "string", "maxLength": SEARCH_LIMIT},
                         "description": "Part of a reference, a place's or group's name, an address or a postcode "
                                        "(staff)"},
                        {"name": "sort", "in": "query",
                         "schema": {"type": "string", "enum": ["", *filter_choices()["sort"]]},
                         "description": "due (the default: soonest next deadline first), received_newest, "
                                        "received_oldest or status (staff)"},
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
                    "requestBody": _body("Transition"),
                    "responses": {"200": _json({"$ref": "#/components/schemas/TransitionResult"}, "Applied"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/nominations": {
                **_get("Nominations (and the listings they became) you may read", [],
                       _list("nominations", "The nominations")),
                **_post("Send a whole nomination for a group", [], "Nomination", "201", _json(RESULT, "Received")),
            },
            "/api/v1/assets/{asset_id}/owner-notices": {
                "post": {
                    "summary": "Give notice of an intended sale (owners) or record one (officers)",
                    "security": secured,
                    "parameters": [{"name": "asset_id", "in": "path", "required": True,
                                    "schema": {"type": "string", "format": "uuid"}}],
                    "requestBody": _body("OwnerNotice"),
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Recorded"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/cases/{reference}/bidder-requests": {
                **_get("The requests to be treated as a potential bidder on a disposal cycle", [REFERENCE],
                       _list("bidder_requests", "The requests")),
                **_post("Ask, for a group, to be treated as a potential bidder (officers: or record a written request, "
                         "with the day the council received it)", [REFERENCE], "BidderRequest", "201",
                        _json(RESULT, "Recorded")),
            },
            "/api/v1/asset-transfers": {
                "post": {
                    "summary": "Ask to take on a council asset (England): the enquiry that starts an application",
                    "security": secured,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "additionalProperties": False,
                        "required": ["asset_id", "organisation_id", "proposed_use", "tenure_sought"],
                        "properties": {"asset_id": {"type": "string", "format": "uuid"},
                                       "organisation_id": {"type": "string", "format": "uuid"},
                                       "proposed_use": TEXT,
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
                        "type": "object", "additionalProperties": False,
                        "required": ["asset_id", "organisation_id", "request_type"],
                        "properties": {"asset_id": {"type": "string", "format": "uuid"},
                                       "organisation_id": {"type": "string", "format": "uuid"},
                                       **dict.fromkeys(ATR_FIELDS, TEXT)}}}}},
                    "responses": {"201": _json({"$ref": "#/components/schemas/TransitionResult"}, "Received"),
                                  **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/challenges": {
                "post": {
                    "summary": "Express an interest in running a council service (LA 2011 s.81)",
                    "security": secured,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "additionalProperties": False,
                        "required": ["council", "organisation_id", "service"],
                        "properties": {"council": TEXT,
                                       "organisation_id": {"type": "string", "format": "uuid"},
                                       **dict.fromkeys(CHALLENGE_FIELDS, TEXT)}}}}},
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
                        "type": "object", "additionalProperties": False, "required": ["criterion", "score", "comment"],
                        "properties": {"criterion": TEXT, "score": {"type": "integer"},
                                       "comment": TEXT}}}}},
                    "responses": {"200": _json(OBJECT, "The sheet"), **_errors(401, 403, 404, 409, 422)},
                },
            },
            "/api/v1/cases/{reference}/moderated-scores": {
                "post": {
                    "summary": "The panel's agreed score for one criterion",
                    "security": secured,
                    "parameters": [REFERENCE],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "additionalProperties": False, "required": ["criterion", "score"],
                        "properties": {"criterion": TEXT, "score": {"type": "integer"},
                                       "reason": TEXT}}}}},
                    "responses": {"200": _json(OBJECT, "The sheet"), **_errors(401, 403, 404, 409, 422)},
                }
            },
            "/api/v1/cases/{reference}/eoi-assessment": {
                **_get("An expression of interest and the criteria its council's policy assesses it against",
                       [REFERENCE], _json(OBJECT, "The expression of interest")),
                **_post("The finding on each criterion: all met passes it, any not met fails it", [REFERENCE],
                        "EoiAssessment", "200", _json(RESULT, "Assessed")),
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
            **records_paths(),
            "/api/v1/notify/delivery-receipts": {
                "post": {
                    "summary": "GOV.UK Notify's callback: what became of an email (delivered, a failure...)",
                    "description": "Called by GOV.UK Notify, with the bearer token set on the service's callback "
                                   "and here as NOTIFY_CALLBACK_TOKEN. 404 for a notification this service did "
                                   "not send, or to another address.",
                    "security": [{"notifyCallback": []}],
                    "requestBody": _body("NotifyCallback"),
                    "responses": {"200": _json({"type": "object", "required": ["id", "status"], "properties": {
                        "id": {"type": "string"}, "status": {"type": "string",
                                                             "description": "The email's status, as recorded"}}},
                        "Recorded"), **_errors(401, 404, 422)},
                }
            },
        },
    }  # fmt: skip
