"""Admin pages for the council's own policies: asset transfer stages, criteria and weights; right to challenge
windows and periods. Each change is a new version; cases already running keep theirs.

An admin changes the policy through forms (web.admin.policy_forms), starting from the newest version; a
version downloads as JSON, and JSON can be pasted in to publish, for people who keep their policy as a file.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from casework import examples
from casework.actors import Actor
from casework.errors import CaseworkError, InvalidInput
from casework.queries import policy_versions
from casework.queries.groups import council_code
from casework.services import policies
from casework.vocabulary import KINDS, TENURES, Role
from web import auth
from web.admin import bp, policy_documents, policy_editing, policy_forms
from web.admin.forms import PolicyJsonForm
from web.auth import require_actor
from web.extensions import casework_db
from web.forms import put_errors

TITLES = {"asset_transfer": "Community asset transfer", "challenge": "Community right to challenge"}
STARTERS = {"asset_transfer": examples.TRANSFER_POLICIES[0], "challenge": examples.CHALLENGE_POLICY}


@bp.route("/policies")
@auth.acting_as(Role.COUNCIL_ADMIN)
def policies_page() -> ResponseReturnValue:
    actor = require_actor()
    code = _council_code(actor.council_id)
    return render_template("admin/policies.html", versions=policies.versions(casework_db(), code), titles=TITLES)


@bp.route("/policies/<uuid:policy_id>")
@auth.acting_as(Role.COUNCIL_ADMIN)
def policy(policy_id: uuid.UUID) -> ResponseReturnValue:
    detail = policy_versions.policy_detail(casework_db(), require_actor(), policy_id)
    return render_template("admin/policy.html", detail=detail, titles=TITLES, tenures={t.id: t.label for t in TENURES})


@bp.route("/policies/<uuid:policy_id>/policy.json")
@auth.acting_as(Role.COUNCIL_ADMIN)
def export_policy(policy_id: uuid.UUID) -> ResponseReturnValue:
    """The version as published, as a JSON file: to keep, to change elsewhere, or to paste in as a new one."""
    detail = policy_versions.policy_detail(casework_db(), require_actor(), policy_id)
    filename = f"{detail.pinned.workflow}-policy-version-{detail.pinned.version}.json"
    return Response(
        json.dumps(detail.document, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/policies/new/<workflow>", methods=["GET", "POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def new_policy(workflow: str) -> ResponseReturnValue:
    """Start from the newest version (or an example) in forms, change it, publish it as the next version."""
    actor = require_actor()
    form_class = policy_forms.form_class(_known(workflow))
    if request.method == "GET":
        starting = _starting_document(actor, workflow)
        return _editor(workflow, form_class(formdata=None, data=policy_documents.form_data(workflow, starting)))
    form = form_class()
    changed = policy_editing.changed_rows(form, request.form)
    if changed is not None:  # "Add another" or "Remove": the admin is still writing
        return _editor(workflow, changed)
    if form.validate_on_submit():
        published = _publish(actor, workflow, form, policy_documents.document_from(workflow, form))
        if published is not None:
            return published
    policy_editing.name_rows(form)
    return _editor(workflow, form), 400


@bp.route("/policies/new/<workflow>/json", methods=["GET", "POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def import_policy(workflow: str) -> ResponseReturnValue:
    """The same, as one JSON document: for people who keep their policy as a file."""
    actor = require_actor()
    starting = _starting_document(actor, _known(workflow))
    form = PolicyJsonForm(data={"document": json.dumps(starting, indent=2)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            document = json.loads(form.document.data)
            if not isinstance(document, dict):
                raise ValueError("the policy must be a JSON object, in curly brackets")
        except ValueError as bad:
            put_errors(form, {"document": f"The policy is not valid JSON: {bad}"}, "document")
        else:
            published = _publish(actor, workflow, form, document)
            if published is not None:
                return published
    status = 400 if form.errors else 200
    return render_template("admin/policy_json.html", form=form, workflow=workflow, titles=TITLES), status


def _publish(actor: Actor, workflow: str, form: Any, document: dict[str, Any]) -> ResponseReturnValue | None:
    """Publish `document` from either page; None, with the problems on the form, when the policy is refused."""
    effective_from: date | None = form.effective_from.data
    try:
        published = policies.publish(
            casework_db(), actor, _council_code(actor.council_id), workflow, document, effective_from=effective_from
        )
    except InvalidInput as refusal:
        if isinstance(form, policy_forms.PolicyForm):
            policy_editing.put_problems(form, refusal.errors)
        else:  # the first day beside its own field; the document's problems together on the document
            first_day = {place: message for place, message in refusal.errors.items() if place == "effective_from"}
            rest = "; ".join(message for place, message in refusal.errors.items() if place != "effective_from")
            put_errors(form, {**first_day, **({"document": rest} if rest else {})}, "document")
        return None
    except CaseworkError as refusal:  # not the council's admin after all, perhaps: say so at the top
        fallback = "title" if isinstance(form, policy_forms.PolicyForm) else "document"
        put_errors(form, {fallback: "; ".join(refusal.reasons)}, fallback)
        return None
    flash(f"Version {published.version} published. Cases already running keep their version.", "success")
    return redirect(url_for("admin.policy", policy_id=published.id))


def _editor(workflow: str, form: FlaskForm) -> str:
    return render_template(
        "admin/policy_new.html",
        policy_form=form,
        errors=policy_editing.error_list(form),
        workflow=workflow,
        titles=TITLES,
        stages=policy_forms.stages(workflow),
    )


def _starting_document(actor: Actor, workflow: str) -> dict[str, Any]:
    return policy_versions.latest_document(casework_db(), actor, workflow) or examples.load(STARTERS[workflow])


def _known(workflow: str) -> str:
    if workflow not in KINDS:
        abort(404)
    return workflow


def _council_code(council_id: uuid.UUID | None) -> str:
    if council_id is None:
        abort(403)
    return council_code(casework_db(), council_id)
