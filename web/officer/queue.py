"""The work queue: filters, sorting and paging, the cases awaiting review, assigning cases and acting on many at
once. Every row carries the version it showed, so an action on a case changed since is refused, not applied."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import cache

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError, InvalidInput, NotFound, PermissionDenied
from casework.queries import case_summary, definitions
from casework.queries.dashboard import awaiting_review
from casework.queries.problems import Problem, council_problems
from casework.queries.queue import SORT_CHOICES, QueuePage, queue_filters, queue_states, work_queue
from casework.services import casefile
from casework.services.case_transitions import apply_transition
from casework.vocabulary import WorkflowRefusal
from web import auth
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.officer import bp
from web.officer.forms import AssignForm, QueueFilterForm


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
    return json.dumps({defn.name: queue_states(defn.name) for defn in definitions.all_definitions()})


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
