"""API endpoints. Each authenticates its bearer token, calls one casework query or service, returns JSON."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from email_validator import EmailNotValidError, validate_email
from flask import Response, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.assets import AssetDetails, PartyDetails
from casework.clock import london_date, utcnow
from casework.errors import CaseNotFound, Conflict, InvalidInput, NotFound, PermissionDenied, StaleCase
from casework.queries import periods, register, transfers
from casework.queries.case_page import case_page
from casework.queries.dashboard import group_cases, moratorium_for_bid, owner_cases
from casework.queries.groups import council_id
from casework.queries.queue import queue_filters, work_queue
from casework.register import exports
from casework.services import asset_transfers, challenges, credentials, moratoria, nominations, transfer_requests
from casework.services.asset_transfers import EoiVerdict
from casework.services.case_transitions import apply_transition
from casework.services.nominations import Nomination
from casework.vocabulary import (
    STAFF_ROLES,
    GuardFailed,
    InvalidData,
    LandAnswers,
    Role,
    RoleNotAllowed,
    RuleNotInForce,
    TransitionNotAllowed,
    WorkflowRefusal,
)
from web import paging
from web.api import bp
from web.api.openapi import body_fields, document
from web.api.schemas import FORMATS, validated
from web.api.serialise import plain
from web.extensions import casework_db, settings
from web.problems import problem

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


def token_required(view: F) -> F:
    """Authenticate the Authorization: Bearer token as the Actor it stands for."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            return _unauthenticated(
                "A bearer token is needed", "Send Authorization: Bearer <token>; create one on your account page"
            )
        try:
            g.api_actor = credentials.actor_for_token(casework_db(), header[7:].strip())
        except (PermissionDenied, NotFound):
            return _unauthenticated("The token is not valid", "It may have been revoked", error="invalid_token")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _unauthenticated(title: str, detail: str, *, error: str | None = None) -> Response:
    """401 with the challenge RFC 6750 s.3 asks for: which scheme, and why a token sent was refused."""
    response = problem(401, title, detail, code="unauthenticated")
    challenge = 'Bearer realm="casework"'
    response.headers["WWW-Authenticate"] = f'{challenge}, error="{error}"' if error else challenge
    return response


def actor() -> Actor:
    found: Actor = g.api_actor
    return found


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


@bp.errorhandler(InvalidInput)
@bp.errorhandler(InvalidData)
def invalid(error: InvalidInput | InvalidData) -> ResponseReturnValue:
    return problem(
        422, "The request has invalid data", "; ".join(error.reasons), code="invalid-data", errors=error.errors
    )


@bp.errorhandler(StaleCase)
def stale(error: StaleCase) -> ResponseReturnValue:
    return problem(409, "The case has changed", "; ".join(error.reasons), code=error.code)


@bp.errorhandler(Conflict)
def conflict(error: Conflict) -> ResponseReturnValue:
    return problem(
        409,
        "That conflicts with what is recorded",
        "; ".join(error.reasons),
        code=error.code,
        citations=list(error.citations) or None,
    )


@bp.errorhandler(TransitionNotAllowed)
@bp.errorhandler(GuardFailed)
def refused(error: WorkflowRefusal) -> ResponseReturnValue:
    return problem(
        422,
        "The action was refused",
        "; ".join(error.reasons),
        code=error.code,
        reasons=list(error.reasons),
        citations=list(error.citations) or None,
    )


@bp.errorhandler(RoleNotAllowed)
@bp.errorhandler(PermissionDenied)
def forbidden(error: WorkflowRefusal) -> ResponseReturnValue:
    return problem(
        403, "You may not do that", "; ".join(error.reasons), code=error.code, citations=list(error.citations) or None
    )


@bp.errorhandler(NotFound)
@bp.errorhandler(CaseNotFound)
def missing(error: NotFound) -> ResponseReturnValue:
    return problem(404, "Not found", "; ".join(error.reasons), code=error.code)


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document(settings().base_url))


