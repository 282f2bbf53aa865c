"""The asset transfer panel: scoring sheets, declared interests, moderation, and competing applications compared."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, cast

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.errors import CaseworkError, InvalidInput, StaleCase
from casework.queries import transfers
from casework.queries.submissions import submissions
from casework.queries.transfers import ScoringSheet
from casework.services import asset_transfers, transfer_panel
from casework.vocabulary import WorkflowRefusal
from web import auth
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.forms import put_errors
from web.officer import bp
from web.officer.forms import ConflictForm, ModerationForm, ScoreForm, eoi_assessment_form, score_choices


def _forms(sheet: ScoringSheet) -> tuple[dict[str, ScoreForm], dict[str, ModerationForm]]:
    scores, moderation = {}, {}
    for criterion in sheet.criteria:
        mine = next((row for row in criterion.scores if row.mine), None)
        score = ScoreForm(formdata=None, prefix=f"score-{criterion.id}", score=str(mine.score) if mine else None,
                          comment=mine.comment if mine else "")  # fmt: skip
        agreed = criterion.moderated if criterion.moderated is not None else criterion.suggestion
        moderate = ModerationForm(
            formdata=None,
            prefix=f"agree-{criterion.id}",
            score=str(agreed) if agreed is not None else None,
            reason=criterion.moderation_reason,
        )
        score.score.choices = moderate.score.choices = score_choices(criterion.max_score)
        scores[criterion.id], moderation[criterion.id] = score, moderate
    return scores, moderation


def _page(
    sheet: ScoringSheet,
    status: int = 200,
    *,
    score: tuple[str, ScoreForm] | None = None,
    agree: tuple[str, ModerationForm] | None = None,
    conflict: ConflictForm | None = None,
) -> ResponseReturnValue:
    """The scoring sheet, with the one form that was just refused shown back with its errors."""
    scores, moderation = _forms(sheet)
    if score:
        scores[score[0]] = score[1]
    if agree:
        moderation[agree[0]] = agree[1]
    failed = score[1] if score else agree[1] if agree else conflict
    application = submissions(casework_db(), require_actor(), sheet.reference)
    return render_template(
        "officer/scores.html", sheet=sheet, application=application, scores=scores, moderation=moderation,
        conflict=conflict or ConflictForm(formdata=None), form=failed,
    ), status  # fmt: skip


@bp.route("/cases/<reference>/scores")
@auth.acting_as(*STAFF)
def scores(reference: str) -> ResponseReturnValue:
    return _page(transfers.scoring_sheet(casework_db(), require_actor(), reference))


Save = Callable[[Actor, uuid.UUID, Any], None]


def _criterion_post(reference: str, criterion: str, kind: str, save: Save, done: str) -> ResponseReturnValue:
    """A score or an agreed score for one criterion: check the form, save it, or show the sheet with the errors."""
    actor = require_actor()
    sheet = transfers.scoring_sheet(casework_db(), actor, reference)
    rubric = {c.id: c for c in sheet.criteria}
    form: Any = (
        ScoreForm(prefix=f"score-{criterion}") if kind == "score" else ModerationForm(prefix=f"agree-{criterion}")
    )
    form.score.choices = score_choices(rubric[criterion].max_score if criterion in rubric else 0)
    if form.validate_on_submit():
        try:
            save(actor, sheet.case_id, form)
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"score": "; ".join(refusal.reasons)}), "score")
        else:
            flash(done, "success")
            return redirect(url_for("officer.scores", reference=reference) + f"#criterion-{criterion}")
    if kind == "score":
        return _page(sheet, 400, score=(criterion, form))
    return _page(sheet, 400, agree=(criterion, form))


@bp.route("/cases/<reference>/scores/<criterion>", methods=["POST"])
@auth.acting_as(*STAFF)
def record_score(reference: str, criterion: str) -> ResponseReturnValue:
    def save(actor: Actor, case_id: uuid.UUID, form: Any) -> None:
        transfer_panel.record_score(casework_db(), actor, case_id, criterion, int(form.score.data), form.comment.data)

    return _criterion_post(reference, criterion, "score", save, "Your score has been saved.")


@bp.route("/cases/<reference>/moderation/<criterion>", methods=["POST"])
@auth.acting_as(*STAFF)
def moderate(reference: str, criterion: str) -> ResponseReturnValue:
    def save(actor: Actor, case_id: uuid.UUID, form: Any) -> None:
        transfer_panel.moderate(casework_db(), actor, case_id, criterion, int(form.score.data), form.reason.data or "")

    return _criterion_post(reference, criterion, "agree", save, "The agreed score has been recorded.")


@bp.route("/cases/<reference>/conflict", methods=["POST"])
@auth.acting_as(*STAFF)
def declare_conflict(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    sheet = transfers.scoring_sheet(casework_db(), actor, reference)
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            transfer_panel.declare_conflict(casework_db(), actor, sheet.case_id, form.details.data)
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"details": "; ".join(refusal.reasons)}), "details")
        else:
            flash("Your interest has been recorded. You will not score this application.", "success")
            return redirect(url_for("officer.scores", reference=reference))
    return _page(sheet, 400, conflict=form)


@bp.route("/assets/<uuid:asset_id>/applications")
@auth.acting_as(*STAFF)
def compare(asset_id: uuid.UUID) -> ResponseReturnValue:
    return render_template(
        "officer/compare.html", comparison=transfers.compare(casework_db(), require_actor(), asset_id)
    )


@bp.route("/cases/<reference>/eoi-assessment", methods=["GET", "POST"])
@auth.acting_as(*STAFF)
def assess_eoi(reference: str) -> ResponseReturnValue:
    """T4: each of the policy's criteria met or not, with reasons; casework passes or fails it from those."""
    actor = require_actor()
    sheet = transfers.eoi_sheet(casework_db(), actor, reference)
    form = eoi_assessment_form(sheet.criteria)(version=sheet.version)
    if sheet.open_for_assessment and form.validate_on_submit():
        verdicts = [
            asset_transfers.EoiVerdict(c, getattr(form, f"met_{n}").data == "met", getattr(form, f"reasons_{n}").data)
            for n, c in enumerate(sheet.criteria, start=1)
        ]
        try:
            asset_transfers.assess_eoi(casework_db(), actor, sheet.case_id, cast(date, form.assessed_on.data),
                                       verdicts, expected_version=form.version.data)  # fmt: skip
        except StaleCase as stale:
            flash("; ".join(stale.reasons))
            return redirect(url_for("officer.assess_eoi", reference=reference))
        except InvalidInput as invalid:
            put_errors(form, {_eoi_field(k): v for k, v in invalid.errors.items()}, "record")
        except (WorkflowRefusal, CaseworkError) as refusal:
            put_errors(form, {"record": "; ".join(refusal.reasons)}, "record")
        else:
            flash("The assessment has been recorded and the group will be told.", "success")
            return redirect(url_for("officer.case", reference=reference))
    status = 400 if form.errors else 200
    return render_template("officer/eoi_assessment.html", sheet=sheet, form=form), status


def _eoi_field(key: str) -> str:
    """casework's "criterion-3" and "criterion-3-reasons" are the form's met_3 and reasons_3."""
    parts = key.split("-")
    return f"reasons_{parts[1]}" if parts[-1] == "reasons" else f"met_{parts[1]}"
