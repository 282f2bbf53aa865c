"""The work queue, the case page and its actions, notes, documents and recording who owns an asset."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError
from casework.queries.case_page import case_page
from casework.queries.problems import DEADLINE, DELIVERY, NOTICE, council_problems
from casework.queries.queue import QueueFilters, work_queue
from casework.services import casefile, deadlines, deliveries, outbox, parties
from web import auth
from web.actions import find_action, take_action
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.forms import put_errors, refuse
from web.officer import bp
from web.officer.forms import AssignForm, CaseDocumentForm, NoteForm, OwnerForm, QueueFilterForm
from web.uploads import store_upload


@bp.route("/")
@auth.acting_as(*STAFF)
def index() -> ResponseReturnValue:
    return redirect(url_for("officer.queue"))


@bp.route("/cases")
@auth.acting_as(*STAFF)
def queue() -> ResponseReturnValue:
    actor = require_actor()
    filters = QueueFilters(
        workflow=request.args.get("workflow") or None,
        state=request.args.get("state") or None,
        assignee=request.args.get("assignee") or None,
        category=request.args.get("category") or None,
        ward=request.args.get("ward") or None,
        page=request.args.get("page", 1, type=int) or 1,
    )
    if filters.assignee not in (None, "me", "none"):
        try:
            uuid.UUID(str(filters.assignee))
        except ValueError:
            abort(400)
    page = work_queue(casework_db(), actor, filters, today=london_date(utcnow()))
    form = QueueFilterForm(request.args)
    form.state.choices = dict([("", "Any status"), *page.states])
    form.assignee.choices = dict([("", "Anyone"), ("me", "Me"), ("none", "Nobody"), *page.assignees])
    form.ward.choices = dict([("", "Any ward"), *((w, w) for w in page.wards)])
    assign = AssignForm()
    assign.assignee.choices = dict([("", "Nobody"), *page.assignees])
    problems, problem_count = council_problems(casework_db(), actor)
    return render_template(
        "officer/queue.html",
        page=page,
        form=form,
        assign=assign,
        query=request.args,
        problems=problems,
        problem_count=problem_count,
    )


@bp.route("/cases/assign", methods=["POST"])
@auth.acting_as(*STAFF)
def assign() -> ResponseReturnValue:
    actor = require_actor()
    chosen = request.form.getlist("cases")
    try:
        ids = [uuid.UUID(value) for value in chosen]
    except ValueError:
        abort(400)
    assignee = request.form.get("assignee") or None
    try:
        count = casefile.assign(casework_db(), actor, ids, uuid.UUID(assignee) if assignee else None)
    except CaseworkError as refusal:
        flash("; ".join(refusal.reasons))
    else:
        flash(f"{count} case{'s' if count != 1 else ''} {'assigned' if assignee else 'unassigned'}.", "success")
    return redirect(request.referrer if _same_site(request.referrer) else url_for("officer.queue"))


def _same_site(url: str | None) -> bool:
    return bool(url) and str(url).startswith(request.host_url)


@bp.route("/cases/<reference>")
@auth.acting_as(*STAFF)
def case(reference: str) -> ResponseReturnValue:
    actor = require_actor()
    return render_template(
        "officer/case.html",
        case=case_page(casework_db(), actor, reference),
        note=NoteForm(),
        upload=CaseDocumentForm(),
        owner=OwnerForm(),
    )


@bp.route("/cases/<reference>/actions/<trigger>", methods=["GET", "POST"])
@auth.acting_as(*STAFF)
def action(reference: str, trigger: str) -> ResponseReturnValue:
    actor = require_actor()
    page = case_page(casework_db(), actor, reference)
    chosen = find_action(page, trigger)
    if chosen is None:
        abort(404)
    return take_action(actor, page, chosen, template="cases/action.html", back="officer.case")


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
            label = deadlines.retry(casework_db(), actor, item_id)
            done = f"\u201c{label}\u201d will be applied again at the next sweep, within a minute."
        elif kind == NOTICE:
            title = outbox.retry(casework_db(), actor, item_id)
            done = f"The notice \u201c{title}\u201d will be prepared and sent again."
        elif kind == DELIVERY:
            recipient = deliveries.resend(casework_db(), actor, item_id)
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


def _case_again(page: object, **forms: object) -> ResponseReturnValue:
    chosen = {
        "note": NoteForm(formdata=None),
        "upload": CaseDocumentForm(formdata=None),
        "owner": OwnerForm(formdata=None),
        **forms,
    }
    failed = next(iter(forms.values()))
    return render_template("officer/case.html", case=page, form=failed, **chosen), 400
