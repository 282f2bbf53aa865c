"""Nominating land: one question page at a time, saved as it goes, then check your answers and send.

Every page saves the draft, so a group can stop and come back from its
dashboard. The check page shows every answer, each with a "Change" link that
comes back to it, and says, before anything is sent, whether the body looks
eligible and whether the land looks listable, with the reasons. Nothing is
chosen for the group: a question it has not answered starts with nothing
selected. The evidence page is one form with its upload, and the words typed
there are saved with the file, so uploading loses nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from casework.actors import Actor
from casework.assets import AssetDetails
from casework.errors import CaseworkError
from casework.queries import case_summary, dashboard, register
from casework.queries.case_page import case_documents
from casework.queries.groups import council_id
from casework.queries.submissions import nomination_groups
from casework.services import nominations, postcodes
from casework.services.nominations import Nomination
from casework.vocabulary import Role, WorkflowRefusal
from web import auth
from web.auth import require_actor
from web.community import bp
from web.community.forms import UploadForm
from web.community.nomination_forms import EvidenceStepForm, StartNominationForm, SubmitForm
from web.community.nomination_steps import STEP_NAMES, STEPS, step_named
from web.extensions import casework_db
from web.forms import put_errors, refuse, show_hidden_errors
from web.uploads import store_upload

RETURN_TO_CHECK = "check"  # ?return_to=check: a "Change" link from check answers goes back there when saved


@bp.route("/nominations/new", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def start_nomination() -> ResponseReturnValue:
    actor = require_actor()
    groups = dashboard.my_organisations(casework_db(), actor)
    form = StartNominationForm()
    form.group.choices = {str(group.id): group.name for group in groups}
    form.council.choices = dict(register.search(casework_db(), register.RegisterFilters()).councils)
    if form.validate_on_submit():
        blank = Nomination(asset=AssetDetails(name="", address=""), land_answered=False)
        try:
            case_id = nominations.save_draft(
                casework_db(), actor, council_id(casework_db(), form.council.data), uuid.UUID(form.group.data), blank
            )
        except CaseworkError as refusal:
            refuse(form, "group", *refusal.reasons)
        else:
            return redirect(url_for("community.nomination_step", reference=_reference(case_id), step="asset"))
    return render_template("community/start_nomination.html", form=form, groups=groups)


def _reference(case_id: uuid.UUID) -> str:
    return case_summary(casework_db(), case_id).reference


def _returning() -> bool:
    return request.args.get("return_to") == RETURN_TO_CHECK


def _step_url(reference: str, step: str) -> str:
    """A question page, keeping the way back to check answers when the group came from there."""
    return url_for(
        "community.nomination_step", reference=reference, step=step, return_to=RETURN_TO_CHECK if _returning() else None
    )


def _after(reference: str, step: str) -> str:
    """Where saving a page leads: back to check answers when changing an answer, else the next question."""
    following = STEP_NAMES.index(step) + 1
    if _returning() or following == len(STEP_NAMES):
        return url_for("community.check_nomination", reference=reference)
    return url_for("community.nomination_step", reference=reference, step=STEP_NAMES[following])


@bp.route("/nominations/<reference>/<step>", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def nomination_step(reference: str, step: str) -> ResponseReturnValue:
    actor = require_actor()
    page = step_named(step)
    draft = nominations.draft(casework_db(), actor, reference)
    if draft.state != "draft":
        return redirect(url_for("cases.case", reference=reference))
    form = page.form(data=page.load(draft.nomination)) if not _posted() else page.form()
    upload = UploadForm()
    # A file picked but sent with "Save and continue" rather than "Upload" is kept too, whatever the words say.
    filed = not (step == "evidence" and _file_chosen()) or store_upload(
        upload, actor, fallback_name="evidence", case_id=draft.case_id
    )
    if form.validate_on_submit():
        updated = page.save(form, draft.nomination)
        try:
            nominations.save_draft(
                casework_db(), actor, draft.council_id, _group(draft), updated, case_id=draft.case_id
            )
        except CaseworkError as refusal:
            put_errors(form, _prefixless(getattr(refusal, "errors", {})), next(iter(form)).short_name)
        else:
            if filed:
                return redirect(_after(reference, step))
            return _evidence_page(actor, draft, main=form, upload=upload), 400  # the words are saved; the file not
    return _evidence_page(actor, draft, main=form, upload=upload) if step == "evidence" else render_template(
        "community/nomination_step.html", form=form, step=page, draft=draft, number=STEP_NAMES.index(step) + 1,
        steps=len(STEPS), action=_step_url(reference, step),
        centre=postcodes.where_is(casework_db(), draft.nomination.asset.postcode) if step == "land" else None,
    )  # fmt: skip


def _file_chosen() -> bool:
    chosen = request.files.get("file")
    return chosen is not None and bool(chosen.filename)


def _evidence_page(actor: Actor, draft: nominations.Draft, *, main: FlaskForm, upload: UploadForm) -> str:
    """The evidence question and its upload as one form: "Upload" sends the words with the file."""
    step = "evidence"
    errors = upload if upload.errors and not main.errors else main
    return render_template(
        "community/nomination_step.html",
        form=errors,
        main_form=main,
        step=step_named(step),
        draft=draft,
        number=STEP_NAMES.index(step) + 1,
        steps=len(STEPS),
        upload=upload,
        action=_step_url(draft.reference, step),
        upload_action=url_for(
            "community.nomination_upload",
            reference=draft.reference,
            return_to=RETURN_TO_CHECK if _returning() else None,
        ),
        documents=case_documents(casework_db(), actor, draft.case_id),
    )


def _group(draft: nominations.Draft) -> uuid.UUID:
    if draft.organisation_id is None:
        abort(404)
    return draft.organisation_id


def _posted() -> bool:
    return request.method == "POST"


def _prefixless(errors: dict[str, str]) -> dict[str, str]:
    return {key.removeprefix("asset."): message for key, message in errors.items()}


@bp.route("/nominations/<reference>/check", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def check_nomination(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    draft = nominations.draft(casework_db(), actor, reference)
    if draft.state != "draft":
        return redirect(url_for("cases.case", reference=reference))
    verdicts = nominations.check(casework_db(), draft.case_id)
    form = SubmitForm(version=draft.version)
    if form.validate_on_submit():
        try:
            result = nominations.submit(casework_db(), actor, draft.case_id, expected_version=form.version.data)
        except (CaseworkError, WorkflowRefusal) as refusal:
            refuse(form, "send", *refusal.reasons)
        else:
            return redirect(url_for("cases.confirmation_page", reference=result.reference))
    show_hidden_errors(form, "send", "version")
    documents = case_documents(casework_db(), actor, draft.case_id)
    return render_template(
        "community/check_nomination.html",
        form=form,
        draft=draft,
        verdicts=verdicts,
        answers=nomination_groups(draft.nomination.as_json(), documents),
        return_to=RETURN_TO_CHECK,
    )


@bp.route("/nominations/<reference>/evidence-file", methods=["POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def nomination_upload(reference: str) -> ResponseReturnValue:
    """Upload a file from the evidence page, saving the words typed beside it first, so that nothing typed is lost
    whether or not the file is accepted."""
    actor = require_actor()
    draft = nominations.draft(casework_db(), actor, reference)
    if draft.state != "draft":
        return redirect(url_for("cases.case", reference=reference))
    typed = EvidenceStepForm()
    if typed.validate_on_submit() and typed.eligibility_evidence.data != draft.nomination.eligibility_evidence:
        updated = replace(draft.nomination, eligibility_evidence=typed.eligibility_evidence.data)
        nominations.save_draft(casework_db(), actor, draft.council_id, _group(draft), updated, case_id=draft.case_id)
    upload = UploadForm()
    if store_upload(upload, actor, fallback_name="evidence", case_id=draft.case_id):
        flash("The file has been added to the nomination.", "success")
        return redirect(_step_url(reference, "evidence"))
    return _evidence_page(actor, draft, main=EvidenceStepForm(), upload=upload), 400
