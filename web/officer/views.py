"""The case page and what officers do on it: its actions, a written request to bid, problems, notes, documents
and recording who owns an asset."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.errors import CaseworkError, StaleCase
from casework.notifying import resending
from casework.queries.case_page import CasePage, case_actions, case_page
from casework.queries.groups import groups_for_council
from casework.queries.problems import DEADLINE, DELIVERY, NOTICE
from casework.queries.submissions import submissions
from casework.services import casefile, deadline_retries, moratoria, outbox, parties
from casework.vocabulary import Role, WorkflowRefusal
from web import auth
from web.actions import action_gone, find_action, take_action
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.forms import put_errors, refuse, show_hidden_errors
from web.officer import bp
from web.officer.forms import CaseDocumentForm, NoteForm, OwnerForm, RecordBidForm
from web.uploads import store_upload


@bp.route("/cases/<reference>")
@auth.acting_as(*STAFF)
def case(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    return render_template(
        "officer/case.html",
        case=case_page(casework_db(), actor, reference),
        submitted=submissions(casework_db(), actor, reference),
        note=NoteForm(),
        upload=CaseDocumentForm(),
        owner=OwnerForm(),
    )


@bp.route("/cases/<reference>/actions/<trigger>", methods=["GET", "POST"])
@auth.acting_as(*STAFF)
def action(reference: str, trigger: str) -> ResponseReturnValue:
    actor = require_actor()
    page = case_actions(casework_db(), actor, reference)
    chosen = find_action(page, trigger)
    if chosen is None:
        return action_gone(page, back="officer.case")
    return take_action(actor, page, chosen, template="cases/action.html", back="officer.case")


@bp.route("/cases/<reference>/bidder-request", methods=["GET", "POST"])
@auth.acting_as(Role.OFFICER)
def record_bid(reference: str) -> ResponseReturnValue:
    """A group's written request to bid, recorded with the day it reached the council (LA 2011 s.95(3)(a)).

    The group is chosen from those the council knows, so that whether it is a community interest group
    (ACV Regs reg.12) is judged from its record, as when a group asks online."""
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    if page.workflow != "moratorium":
        abort(404)
    form = RecordBidForm(version=page.version)
    form.group.choices = {str(group_id): name for group_id, name in groups_for_council(casework_db(), actor)}
    if form.validate_on_submit():
        try:
            moratoria.record_bidder_request(
                casework_db(), actor, page.id, uuid.UUID(form.group.data),
                received_on=cast(date, form.received_on.data), expected_version=form.version.data,
            )  # fmt: skip
        except StaleCase as stale:
            flash("; ".join(stale.reasons))
            return redirect(url_for("officer.case", reference=reference))
        except (CaseworkError, WorkflowRefusal) as refusal:
            refuse(form, "group", *refusal.reasons)
        else:
            flash("Done: the request to be treated as a potential bidder is recorded.", "success")
            return redirect(url_for("officer.case", reference=reference))
    show_hidden_errors(form, "record", "version")
    return render_template("officer/bid.html", case=page, form=form)


@bp.route("/cases/<reference>/problems/<kind>/<uuid:item_id>", methods=["POST"])
@auth.acting_as(*STAFF)
def fix_problem(reference: str, kind: str, item_id: uuid.UUID) -> ResponseReturnValue:
    """Try a failed deadline or notice again, or send a failed email again: the buttons on the case page."""
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    if not any(problem.kind == kind and problem.id == item_id for problem in page.problems):
        abort(404)
    try:
        if kind == DEADLINE:
            label = deadline_retries.retry(casework_db(), actor, item_id)
            done = f"\u201c{label}\u201d will be applied again at the next sweep, within a minute."
        elif kind == NOTICE:
            title = outbox.retry(casework_db(), actor, item_id)
            done = f"The notice \u201c{title}\u201d will be prepared and sent again."
        elif kind == DELIVERY:
            recipient = resending.resend(casework_db(), actor, item_id)
            done = f"The email to {recipient} will be sent again."
        else:
            abort(404)
    except CaseworkError as refusal:
        flash("; ".join(refusal.reasons))
    else:
        flash(done, "success")
    return redirect(url_for("officer.case", reference=reference))


@bp.route("/cases/<reference>/notes", methods=["POST"])
@auth.acting_as(*STAFF)
def add_note(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            casefile.add_note(casework_db(), actor, page.id, form.text.data, public=bool(form.public.data))
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"text": "; ".join(refusal.reasons)}), "text")
        else:
            flash("The note has been added.", "success")
            return redirect(url_for("officer.case", reference=reference))
    return _case_again(page, note=form)


@bp.route("/cases/<reference>/documents", methods=["POST"])
@auth.acting_as(*STAFF)
def upload(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    form = CaseDocumentForm()
    if store_upload(form, actor, fallback_name="document", case_id=page.id, public=bool(form.public.data)):
        flash("The document has been added.", "success")
        return redirect(url_for("officer.case", reference=reference))
    return _case_again(page, upload=form)


@bp.route("/cases/<reference>/owner", methods=["POST"])
@auth.acting_as(*STAFF)
def record_owner(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    form = OwnerForm()
    if form.validate_on_submit():
        if page.asset_id is None:
            abort(404)
        try:
            parties.link_account_by_email(casework_db(), actor, page.asset_id, form.email.data, kind=form.kind.data)
        except CaseworkError as refusal:
            refuse(form, "email", *refusal.reasons)
        else:
            flash(f"{form.email.data} can now act online as the {form.kind.data} of {page.asset_name}.", "success")
            return redirect(url_for("officer.case", reference=reference))
    return _case_again(page, owner=form)


def _case_again(page: CasePage, **forms: object) -> ResponseReturnValue:
    chosen = {
        "note": NoteForm(formdata=None),
        "upload": CaseDocumentForm(formdata=None),
        "owner": OwnerForm(formdata=None),
        **forms,
    }
    failed = next(iter(forms.values()))
    submitted = submissions(casework_db(), require_actor(), page.reference)
    return render_template("officer/case.html", case=page, submitted=submitted, form=failed, **chosen), 400
