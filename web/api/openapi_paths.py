"""The paths of the OpenAPI document of /api/v1, a function for each group of routes (web.api.views, submissions,
assessment, records and callbacks). The bodies of actions come from the workflow definitions (web.api.action_bodies)."""

from __future__ import annotations

from datetime import date
from typing import Any

from casework.queries.queue import DUE_CHOICES, SEARCH_LIMIT, filter_choices
from web.api.action_bodies import opening_body
from web.api.openapi_parts import (
    MAYBE_TEXT,
    OBJECT,
    REFERENCE,
    RESULT,
    TEXT,
    answer,
    body,
    errors,
    get,
    in_path,
    in_query,
    listing,
    named_body,
    post,
)
from web.api.schemas import Schema

Paths = dict[str, Any]
ASSET_ID = in_path("asset_id")
# The bodies of the panel's scores, which web.api.assessment reads itself (not actions of a workflow).
SCORE_BODIES: dict[str, tuple[tuple[str, ...], dict[str, Schema]]] = {
    "score": (("criterion", "score", "comment"), {"criterion": TEXT, "score": {"type": "integer"}, "comment": TEXT}),
    "moderated_score": (("criterion", "score"), {"criterion": TEXT, "score": {"type": "integer"}, "reason": TEXT}),
}


def public_paths() -> Paths:
    """What anyone may read without a token: the register and the statutory periods."""
    pages = {"type": "integer", "minimum": 1, "maximum": 1_000_000, "default": 1}
    links = {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "self, first, previous, next and last (RFC 5005 relations), also sent as a Link header",
    }
    entries = {"type": "object", "required": ["entries", "page", "pages", "total", "links"], "properties": {
        "entries": {"type": "array", "items": OBJECT}, "page": {"type": "integer"}, "pages": {"type": "integer"},
        "total": {"type": "integer"}, "links": links}}  # fmt: skip
    period = {"type": "object", "required": ["rule", "start", "due", "basis", "explanation"], "properties": {
        "rule": {"type": "string"}, "start": {"type": "string"}, "due": {"type": "string"}, "due_time": MAYBE_TEXT,
        "basis": {"type": "string"}, "explanation": {"type": "array", "items": {"type": "string"}}}}  # fmt: skip
    kinds = {"type": "string", "enum": ["listed", "unsuccessful"]}
    start = {"name": "start", "in": "query", "required": True, "schema": {"type": "string", "format": "date"}}
    return {
        "/api/v1/register": {"get": {
            "summary": "The public register, current and ended entries",
            "parameters": [in_query("council", TEXT), in_query("list", kinds), in_query("page", pages)],
            "responses": {"200": answer(entries, "One page of entries, oldest first; follow links.next for the rest"),
                          **errors(404, 422)}}},
        "/api/v1/periods/{rule}": {"get": {
            "summary": "A statutory due date, with its basis and the reasoning",
            "parameters": [in_path("rule", TEXT), start],
            "responses": {"200": answer(period, "The period"), **errors(404, 422)}}},
    }  # fmt: skip


def case_list_parameters() -> list[dict[str, Any]]:
    """The work queue's filters (staff), each as the queue checks it: a value it does not know is a 422."""
    choices = filter_choices()
    assignee = {"anyOf": [{"type": "string", "enum": ["", "me", "none"]}, {"type": "string", "format": "uuid"}]}
    return [
        in_query("workflow", {"type": "string", "enum": ["", *choices["workflow"]]},
                 "The process, like acv_listing (staff); empty for any"),
        in_query("state", {"type": "string", "enum": ["", *choices["state"]]},
                 "process:state, like acv_listing:listed, or a state's id (staff); a state of another process than "
                 "`workflow` matches no cases"),
        in_query("assignee", assignee, "me, none or an officer's id (staff)"),
        in_query("category", TEXT),
        in_query("ward", TEXT),
        in_query("due", {"type": "string", "enum": ["", *DUE_CHOICES]}),
        in_query("search", {"type": "string", "maxLength": SEARCH_LIMIT},
                 "Part of a reference, a place's or group's name, an address or a postcode (staff)"),
        in_query("sort", {"type": "string", "enum": ["", *choices["sort"]]},
                 "due (the default: soonest next deadline first), received_newest, received_oldest or status (staff)"),
        in_query("page", {"type": "integer", "minimum": 1}),
    ]  # fmt: skip


