"""Admin pages for the council's own policies: asset transfer stages, criteria and weights; right to challenge
windows and periods. Each change is a new version; cases already running keep theirs."""

from __future__ import annotations

import json
import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework import examples
from casework.errors import CaseworkError
from casework.queries import transfers
from casework.queries.groups import council_code
from casework.services import policies
from web import auth
from web.admin import bp
from web.admin.forms import PolicyForm
from web.auth import require_actor
from web.extensions import casework_db
from web.forms import put_errors
from workflows.policies import KINDS
from workflows.roles import Role

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
    detail = transfers.policy_detail(casework_db(), require_actor(), policy_id)
    return render_template(
        "admin/policy.html", detail=detail, document=json.dumps(detail.document, indent=2), titles=TITLES
    )


@bp.route("/policies/new/<workflow>", methods=["GET", "POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def new_policy(workflow: str) -> ResponseReturnValue:
    """Start from the newest version (or an example), change it, publish it as the next version."""
    if workflow not in KINDS:
        abort(404)
    actor = require_actor()
    starting = transfers.latest_document(casework_db(), actor, workflow) or examples.load(STARTERS[workflow])
    form = PolicyForm(data={"document": json.dumps(starting, indent=2)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            document = json.loads(form.document.data)
            if not isinstance(document, dict):
                raise ValueError("the policy must be a JSON object, in curly brackets")
        except ValueError as bad:
            put_errors(form, {"document": f"The policy is not valid JSON: {bad}"}, "document")
        else:
            try:
                published = policies.publish(
                    casework_db(), actor, _council_code(actor.council_id), workflow, document,
                    effective_from=form.effective_from.data,
                )  # fmt: skip
            except CaseworkError as refusal:
                put_errors(form, getattr(refusal, "errors", {"document": "; ".join(refusal.reasons)}), "document")
            else:
                flash(f"Version {published.version} published. Cases already running keep their version.", "success")
                return redirect(url_for("admin.policy", policy_id=published.id))
    status = 400 if form.errors else 200
    return render_template("admin/policy_new.html", form=form, workflow=workflow, titles=TITLES), status


def _council_code(council_id: uuid.UUID | None) -> str:
    if council_id is None:
        abort(403)
    return council_code(casework_db(), council_id)