@bp.route("/v1/register")
def register_entries() -> ResponseReturnValue:
    """One page of the register; `links` (and the `Link` header) lead to the others (RFC 5005 relations)."""
    council = request.args.get("council") or None
    kinds = request.args.getlist("list")
    if kinds and (len(kinds) > 1 or kinds[0] not in ("listed", "unsuccessful")):
        raise InvalidInput({"list": "Give list once, as listed or unsuccessful, or leave it out for both"})
    kind = kinds[0] if kinds else None
    page = register.entries_page(casework_db(), council, kind, paging.page_number())
    links = paging.page_links(page.page, page.pages)
    response = jsonify(
        {
            "entries": exports.to_json(page.entries, settings().base_url),
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
            "links": links,
        }
    )
    response.headers["Link"] = paging.link_header(links)
    return response


@bp.route("/v1/periods/<rule>")
def period(rule: str) -> ResponseReturnValue:
    known = periods.known_rules()
    if rule not in known:
        return problem(404, "There is no such period rule", f"Known rules: {', '.join(known)}", code="unknown-rule")
    try:
        start = date.fromisoformat(request.args.get("start", ""))
    except ValueError:
        raise InvalidInput({"start": "Give start as a date, like 2025-09-05"}) from None
    try:
        computed = periods.period(rule, start)
    except (OverflowError, ValueError):  # the calendar ends at 31 December 9999
        raise InvalidInput({"start": "Give an earlier start: the period would end after the year 9999"}) from None
    except RuleNotInForce as refusal:
        reason = "; ".join(refusal.reasons)
        return problem(
            422,
            "The rule was not in force on that date",
            reason,
            code=refusal.code,
            errors={"start": reason},
            citations=list(refusal.citations),
        )
    return jsonify(computed.as_dict())


@bp.route("/v1/cases")
@token_required
def cases() -> ResponseReturnValue:
    who = actor()
    if who.role in STAFF_ROLES:
        filters = queue_filters(request.args)  # the work queue's filters, each checked: a 422 names a bad one
        queue = work_queue(casework_db(), who, filters, today=london_date(utcnow()))
        return jsonify({"cases": plain(queue.rows), "total": queue.total, "page": queue.page, "pages": queue.pages})
    rows = group_cases(casework_db(), who) if who.role is Role.COMMUNITY_MEMBER else owner_cases(casework_db(), who)[1]
    return jsonify({"cases": plain(rows), "total": len(rows)})


@bp.route("/v1/cases/<reference>")
@token_required
def case(reference: str) -> ResponseReturnValue:
    page = case_page(casework_db(), actor(), reference)
    return jsonify(plain(page))


@bp.route("/v1/cases/<reference>/deadlines")
@token_required
def deadlines(reference: str) -> ResponseReturnValue:
    return jsonify({"deadlines": plain(case_page(casework_db(), actor(), reference).dates)})


@bp.route("/v1/cases/<reference>/transitions", methods=["POST"])
@token_required
def transition(reference: str) -> ResponseReturnValue:
    """Apply an action: {"trigger": ..., "data": {...}, "expected_version": n}. The version is required."""
    request_body = validated("Transition")
    page = case_page(casework_db(), actor(), reference)
    result = apply_transition(
        casework_db(), page.id, request_body["trigger"], actor(), request_body.get("data") or {},
        expected_version=request_body["expected_version"],
    )  # fmt: skip
    return jsonify(plain(result))


@bp.route("/v1/nominations", methods=["POST"])
@token_required
def nominate() -> ResponseReturnValue:
    """Submit a whole nomination for a group (a community member's token) or record one (an officer's)."""
    data = validated("Nomination")
    result = nominations.nominate(
        casework_db(), actor(), council_id(casework_db(), data["council"]), uuid.UUID(data["organisation_id"]),
        _nomination(data),
    )  # fmt: skip
    response = jsonify(plain(result))
    response.status_code = 201
    response.headers["Location"] = url_for("api.case", reference=result.reference)
    return response


