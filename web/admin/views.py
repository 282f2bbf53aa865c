"""Admin pages: the admin home, staff and their roles, and the workflow definitions with their diagrams."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.errors import CaseworkError
from casework.queries import definitions
from casework.queries.people import council_staff
from casework.services import accounts, invitations
from casework.vocabulary import Role
from web import auth
from web.admin import bp
from web.admin.forms import InviteForm
from web.app_security import CSP
from web.auth import require_actor
from web.extensions import casework_db, settings
from web.forms import put_errors

ADMIN = Role.COUNCIL_ADMIN


@bp.route("/")
@auth.acting_as(ADMIN)
def index() -> ResponseReturnValue:
    return render_template("admin/index.html")


@bp.route("/users", methods=["GET", "POST"])
@auth.acting_as(ADMIN)
def users() -> ResponseReturnValue:
    actor = require_actor()
    form = InviteForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            invitations.invite(
                casework_db(), actor, form.email.data, form.name.data, role, base_url=settings().base_url
            )
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"email": "; ".join(refusal.reasons)}), "email")
        else:
            # The same words whether or not the address has an account: nothing here says which.
            flash(
                f"An invitation has been sent to {form.email.data.strip()}. They will have the "
                f"{role.value.replace('_', ' ')} role once they accept it.",
                "success",
            )
            return redirect(url_for("admin.users"))
        return _users_page(actor, form), 400
    return _users_page(actor, form)


def _users_page(actor: Actor, form: InviteForm) -> str:
    return render_template(
        "admin/users.html",
        form=form,
        staff=council_staff(casework_db(), actor),
        invited=invitations.pending(casework_db(), actor),
    )


@bp.route("/users/<uuid:user_id>/roles/<role>/remove", methods=["POST"])
@auth.acting_as(ADMIN)
def remove_role(user_id: uuid.UUID, role: str) -> ResponseReturnValue:
    if role not in {r.value for r in (Role.OFFICER, Role.REVIEWER, Role.COUNCIL_ADMIN)}:
        abort(404)
    try:
        accounts.revoke_role(casework_db(), require_actor(), user_id, Role(role))
        flash("The role has been removed.", "success")
    except CaseworkError as refusal:
        flash("; ".join(refusal.reasons))
    return redirect(url_for("admin.users"))


@bp.route("/workflows")
@auth.acting_as(ADMIN)
def workflows() -> ResponseReturnValue:
    return render_template("admin/workflows.html", definitions=definitions.all_definitions())


@bp.route("/workflows/<name>/<int:version>")
@auth.acting_as(ADMIN)
def workflow(name: str, version: int) -> ResponseReturnValue:
    drawn = definitions.drawn(name, version)
    return render_template("admin/workflow.html", defn=drawn.definition, diagram=drawn.diagram)


# Mermaid draws the diagram with inline styles; only this page lets them in (flask-talisman's per-view options).
workflow.talisman_view_options = {  # type: ignore[attr-defined]
    "content_security_policy": {**CSP, "style-src": "'self' 'unsafe-inline'"},
    "content_security_policy_nonce_in": ["script-src"],
}
