"""The case page for groups and owners, their actions, and the documents they add."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.errors import CaseNotFound
from casework.queries.case_page import case_actions, case_page
from casework.queries.confirmation import confirmation
from casework.vocabulary import STAFF_ROLES
from web import auth
from web.actions import action_gone, find_action, take_action
from web.auth import require_actor
from web.branding import show_council_id
from web.cases import bp
from web.community.forms import UploadForm
from web.extensions import casework_db
from web.uploads import store_upload


@bp.route("/cases/<reference>")
@auth.signed_in
def case(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    if actor.role in STAFF_ROLES:
        return redirect(url_for("officer.case", reference=reference))
    page = case_page(casework_db(), actor, reference)
    show_council_id(page.council_id)  # the case is one council's: its header and contact details
    return render_template("cases/case.html", case=page, upload=UploadForm())


@bp.route("/cases/<reference>/sent")
@auth.signed_in
def confirmation_page(reference: str) -> ResponseReturnValue:
    """The GOV.UK confirmation page for what a group or owner sent: the reference, what happens next and when,
    how to contact the council, and a record of what was sent to print. Someone who sent nothing on the case
    (or an officer) has nothing to confirm, and sees the case."""
    actor = require_actor()
    if actor.role in STAFF_ROLES:
        return redirect(url_for("officer.case", reference=reference))
    try:
        sent = confirmation(casework_db(), actor, reference)
    except CaseNotFound:
        return redirect(url_for("cases.case", reference=reference))
    return render_template("cases/confirmation.html", sent=sent)


@bp.route("/cases/<reference>/actions/<trigger>", methods=["GET", "POST"])
@auth.signed_in
def action(reference: str, trigger: str) -> ResponseReturnValue:
    actor = require_actor()
    if actor.role in STAFF_ROLES:
        return redirect(url_for("officer.action", reference=reference, trigger=trigger))
    page = case_actions(casework_db(), actor, reference)
    chosen = find_action(page, trigger)
    if chosen is None:
        return action_gone(page, back="cases.case")
    return take_action(actor, page, chosen, template="cases/action.html", back="cases.case")


@bp.route("/cases/<reference>/documents", methods=["POST"])
@auth.signed_in
def upload(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    show_council_id(page.council_id)
    form = UploadForm()
    if store_upload(form, actor, fallback_name="document", case_id=page.id):
        flash("The document has been added.", "success")
        return redirect(url_for("cases.case", reference=reference))
    return render_template("cases/case.html", case=page, upload=form, form=form), 400
