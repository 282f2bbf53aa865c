"""API endpoints for reading and acting on cases: the OpenAPI document, the register, period rules, the cases an
actor may see with their deadlines, and applying a transition. Each calls one casework query or service."""

from __future__ import annotations

from datetime import date

from flask import Response, jsonify, request
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.errors import InvalidInput
from casework.queries import periods, register
from casework.queries.case_page import case_page
from casework.queries.dashboard import group_cases, owner_cases
from casework.queries.queue import queue_filters, work_queue
from casework.register import exports
from casework.services.case_transitions import apply_transition
from casework.vocabulary import STAFF_ROLES, Role, RuleNotInForce
from web import paging
from web.api import bp
from web.api.openapi import document
from web.api.schemas import validated
from web.api.serialise import plain
from web.api.tokens import actor, token_required
from web.extensions import casework_db, settings
from web.problems import problem


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


@bp.after_request
def no_store(response: Response) -> Response:
    if request.path.startswith("/api/v1/cases"):
        response.headers["Cache-Control"] = "no-store"
    return response
