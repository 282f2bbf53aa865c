"""API endpoints. Each authenticates its bearer token, calls one casework query or service, returns JSON."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from casework import exports
from casework.actors import Actor
from casework.assets import AssetDetails, PartyDetails
from casework.clock import london_date, utcnow
from casework.errors import CaseNotFound, Conflict, InvalidInput, NotFound, PermissionDenied, StaleCase
from casework.queries import register, transfers
from casework.queries.case_page import case_page
from casework.queries.dashboard import group_cases, moratorium_for_bid, owner_cases
from casework.queries.groups import council_id
from casework.queries.queue import QueueFilters, work_queue
from casework.services import asset_transfers, challenges, credentials, moratoria, nominations, transfer_requests
from casework.services.case_transitions import apply_transition
from casework.services.nominations import Nomination
from web.api import bp
from web.api.openapi import document
from web.api.serialise import plain
from web.extensions import casework_db, settings
from web.problems import problem
from workflows import periods
from workflows.checklists import LandAnswers
from workflows.errors import GuardFailed, InvalidData, RoleNotAllowed, TransitionNotAllowed, WorkflowRefusal
from workflows.roles import STAFF_ROLES, Role

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


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInput({"body": "Send a JSON object with Content-Type: application/json"})
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
    return problem(409, "That conflicts with what is recorded", "; ".join(error.reasons), code=error.code)


@bp.errorhandler(TransitionNotAllowed)
@bp.errorhandler(GuardFailed)
def refused(error: WorkflowRefusal) -> ResponseReturnValue:
    return problem(
        422, "The action was refused", "; ".join(error.reasons), code=error.code, reasons=list(error.reasons)
    )


@bp.errorhandler(RoleNotAllowed)
@bp.errorhandler(PermissionDenied)
def forbidden(error: WorkflowRefusal) -> ResponseReturnValue:
    return problem(403, "You may not do that", "; ".join(error.reasons), code=error.code)


@bp.errorhandler(NotFound)
@bp.errorhandler(CaseNotFound)
def missing(error: NotFound) -> ResponseReturnValue:
    return problem(404, "Not found", "; ".join(error.reasons), code=error.code)


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(document(settings().base_url))


@bp.route("/v1/register")
def register_entries() -> ResponseReturnValue:
    council = request.args.get("council") or None
    kind = request.args.get("list") if request.args.get("list") in ("listed", "unsuccessful") else None
    entries = register.everything(casework_db(), council, kind)
    return jsonify({"entries": exports.to_json(entries, settings().base_url)})


@bp.route("/v1/periods/<rule>")
def period(rule: str) -> ResponseReturnValue:
    if rule not in periods.RULES:
        return problem(
            404, "There is no such period rule", f"Known rules: {', '.join(periods.RULES)}", code="unknown-rule"
        )
    try:
        start = date.fromisoformat(request.args.get("start", ""))
    except ValueError:
        raise InvalidInput({"start": "Give start as a date, like 2025-09-05"}) from None
    try:
        computed = periods.compute(rule, start)
    except (OverflowError, ValueError):  # the calendar ends at 31 December 9999
        raise InvalidInput({"start": "Give an earlier start: the period would end after the year 9999"}) from None
    return jsonify(computed.as_dict())


@bp.route("/v1/cases")
@token_required
def cases() -> ResponseReturnValue:
    who = actor()
    if who.role in STAFF_ROLES:
        filters = QueueFilters(
            workflow=request.args.get("workflow") or None,
            state=request.args.get("state") or None,
            page=request.args.get("page", 1, type=int) or 1,
        )
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
    request_body = body()
    trigger, version = request_body.get("trigger"), request_body.get("expected_version")
    if not isinstance(trigger, str) or not isinstance(version, int):
        raise InvalidInput(
            {
                "trigger": "Give the trigger (a string)",
                "expected_version": "Give the case version you saw (an integer), so a stale request is refused",
            }
        )
    data = request_body.get("data") or {}
    if not isinstance(data, dict):
        raise InvalidInput({"data": "data must be an object"})
    page = case_page(casework_db(), actor(), reference)
    result = apply_transition(casework_db(), page.id, trigger, actor(), data, expected_version=version)
    return jsonify(plain(result))


@bp.route("/v1/nominations", methods=["POST"])
@token_required
def nominate() -> ResponseReturnValue:
    """Submit a whole nomination for a group (a community member's token) or record one (an officer's)."""
    data = body()
    nomination = _nomination(data)
    council_code, group = data.get("council"), data.get("organisation_id")
    if not isinstance(council_code, str) or not isinstance(group, str):
        raise InvalidInput({"council": "Give the council's code", "organisation_id": "Give the group's id"})
    result = nominations.nominate(
        casework_db(), actor(), council_id(casework_db(), council_code), _uuid(group), nomination
    )
    response = jsonify(plain(result))
    response.status_code = 201
    response.headers["Location"] = url_for("api.case", reference=result.reference)
    return response


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput({"organisation_id": "Give a valid id"}) from None


def _nomination(data: dict[str, Any]) -> Nomination:
    asset = data.get("asset")
    if not isinstance(asset, dict):
        raise InvalidInput({"asset": "Give the asset: an object with at least name and address"})
    allowed = {
        "name",
        "address",
        "postcode",
        "uprn",
        "title_numbers",
        "category",
        "ward",
        "parishes",
        "point",
        "boundary",
        "description",
    }
    unknown = set(asset) - allowed
    if unknown:
        raise InvalidInput({f"asset.{key}": "Unknown field" for key in sorted(unknown)})
    details = AssetDetails(
        **{
            **asset,
            "title_numbers": tuple(asset.get("title_numbers") or ()),
            "parishes": tuple(asset.get("parishes") or ()),
            "name": str(asset.get("name") or ""),
            "address": str(asset.get("address") or ""),
        }
    )
    owners = tuple(
        PartyDetails(str(o.get("kind", "owner")), str(o.get("name", "")), o.get("address"), o.get("email"))
        for o in data.get("owners") or ()
        if isinstance(o, dict)
    )
    land = data.get("land") or {}
    return Nomination(
        asset=details,
        boundary_description=str(data.get("boundary_description") or ""),
        occupants=str(data.get("occupants") or ""),
        ownership=str(data.get("ownership") or ""),
        reasons=str(data.get("reasons") or ""),
        eligibility_evidence=str(data.get("eligibility_evidence") or ""),
        owners=owners,
        land=LandAnswers(**{k: bool(v) for k, v in land.items() if k in LandAnswers.__dataclass_fields__}),
    )


@bp.route("/v1/assets/<uuid:asset_id>/owner-notices", methods=["POST"])
@token_required
def owner_notice(asset_id: uuid.UUID) -> ResponseReturnValue:
    data = body()
    received = data.get("received_on") or london_date(utcnow()).isoformat()
    if actor().role not in STAFF_ROLES:
        received = london_date(utcnow()).isoformat()  # an owner's own notice is received when they send it
    result = moratoria.record_owner_notice(
        casework_db(),
        actor(),
        asset_id,
        received_on=_date(received, "received_on"),
        notice_method=str(data.get("notice_method") or "portal"),
        disposal_type=str(data.get("disposal_type") or ""),
        vacant_possession=data.get("vacant_possession") is True,
    )
    response = jsonify(plain(result))
    response.status_code = 201
    return response


@bp.route("/v1/cases/<reference>/bidder-requests", methods=["POST"])
@token_required
def bidder_request(reference: str) -> ResponseReturnValue:
    data = body()
    group = data.get("organisation_id")
    if not isinstance(group, str):
        raise InvalidInput({"organisation_id": "Give the id of the group asking to bid"})
    cycle = moratorium_for_bid(casework_db(), reference)
    result = moratoria.record_bidder_request(
        casework_db(), actor(), cycle.id, _uuid(group), received_on=london_date(utcnow())
    )
    response = jsonify(plain(result))
    response.status_code = 201
    return response


@bp.route("/v1/asset-transfers", methods=["POST"])
@token_required
def asset_transfer_application() -> ResponseReturnValue:
    """A group's enquiry about taking on a council asset (England), under the council's policy."""
    data = body()
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
    data = body()
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
    data = body()
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
        data = body()
        sheet = transfers.scoring_sheet(casework_db(), actor(), reference)
        asset_transfers.record_score(
            casework_db(), actor(), sheet.case_id, str(data.get("criterion") or ""), _int(data, "score"),
            str(data.get("comment") or ""),
        )  # fmt: skip
    return jsonify(plain(transfers.scoring_sheet(casework_db(), actor(), reference)))


@bp.route("/v1/cases/<reference>/moderated-scores", methods=["POST"])
@token_required
def moderated_score(reference: str) -> ResponseReturnValue:
    data = body()
    sheet = transfers.scoring_sheet(casework_db(), actor(), reference)
    asset_transfers.moderate(
        casework_db(), actor(), sheet.case_id, str(data.get("criterion") or ""), _int(data, "score"),
        str(data.get("reason") or ""),
    )  # fmt: skip
    return jsonify(plain(transfers.scoring_sheet(casework_db(), actor(), reference)))


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


def _date(value: Any, field: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput({field: "Give a date like 2026-03-27"}) from None


@bp.after_request
def no_store(response: Response) -> Response:
    if request.path.startswith("/api/v1/cases"):
        response.headers["Cache-Control"] = "no-store"
    return response