def case_paths() -> Paths:
    """A token holder's cases, one case, its dates, and the actions taken on it."""
    cases = get("Your cases: staff see their council's work queue; groups and owners their own",
                case_list_parameters(), answer(OBJECT, "The cases"))["get"]  # fmt: skip
    return {
        "/api/v1/cases": {"get": {**cases, "responses": {"200": answer(OBJECT, "The cases"), **errors(401, 403, 422)}}},
        "/api/v1/cases/{reference}": get("One case: state, version, dates, timeline and the actions you may take now",
                                         [REFERENCE], answer(OBJECT, "The case")),
        "/api/v1/cases/{reference}/deadlines": get("Every date of the case, with the rule, basis and explanation",
                                                   [REFERENCE], answer(OBJECT, "The dates")),
        "/api/v1/cases/{reference}/transitions": post(
            "Take an action on a case; the version you saw is required", [REFERENCE], named_body("Action"), "200",
            answer(RESULT, "Applied")),
    }  # fmt: skip


def submission_paths(today: date) -> Paths:
    """What opens a case: a nomination, an owner's notice, a request to bid, an application, a request, an
    expression of interest. The last three are one action each of their workflows, their bodies generated."""
    return {
        "/api/v1/nominations": {
            **get("Nominations (and the listings they became) you may read", [],
                  listing("nominations", "The nominations")),
            **post("Send a whole nomination for a group", [], named_body("Nomination"), "201",
                   answer(RESULT, "Received")),
        },
        "/api/v1/assets/{asset_id}/owner-notices": post(
            "Give notice of an intended sale (owners) or record one (officers)", [ASSET_ID],
            named_body("OwnerNotice"), "201", answer(RESULT, "Recorded")),
        "/api/v1/cases/{reference}/bidder-requests": {
            **get("The requests to be treated as a potential bidder on a disposal cycle", [REFERENCE],
                  listing("bidder_requests", "The requests")),
            **post("Ask, for a group, to be treated as a potential bidder (officers: or record a written request, "
                   "with the day the council received it)", [REFERENCE], named_body("BidderRequest"), "201",
                   answer(RESULT, "Recorded")),
        },
        "/api/v1/asset-transfers": post(
            "Ask to take on a council asset (England): the enquiry that starts an application", [],
            body(opening_body("enquiry", today)), "201", answer(RESULT, "Received")),
        "/api/v1/transfer-requests": post(
            "Make an asset transfer request to a Scottish authority (CE(S)A 2015 s.79)", [],
            body(opening_body("transfer_request", today)), "201", answer(RESULT, "Received")),
        "/api/v1/challenges": post(
            "Express an interest in running a council service (LA 2011 s.81)", [],
            body(opening_body("challenge", today)), "201", answer(RESULT, "Received")),
    }  # fmt: skip


def score_body(kind: str) -> dict[str, Any]:
    needed, properties = SCORE_BODIES[kind]
    return body({"type": "object", "additionalProperties": False, "required": list(needed), "properties": properties})


def application_paths() -> Paths:
    """An asset transfer application's panel: scores, agreed scores, the assessment of the expression of interest."""
    sheet = answer(OBJECT, "The sheet")
    return {
        "/api/v1/cases/{reference}/scores": {
            **get("The panel's scoring sheet for an asset transfer application", [REFERENCE], sheet, 409),
            **post("Your score and comment for one criterion (replaces your earlier one)", [REFERENCE],
                   score_body("score"), "200", sheet),
        },
        "/api/v1/cases/{reference}/moderated-scores": post(
            "The panel's agreed score for one criterion", [REFERENCE], score_body("moderated_score"), "200", sheet),
        "/api/v1/cases/{reference}/eoi-assessment": {
            **get("An expression of interest and the criteria its council's policy assesses it against",
                  [REFERENCE], answer(OBJECT, "The expression of interest")),
            **post("The finding on each criterion: all met passes it, any not met fails it", [REFERENCE],
                   named_body("EoiAssessment"), "200", answer(RESULT, "Assessed")),
        },
        "/api/v1/assets/{asset_id}/applications": get(
            "Every asset transfer application for one asset, side by side and ranked", [ASSET_ID],
            answer(OBJECT, "The applications")),
    }  # fmt: skip


