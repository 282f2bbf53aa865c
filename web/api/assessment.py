"""The panel's assessment of asset transfer applications: the expression of interest against the policy's
criteria, each member's scores and the moderated ones, and every application for one asset side by side."""

from __future__ import annotations

import uuid
from datetime import date

from flask import jsonify, request
from flask.typing import ResponseReturnValue

from casework.queries import transfers
from casework.services import asset_transfers, transfer_panel
from casework.services.asset_transfers import EoiVerdict
from web.api import bp
from web.api.bodies import body, whole_number
from web.api.schemas import validated
from web.api.serialise import plain
from web.api.tokens import actor, token_required
from web.extensions import casework_db


@bp.route("/v1/cases/<reference>/scores", methods=["GET", "POST"])
@token_required
def scores(reference: str) -> ResponseReturnValue:
    """The panel's scoring sheet (GET), or your score for one criterion (POST)."""
    if request.method == "POST":
        data = body("score")
        sheet = transfers.scoring_sheet(casework_db(), actor(), reference)
        transfer_panel.record_score(
            casework_db(), actor(), sheet.case_id, str(data.get("criterion") or ""), whole_number(data, "score"),
            str(data.get("comment") or ""),
        )  # fmt: skip
    return jsonify(plain(transfers.scoring_sheet(casework_db(), actor(), reference)))


@bp.route("/v1/cases/<reference>/moderated-scores", methods=["POST"])
@token_required
def moderated_score(reference: str) -> ResponseReturnValue:
    data = body("moderated_score")
    sheet = transfers.scoring_sheet(casework_db(), actor(), reference)
    transfer_panel.moderate(
        casework_db(), actor(), sheet.case_id, str(data.get("criterion") or ""), whole_number(data, "score"),
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