def _nomination(data: dict[str, Any]) -> Nomination:
    """A nomination from a body already checked against its schema (schemas.SCHEMAS["Nomination"])."""
    asset = data["asset"]
    details = AssetDetails(
        **{
            **asset,
            "title_numbers": tuple(asset.get("title_numbers") or ()),
            "parishes": tuple(asset.get("parishes") or ()),
        }
    )
    owners = tuple(
        PartyDetails(owner.get("kind", "owner"), owner["name"], owner.get("address"), owner.get("email"))
        for owner in data.get("owners", ())
    )
    _check_emails(owners)
    return Nomination(
        asset=details,
        boundary_description=data.get("boundary_description", ""),
        occupants=data.get("occupants", ""),
        ownership=data.get("ownership", ""),
        reasons=data.get("reasons", ""),
        eligibility_evidence=data.get("eligibility_evidence", ""),
        owners=owners,
        land=LandAnswers(**data.get("land", {})),
    )


def _check_emails(owners: tuple[PartyDetails, ...]) -> None:
    """The schema's `format: email` is RFC 5322's; notices go only where the pages' own check (email-validator, as
    WTForms' Email runs it) would let them, so the API refuses what the pages refuse."""
    errors = {}
    for number, owner in enumerate(owners):
        if owner.email is None:
            continue
        try:
            validate_email(owner.email, check_deliverability=False)
        except EmailNotValidError:
            errors[f"owners.{number}.email"] = FORMATS["email"]
    if errors:
        raise InvalidInput(errors)


@bp.route("/v1/assets/<uuid:asset_id>/owner-notices", methods=["POST"])
@token_required
def owner_notice(asset_id: uuid.UUID) -> ResponseReturnValue:
    data = validated("OwnerNotice")
    result = moratoria.record_owner_notice(
        casework_db(),
        actor(),
        asset_id,
        received_on=received_on(data),
        notice_method=data.get("notice_method", "portal"),
        disposal_type=data["disposal_type"],
        vacant_possession=data["vacant_possession"],
    )
    response = jsonify(plain(result))
    response.status_code = 201
    return response


@bp.route("/v1/cases/<reference>/bidder-requests", methods=["POST"])
@token_required
def bidder_request(reference: str) -> ResponseReturnValue:
    data = validated("BidderRequest")
    cycle = moratorium_for_bid(casework_db(), reference)
    result = moratoria.record_bidder_request(
        casework_db(), actor(), cycle.id, uuid.UUID(data["organisation_id"]), received_on=received_on(data),
        expected_version=data.get("expected_version"),
    )  # fmt: skip
    response = jsonify(plain(result))
    response.status_code = 201
    return response


@bp.route("/v1/asset-transfers", methods=["POST"])
@token_required
def asset_transfer_application() -> ResponseReturnValue:
    """A group's enquiry about taking on a council asset (England), under the council's policy."""
    data = body("enquiry")
    result = asset_transfers.start_application(
        casework_db(), actor(), _id(data, "asset_id"), _id(data, "organisation_id"),
        enquiry_received_on=london_date(utcnow()), proposed_use=str(data.get("proposed_use") or ""),
        tenure_sought=str(data.get("tenure_sought") or ""),
    )  # fmt: skip
    return _created(result)


@bp.route("/v1/transfer-requests", methods=["POST"])
@token_required
def transfer_request() -> ResponseReturnValue:
    """An asset transfer request to a Scottish authority (CE(S)A 2015 s.79)."""
    data = body("transfer_request")
    details = {key: value for key, value in data.items() if key not in ("asset_id", "organisation_id")}
    details["request_received_on"] = london_date(utcnow()).isoformat()
    result = transfer_requests.make_request(
        casework_db(), actor(), _id(data, "asset_id"), _id(data, "organisation_id"), details
    )
    return _created(result)