def record_reads() -> Paths:
    """The reads of web.api.records: a nomination, owners' notices, a bidder's request, reports and groups."""
    maybe = MAYBE_TEXT
    bidder = {"type": "object", "required": ["organisation_id", "group", "received_on", "recorded_at"],
              "properties": {"organisation_id": maybe, "group": maybe, "received_on": maybe,
                             "recorded_at": {"type": "string"}}}  # fmt: skip
    report = in_path("name", {"type": "string", "enum": ["decisions", "open-moratoria", "monthly"]})
    rows = {"type": "object", "required": ["report", "rows"],
            "properties": {"report": {"type": "string"}, "rows": {"type": "array", "items": OBJECT}}}  # fmt: skip
    return {
        "/api/v1/nominations/{reference}": get("One nomination, or the listing it became", [REFERENCE],
                                                answer(OBJECT, "The case")),
        "/api/v1/owner-notices": get("Owners' notices of intended sale (disposal cycles) you may read", [],
                                     listing("owner_notices", "The notices")),
        "/api/v1/owner-notices/{reference}": get("One owner's notice and its disposal cycle", [REFERENCE],
                                                 answer(OBJECT, "The case")),
        "/api/v1/cases/{reference}/bidder-requests/{organisation_id}": get(
            "One group's request to be treated as a potential bidder", [REFERENCE, in_path("organisation_id")],
            answer(bidder, "The request")),
        "/api/v1/reports/{name}": get("One of the officers' reports (staff)", [report], answer(rows, "The report")),
        "/api/v1/groups/{group_id}": get("A group's profile and what the eligibility rules make of it",
                                         [in_path("group_id")], answer(OBJECT, "The group")),
    }  # fmt: skip


def record_changes() -> Paths:
    """The changes of web.api.records: claims, exempt disposals, reviews, notes and assignment."""
    note = {
        "type": "object",
        "required": ["text", "public", "by", "added_at"],
        "properties": {
            "text": MAYBE_TEXT,
            "public": {"type": "boolean"},
            "by": {"type": "string"},
            "added_at": {"type": "string"},
        },
    }
    notes = listing("notes", "The notes you may read, newest first", note)
    assigned = {"type": "object", "required": ["reference", "assigned_to"],
                "properties": {"reference": {"type": "string"}, "assigned_to": MAYBE_TEXT}}  # fmt: skip
    return {
        "/api/v1/assets/{asset_id}/compensation-claims": post(
            "Claim compensation for loss or expense caused by the listing (ACV Regs reg.14)", [ASSET_ID],
            named_body("CompensationClaim"), "201", answer(RESULT, "Received")),
        "/api/v1/assets/{asset_id}/exempt-disposals": post(
            "Record a disposal the moratorium does not apply to (LA 2011 s.95(5), Sch.3)", [ASSET_ID],
            named_body("ExemptDisposal"), "201", answer(RESULT, "Recorded")),
        "/api/v1/cases/{reference}/review-requests": post(
            "Ask for a review of a listing (LA 2011 s.92); the version you saw is required", [REFERENCE],
            named_body("ReviewRequest"), "200", answer(RESULT, "Recorded")),
        "/api/v1/cases/{reference}/notes": {
            **get("The case's notes: staff see internal and public ones, others the public ones", [REFERENCE], notes),
            **post("Add a note (staff); a public one shows on the register", [REFERENCE], named_body("Note"), "201",
                   notes),
        },
        "/api/v1/cases/{reference}/assignment": post(
            "Give the case to an officer or reviewer of the council, or to nobody (null)", [REFERENCE],
            named_body("Assignment"), "200", answer(assigned, "Assigned"), method="put"),
    }  # fmt: skip


def callback_paths() -> Paths:
    """GOV.UK Notify's delivery receipts, authenticated by the token set on the service's callback."""
    recorded = {
        "type": "object",
        "required": ["id", "status"],
        "properties": {
            "id": {"type": "string"},
            "status": {"type": "string", "description": "The email's status, as recorded"},
        },
    }
    return {
        "/api/v1/notify/delivery-receipts": {"post": {
            "summary": "GOV.UK Notify's callback: what became of an email (delivered, a failure...)",
            "description": "Called by GOV.UK Notify, with the bearer token set on the service's callback and here as "
                           "NOTIFY_CALLBACK_TOKEN. 404 for a notification this service did not send, or to another "
                           "address.",
            "security": [{"notifyCallback": []}],
            "requestBody": named_body("NotifyCallback"),
            "responses": {"200": answer(recorded, "Recorded"), **errors(401, 404, 422)},
        }},
    }  # fmt: skip
