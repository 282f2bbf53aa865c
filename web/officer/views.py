"""The work queue, the case page and its actions, notes, documents and recording who owns an asset."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from functools import cache
from typing import cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError, InvalidInput, NotFound, PermissionDenied, StaleCase
from casework.notifying import resending
from casework.queries import case_summary
from casework.queries.case_page import CasePage, case_actions, case_page
from casework.queries.dashboard import awaiting_review
from casework.queries.groups import groups_for_council
from casework.queries.problems import DEADLINE, DELIVERY, NOTICE, Problem, council_problems
from casework.queries.queue import SORT_CHOICES, QueuePage, queue_filters, queue_states, work_queue
from casework.queries.submissions import submissions
from casework.services import casefile, deadlines, moratoria, outbox, parties
from casework.services.case_transitions import apply_transition
from web import auth
from web.actions import action_gone, find_action, take_action
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.forms import put_errors, refuse, show_hidden_errors
from web.officer import bp
from web.officer.forms import AssignForm, CaseDocumentForm, NoteForm, OwnerForm, QueueFilterForm, RecordBidForm
from web.uploads import store_upload
from workflows import registry
from workflows.errors import WorkflowRefusal
from workflows.roles import Role


@bp.route("/")
@auth.acting_as(*STAFF)
def index() -> ResponseReturnValue:
    return redirect(url_for("officer.queue"))


@bp.route("/reviews")
@auth.acting_as(*STAFF)
def reviews() -> ResponseReturnValue:
    """Every case of the council waiting for a reviewer's decision, whichever process it is in: a reviewer's work."""
    return render_template("officer/reviews.html", cases=awaiting_review(casework_db(), require_actor()))


@bp.route("/cases")
@auth.acting_as(*STAFF)
def queue() -> ResponseReturnValue:
    actor = require_actor()
    args = request.args
    try:
        filters = queue_filters(args)
    except InvalidInput as invalid:
        if set(invalid.errors) != {"search"}:  # only an address bar makes these: the page offers none of them
            abort(400, "; ".join(invalid.reasons))
        # A search that cannot be one is shown on its field; the queue below is the rest of what was asked for
        args = MultiDict([(key, value) for key, value in args.items(multi=True) if key != "search"])
        page = work_queue(casework_db(), actor, queue_filters(args), today=london_date(utcnow()))
        problems, problem_count = council_problems(casework_db(), actor)
        return render_queue(page, problems, problem_count, request.args, search_error=invalid.errors["search"]), 400
    if filters.state and filters.workflow and not filters.state.startswith(f"{filters.workflow}:"):
        # Another process was chosen after a status of the last one: its list no longer offers that status
        filters = replace(filters, state=None)
        args = MultiDict([(key, value) for key, value in args.items(multi=True) if key != "state"])
    page = work_queue(casework_db(), actor, filters, today=london_date(utcnow()))
    problems, problem_count = council_problems(casework_db(), actor)
    return render_queue(page, problems, problem_count, args)


def render_queue(
    page: QueuePage,
    problems: Sequence[Problem],
    problem_count: int,
    args: Mapping[str, str],
    *,
    search_error: str | None = None,
) -> str:
    """The queue page from what was read for it: nothing here queries (bench B4 renders it on its own too)."""
    form = QueueFilterForm(args)
    form.workflow.data = page.filters.workflow or ""  # chosen by the status of a link, as a reviewer lands
    form.state.choices = dict([("", "Any status"), *page.states])
    form.assignee.choices = dict([("", "Anyone"), ("me", "Me"), ("none", "Nobody"), *page.assignees])
    form.ward.choices = dict([("", "Any ward"), *((w, w) for w in page.wards)])
    form.sort.data = page.filters.sort
    if search_error:
        form.search.errors = [search_error]
    assign = AssignForm()
    assign.assignee.choices = dict([("", "Nobody"), *page.assignees])
    return render_template(
        "officer/queue.html",
        page=page,
        form=form,
        assign=assign,
        query={key: value for key, value in args.items() if key != "page"},
        statuses=_statuses_by_process(),
        sort_choices=SORT_CHOICES,
        problems=problems,
        problem_count=problem_count,
    )


@cache
def _statuses_by_process() -> str:
    """Each process's statuses as the status list offers them, for the page's script to fill the list in as soon
    as a process is chosen (without it, the list is filled in when the filters are applied)."""
    return json.dumps({defn.name: queue_states(defn.name) for defn in registry.all_definitions()})


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
        chosen_assignee = uuid.UUID(assignee) if assignee else None
    except ValueError:
        flash("Select who to assign the cases to from the list")
        return redirect(url_for("officer.queue"))
    try:
        count = casefile.assign(casework_db(), actor, ids, chosen_assignee)
    except CaseworkError as refusal:
        flash("; ".join(refusal.reasons))
    else:
        flash(f"{count} case{'s' if count != 1 else ''} {'assigned' if assignee else 'unassigned'}.", "success")
    return redirect(request.referrer if _same_site(request.referrer) else url_for("officer.queue"))


BULK_TRIGGERS = {"consider": "now under consideration"}  # actions that make sense on many cases at once


@bp.route("/cases/bulk/<trigger>", methods=["POST"])
@auth.acting_as(*STAFF)
def bulk_action(trigger: str) -> ResponseReturnValue:
    """Take one action on each chosen case, each in its own transaction, with the version its row showed;
    then say which were done and why any were not."""
    if trigger not in BULK_TRIGGERS:
        abort(404)
    actor = require_actor()
    chosen = _chosen_with_versions()
    if not chosen:
        flash("Select at least one case")
    done, refused = [], []
    for case_id, version in chosen:
        try:
            result = apply_transition(casework_db(), case_id, trigger, actor, {}, expected_version=version)
        except (WorkflowRefusal, CaseworkError) as refusal:
            refused.append(f"{_reference(case_id, refusal)}: {'; '.join(refusal.reasons)}")
        else:
            done.append(result.reference)
    if done:
        flash(
            f"{len(done)} case{'s' if len(done) != 1 else ''} {BULK_TRIGGERS[trigger]}: {', '.join(done)}.", "success"
        )
    for reason in refused:
        flash(f"Not done: {reason}")
    return redirect(request.referrer if _same_site(request.referrer) else url_for("officer.queue"))


def _reference(case_id: uuid.UUID, refusal: Exception) -> str:
    """The case's reference for the summary, unless the refusal is that it is not the actor's to see."""
    if isinstance(refusal, NotFound | PermissionDenied):
        return "A case you cannot act on"
    return case_summary(casework_db(), case_id).reference


def _chosen_with_versions() -> list[tuple[uuid.UUID, int]]:
    """The cases ticked on the queue, each with the version its row showed."""
    try:
        return [
            (uuid.UUID(value), int(request.form.get(f"version-{value}", ""))) for value in request.form.getlist("cases")
        ]
    except ValueError:
        abort(400, "Reload the work queue and try again: a case or its version was missing")


def _same_site(url: str | None) -> bool:
    return bool(url) and str(url).startswith(request.host_url)


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
            label = deadlines.retry(casework_db(), actor, item_id)
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