@bp.route("/v1/challenges", methods=["POST"])
@token_required
def challenge() -> ResponseReturnValue:
    """An expression of interest in running a council service (LA 2011 s.81)."""
    data = body("challenge")
    council = data.get("council")
    if not isinstance(council, str):
        raise InvalidInput({"council": "Give the council's code"})
    details = {key: value for key, value in data.items() if key not in ("council", "organisation_id")}
    details["eoi_received_on"] = london_date(utcnow()).isoformat()
    result = challenges.express_interest(casework_db(), actor(), council, _id(data, "organisation_id"), details)
    return _created(result)


@bp.route("/v1/cases/<reference>/scores", methods=["GET", "POST"])
@token_required
def scores(reference: str) -> ResponseReturnValue:
    """The panel's scoring sheet (GET), or your score for one criterion (POST)."""
    if request.method == "POST":
        data = body("score")
        sheet = transfers.scoring_sheet(casework_db(), actor(), reference)
        asset_transfers.record_score(
            casework_db(), actor(), sheet.case_id, str(data.get("criterion") or ""), _int(data, "score"),
            str(data.get("comment") or ""),
        )  # fmt: skip
    return jsonify(plain(transfers.scoring_sheet(casework_db(), actor(), reference)))


@bp.route("/v1/cases/<reference>/moderated-scores", methods=["POST"])
@token_required
def moderated_score(reference: str) -> ResponseReturnValue:
    data = body("moderated_score")
    sheet = transfers.scoring_sheet(casework_db(), actor(), reference)
    asset_transfers.moderate(
        casework_db(), actor(), sheet.case_id, str(data.get("criterion") or ""), _int(data, "score"),
        str(data.get("reason") or ""),
    )  # fmt: skip
    return jsonify(plain(transfers.scoring_sheet(casework_db(), actor(), reference)))


@bp.route("/v1/cases/<reference>/eoi-assessment", methods=["GET", "POST"])
@token_required
def eoi_assessment(reference: str) -> ResponseReturnValue:
    """T4: the expression of interest and the policy's criteria (GET); the finding on each criterion (POST),
    which passes it when every one is met and fails it otherwise, the reasons going to the group."""
    sheet = transfers.eoi_sheet(casework_db(), actor(), reference)
    if request.method == "GET":
        return jsonify(plain(sheet))
    data = validated("EoiAssessment")
    verdicts = [EoiVerdict(v["criterion"], v["met"], v.get("reasons", "")) for v in data["verdicts"]]
    result = asset_transfers.assess_eoi(
        casework_db(), actor(), sheet.case_id, date.fromisoformat(data["assessed_on"]), verdicts,
        expected_version=data["expected_version"],
    )  # fmt: skip
    return jsonify(plain(result))


@bp.route("/v1/assets/<uuid:asset_id>/applications")
@token_required
def applications(asset_id: uuid.UUID) -> ResponseReturnValue:
    """Every asset transfer application for one asset, side by side and ranked."""
    return jsonify(plain(transfers.compare(casework_db(), actor(), asset_id)))


def _id(data: dict[str, Any], field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(data.get(field)))
    except ValueError:
        raise InvalidInput({field: "Give a valid id"}) from None


def _int(data: dict[str, Any], field: str) -> int:
    value = data.get(field)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput({field: "Give a whole number"})
    return value


def _created(result: Any) -> ResponseReturnValue:
    response = jsonify(plain(result))
    response.status_code = 201
    response.headers["Location"] = url_for("api.case", reference=result.reference)
    return response


def received_on(data: dict[str, Any]) -> date:
    """When the council received what is sent: today, unless staff record something that came earlier."""
    if actor().role in STAFF_ROLES and data.get("received_on"):
        return date.fromisoformat(data["received_on"])  # the schema checked it is a date
    return london_date(utcnow())  # what an owner or group sends online is received when they send it


@bp.after_request
def no_store(response: Response) -> Response:
    if request.path.startswith("/api/v1/cases"):
        response.headers["Cache-Control"] = "no-store"
    return response
