"""What groups, owners and officers send to start a case: a nomination, an owner's notice, a request to bid, an
enquiry about a council asset, a Scottish transfer request and an expression of interest in running a service."""

from __future__ import annotations

import uuid
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import jsonify, url_for
from flask.typing import ResponseReturnValue

from casework.assets import AssetDetails, PartyDetails
from casework.clock import london_date, utcnow
from casework.errors import InvalidInput
from casework.queries.dashboard import moratorium_for_bid
from casework.queries.groups import council_id
from casework.services import asset_transfers, challenges, moratoria, nominations, transfer_requests
from casework.services.nominations import Nomination
from casework.vocabulary import LandAnswers
from web.api import bp
from web.api.bodies import body, created, received_on, uuid_field
from web.api.schemas import FORMATS, validated
from web.api.serialise import plain
from web.api.tokens import actor, token_required
from web.extensions import casework_db


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
        casework_db(), actor(), uuid_field(data, "asset_id"), uuid_field(data, "organisation_id"),
        enquiry_received_on=london_date(utcnow()), proposed_use=str(data.get("proposed_use") or ""),
        tenure_sought=str(data.get("tenure_sought") or ""),
    )  # fmt: skip
    return created(result)


@bp.route("/v1/transfer-requests", methods=["POST"])
@token_required
def transfer_request() -> ResponseReturnValue:
    """An asset transfer request to a Scottish authority (CE(S)A 2015 s.79)."""
    data = body("transfer_request")
    details = {key: value for key, value in data.items() if key not in ("asset_id", "organisation_id")}
    details["request_received_on"] = london_date(utcnow()).isoformat()
    result = transfer_requests.make_request(
        casework_db(), actor(), uuid_field(data, "asset_id"), uuid_field(data, "organisation_id"), details
    )
    return created(result)


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
    result = challenges.express_interest(casework_db(), actor(), council, uuid_field(data, "organisation_id"), details)
    return created(result)
