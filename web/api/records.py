"""API endpoints for what owners, groups and officers record or read besides transitions: claims, reviews,
exempt disposals, notes, assignment, lists of nominations and owners' notices, bidder requests, reports
and a group's profile. Each authenticates its token, calls one casework query or service, returns JSON."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from casework.errors import NotFound
from casework.queries import groups, reports
from casework.queries.case_lists import visible_cases
from casework.queries.case_page import CasePage, case_page
from casework.services import casefile, compensation, moratoria
from casework.services.case_transitions import apply_transition
from web.api import bp
from web.api.bodies import created, received_on
from web.api.schemas import validated
from web.api.serialise import plain
from web.api.tokens import actor, token_required
from web.extensions import casework_db

KINDS = {"nominations": "acv_listing", "owner-notices": "moratorium"}


def _of_kind(kind: str, reference: str) -> CasePage:
    page = case_page(casework_db(), actor(), reference)
    if page.workflow != KINDS[kind]:
        raise NotFound(f"There is no {kind.replace('-', ' ')[:-1]} {reference}")
    return page


@bp.route("/v1/nominations")
@token_required
def nominations_list() -> ResponseReturnValue:
    """Nominations (and the listings they became) the token's holder may read."""
    return jsonify({"nominations": plain(visible_cases(casework_db(), actor(), KINDS["nominations"]))})


@bp.route("/v1/nominations/<reference>")
@token_required
def nomination(reference: str) -> ResponseReturnValue:
    return jsonify(plain(_of_kind("nominations", reference)))


@bp.route("/v1/owner-notices")
@token_required
def owner_notices() -> ResponseReturnValue:
    """Owners' notices of intended sale (each a disposal cycle) the token's holder may read."""
    return jsonify({"owner_notices": plain(visible_cases(casework_db(), actor(), KINDS["owner-notices"]))})


@bp.route("/v1/owner-notices/<reference>")
@token_required
def owner_notice_one(reference: str) -> ResponseReturnValue:
    return jsonify(plain(_of_kind("owner-notices", reference)))


def _bidder_requests(page: CasePage) -> list[dict[str, Any]]:
    return [
        {
            "organisation_id": entry.data.get("organisation_id"),
            "group": entry.data.get("cig_name"),
            "received_on": entry.data.get("request_received_on"),
            "recorded_at": entry.occurred_at.isoformat(),
        }
        for entry in reversed(page.timeline)
        if entry.kind == "transition" and entry.data.get("organisation_id") and entry.data.get("cig_name")
    ]


@bp.route("/v1/cases/<reference>/bidder-requests")
@token_required
def bidder_requests(reference: str) -> ResponseReturnValue:
    """The requests to be treated as a potential bidder recorded on a disposal cycle, oldest first."""
    return jsonify({"bidder_requests": _bidder_requests(_of_kind("owner-notices", reference))})


@bp.route("/v1/cases/<reference>/bidder-requests/<uuid:organisation_id>")
@token_required
def bidder_request_one(reference: str, organisation_id: uuid.UUID) -> ResponseReturnValue:
    requests = _bidder_requests(_of_kind("owner-notices", reference))
    found = [r for r in requests if r["organisation_id"] == str(organisation_id)]
    if not found:
        raise NotFound(f"That group has not asked to bid on {reference}")
    return jsonify(found[0])


@bp.route("/v1/assets/<uuid:asset_id>/compensation-claims", methods=["POST"])
@token_required
def compensation_claim(asset_id: uuid.UUID) -> ResponseReturnValue:
    """An owner's claim for loss or expense caused by the listing (ACV Regs reg.14)."""
    data = validated("CompensationClaim")
    result = compensation.submit_claim(
        casework_db(), actor(), asset_id, claim_received_on=received_on(data),
        loss_ended_on=date.fromisoformat(data["loss_ended_on"]), amount_claimed=data["amount_claimed"],
        claim_parts=data["claim_parts"], claimant_is_public_body=data.get("claimant_is_public_body", False),
    )  # fmt: skip
    return created(result)


@bp.route("/v1/assets/<uuid:asset_id>/exempt-disposals", methods=["POST"])
@token_required
def exempt_disposal(asset_id: uuid.UUID) -> ResponseReturnValue:
    """A disposal the moratorium does not apply to (LA 2011 s.95(5), ACV Regs Sch.3); the land stays listed."""
    data = validated("ExemptDisposal")
    result = moratoria.record_exempt_disposal(
        casework_db(), actor(), asset_id, disposal_entered_on=date.fromisoformat(data["disposal_entered_on"]),
        exemption=data["exemption"], details=data["details"],
        right_granted_on=date.fromisoformat(data["right_granted_on"]) if data.get("right_granted_on") else None,
    )  # fmt: skip
    return created(result)


@bp.route("/v1/cases/<reference>/review-requests", methods=["POST"])
@token_required
def review_request(reference: str) -> ResponseReturnValue:
    """The owner's request for a review of a listing (LA 2011 s.92); the version seen is required."""
    data = validated("ReviewRequest")
    page = _of_kind("nominations", reference)
    fields = {"review_request_received_on": received_on(data).isoformat()}
    for optional in ("oral_hearing_requested", "review_grounds"):
        if optional in data:
            fields[optional] = data[optional]
    result = apply_transition(
        casework_db(), page.id, "request_review", actor(), fields, expected_version=data["expected_version"]
    )
    return jsonify(plain(result))


@bp.route("/v1/cases/<reference>/notes", methods=["GET", "POST"])
@token_required
def notes(reference: str) -> ResponseReturnValue:
    """The case's notes: staff read and add internal and public ones; everyone else reads the public ones."""
    page = case_page(casework_db(), actor(), reference)
    status = 200
    if request.method == "POST":
        data = validated("Note")
        casefile.add_note(casework_db(), actor(), page.id, data["text"], public=data.get("public", False))
        page, status = case_page(casework_db(), actor(), reference), 201
    found = [
        {"text": e.data.get("text"), "public": e.public, "by": e.actor, "added_at": e.occurred_at.isoformat()}
        for e in page.timeline
        if e.kind == "note"
    ]
    return jsonify({"notes": found}), status


@bp.route("/v1/cases/<reference>/assignment", methods=["PUT"])
@token_required
def assignment(reference: str) -> ResponseReturnValue:
    """Give the case to an officer or reviewer of the council ({"assignee": id}), or to nobody (null)."""
    data = validated("Assignment")
    page = case_page(casework_db(), actor(), reference)
    assignee = uuid.UUID(data["assignee"]) if data["assignee"] else None
    casefile.assign(casework_db(), actor(), [page.id], assignee)
    return jsonify({"reference": reference, "assigned_to": case_page(casework_db(), actor(), reference).assigned_to})


REPORTS = {"decisions": reports.decisions, "open-moratoria": reports.open_moratoria, "monthly": reports.monthly}


@bp.route("/v1/reports/<name>")
@token_required
def report(name: str) -> ResponseReturnValue:
    """One of the officers' reports, as the table the reports page shows (staff only)."""
    if name not in REPORTS:
        raise NotFound(f"There is no report {name}; there are: {', '.join(REPORTS)}")
    return jsonify({"report": name, "rows": plain(REPORTS[name](casework_db(), actor()))})


@bp.route("/v1/groups/<uuid:group_id>")
@token_required
def group(group_id: uuid.UUID) -> ResponseReturnValue:
    """A group's profile and what the eligibility rules make of it (its members and its council's staff)."""
    found = plain(groups.profile(casework_db(), actor(), group_id))
    found.pop("form_data", None)  # the page's form, not the group
    return jsonify(found)
