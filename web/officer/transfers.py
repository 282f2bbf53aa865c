"""The asset transfer panel: scoring sheets, declared interests, moderation, and competing applications compared."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.errors import CaseworkError
from casework.queries import transfers
from casework.queries.transfers import ScoringSheet
from casework.services import asset_transfers
from web import auth
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.forms import put_errors
from web.officer import bp
from web.officer.forms import ConflictForm, ModerationForm, ScoreForm, score_choices


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
    return render_template(
        "officer/scores.html", sheet=sheet, scores=scores, moderation=moderation,
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
        asset_transfers.record_score(casework_db(), actor, case_id, criterion, int(form.score.data), form.comment.data)

    return _criterion_post(reference, criterion, "score", save, "Your score has been saved.")


@bp.route("/cases/<reference>/moderation/<criterion>", methods=["POST"])
@auth.acting_as(*STAFF)
def moderate(reference: str, criterion: str) -> ResponseReturnValue:
    def save(actor: Actor, case_id: uuid.UUID, form: Any) -> None:
        asset_transfers.moderate(casework_db(), actor, case_id, criterion, int(form.score.data), form.reason.data or "")

    return _criterion_post(reference, criterion, "agree", save, "The agreed score has been recorded.")


@bp.route("/cases/<reference>/conflict", methods=["POST"])
@auth.acting_as(*STAFF)
def declare_conflict(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    sheet = transfers.scoring_sheet(casework_db(), actor, reference)
    form = ConflictForm()
    if form.validate_on_submit():
        try:
            asset_transfers.declare_conflict(casework_db(), actor, sheet.case_id, form.details.data)
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
