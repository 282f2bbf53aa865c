"""The officers' work queue: open cases ordered by their next deadline, overdue and due-this-week first."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidInput, PermissionDenied
from casework.models import Asset, Case, Deadline, User, UserRole
from casework.models.deadline import FIRED, PENDING
from workflows import registry
from workflows.roles import STAFF_ROLES, Role

PAGE_SIZE = 50


@dataclass(frozen=True)
class QueueFilters:
    workflow: str | None = None
    state: str | None = None  # "workflow:state" as the queue's list offers it, or a state id of `workflow`
    assignee: str | None = None  # a user id, "me" or "none"
    category: str | None = None
    ward: str | None = None
    due: str | None = None  # "overdue" or "this_week", as the queue highlights them
    page: int = 1


DUE_CHOICES = {"overdue": "Overdue", "this_week": "Due this week"}


def queue_filters(args: Mapping[str, str]) -> QueueFilters:
    """The filters a page or API request asked for; raises InvalidInput naming each value that is not one offered."""
    value = {name: (args.get(name) or "").strip() or None for name in FILTER_NAMES}
    errors = {}
    names = {defn.name for defn in registry.all_definitions()}
    if value["workflow"] and value["workflow"] not in names:
        errors["workflow"] = "The process must be one of: " + ", ".join(sorted(names))
    # A state of another process than the one chosen is a filter nothing matches (no cases), not a mistake
    if value["state"] and value["state"] not in _state_ids(None):
        errors["state"] = "The status must be one the list offers, like acv_listing:listed"
    if value["assignee"] not in (None, "me", "none"):
        try:
            uuid.UUID(str(value["assignee"]))
        except ValueError:
            errors["assignee"] = "Who the cases are assigned to must be me, none or the id of an officer"
    if value["due"] and value["due"] not in DUE_CHOICES:
        errors["due"] = "The next deadline must be overdue or this_week"
    page = value["page"] or "1"
    # ASCII digits only ("²" is a digit int() refuses), few enough for int(); a page past the end shows the last
    if not (page.isascii() and page.isdigit() and len(page) <= 100) or int(page) < 1:
        errors["page"] = "Enter a page number, like 2"
    if errors:
        raise InvalidInput(errors)
    return QueueFilters(**{**value, "page": int(page)})  # type: ignore[arg-type]


FILTER_NAMES = ("workflow", "state", "assignee", "category", "ward", "due", "page")


def filter_choices() -> dict[str, list[str]]:
    """The values the workflow and state filters accept (besides none), for the API's document."""
    return {
        "workflow": sorted(defn.name for defn in registry.all_definitions()),
        "state": sorted(_state_ids(None)),
    }


def _state_ids(workflow: str | None) -> set[str]:
    """What the state filter accepts: "workflow:state" pairs, and bare state ids (of `workflow`, if given)."""
    pairs = {key for key, _ in _states(workflow)}
    return pairs | {pair.partition(":")[2] for pair in pairs}


@dataclass(frozen=True)
class QueueRow:
    id: uuid.UUID
    reference: str
    workflow_title: str
    state_label: str
    asset_name: str | None
    category: str | None
    ward: str | None
    assigned_to: str | None
    next_label: str | None
    next_due: date | None
    overdue: bool
    due_this_week: bool
    version: int


@dataclass(frozen=True)
class QueuePage:
    rows: tuple[QueueRow, ...]
    total: int
    page: int
    pages: int
    assignees: tuple[tuple[str, str], ...]
    states: tuple[tuple[str, str], ...]
    categories: tuple[str, ...]
    wards: tuple[str, ...]
    filters: QueueFilters = field(default_factory=QueueFilters)


def work_queue(db: Database, actor: Actor, filters: QueueFilters, *, today: date) -> QueuePage:
    """Open cases of the actor's council, soonest deadline first; overdue escalations count as due now."""
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("The work queue is for council staff")
    with db.reader() as session:
        next_due = (
            select(Deadline.case_id, func.min(Deadline.due_date).label("due"))
            .where(Deadline.council_id == actor.council_id, Deadline.status == PENDING)
            .group_by(Deadline.case_id)
            .subquery()
        )
        overdue = (
            select(Deadline.case_id, func.min(Deadline.due_date).label("was_due"))
            .join(Case, Case.id == Deadline.case_id)
            .where(
                Deadline.council_id == actor.council_id,
                Deadline.status == FIRED,
                Deadline.expiry_kind == "escalate",
                Case.state_changed_at < Deadline.fired_at,
            )
            .group_by(Deadline.case_id)
            .subquery()
        )
        open_cases = (Case.council_id == actor.council_id, Case.closed_at.is_(None), Case.state != "draft")
        # A page is chosen from ids, due dates and creation times, which the indexes hold
        # (ix_cases_council_open, ix_deadlines_council_*); only its 50 rows are then read whole.
        chosen = (
            select(Case.id, next_due.c.due, overdue.c.was_due)
            .outerjoin(next_due, next_due.c.case_id == Case.id)
            .outerjoin(overdue, overdue.c.case_id == Case.id)
            .where(*open_cases)
        )
        if filters.category or filters.ward:
            chosen = chosen.outerjoin(Asset, Asset.id == Case.asset_id)
        chosen = _filtered(chosen, filters, actor)
        urgency = func.coalesce(overdue.c.was_due, next_due.c.due)
        if filters.due in DUE_CHOICES:
            # The same tests as each row's flags (_row): an escalation that fired, or a date already passed.
            if filters.due == "overdue":
                chosen = chosen.where(overdue.c.was_due.is_not(None) | (next_due.c.due < today))
            else:
                chosen = chosen.where(urgency.between(today, today + timedelta(days=7)))
            total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
        else:
            # Counting needs neither the deadlines nor the assignee's name: only the asset, when filtering on it.
            counting = select(func.count()).select_from(Case).where(*open_cases)
            if filters.category or filters.ward:
                counting = counting.outerjoin(Asset, Asset.id == Case.asset_id)
            total = session.scalar(_filtered(counting, filters, actor)) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(filters.page, 1), pages)  # a page past the end shows the last: no offset overflows
        picked = session.execute(
            chosen.order_by(urgency.is_(None), urgency, Case.created_at, Case.id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).all()
        whole = {
            case.id: (case, asset, name)
            for case, asset, name in session.execute(
                select(Case, Asset, User.name)
                .outerjoin(Asset, Asset.id == Case.asset_id)
                .outerjoin(User, User.id == Case.assigned_to)
                .where(Case.id.in_([case_id for case_id, _, _ in picked]))
            )
        }
        rows = [(*whole[case_id], due, was_due) for case_id, due, was_due in picked]
        timers = _timers_due(session, [(case.id, was_due or due) for case, _, _, due, was_due in rows])
        return QueuePage(
            rows=tuple(
                _row(case, asset, name, due, was_due, today, timers.get((case.id, was_due or due)))
                for case, asset, name, due, was_due in rows
            ),
            total=total,
            page=page,
            pages=pages,
            assignees=_assignees(session, actor),
            states=_states(filters.workflow),
            categories=tuple(_distinct(session, actor, Asset.category)),
            wards=tuple(_distinct(session, actor, Asset.ward)),
            filters=filters,
        )


def _filtered(stmt: Select[Any], filters: QueueFilters, actor: Actor) -> Select[Any]:
    if filters.workflow:
        stmt = stmt.where(Case.workflow == filters.workflow)
    if filters.state:
        workflow, _, state = filters.state.rpartition(":")
        stmt = stmt.where(Case.state == state)
        if workflow:  # states of different workflows share ids ("listed"...): the pair picks one
            stmt = stmt.where(Case.workflow == workflow)
    if filters.assignee:
        stmt = stmt.where(_assigned(filters.assignee, actor))
    if filters.category:
        stmt = stmt.where(Asset.category == filters.category)
    if filters.ward:
        stmt = stmt.where(Asset.ward == filters.ward)
    return stmt


def _assigned(assignee: str, actor: Actor) -> ColumnElement[bool]:
    if assignee == "me":
        return Case.assigned_to == actor.user_id
    if assignee == "none":
        return Case.assigned_to.is_(None)
    return Case.assigned_to == uuid.UUID(assignee)


def _timers_due(session: Session, wanted: list[tuple[uuid.UUID, date | None]]) -> dict[tuple[uuid.UUID, date], str]:
    """Which timer falls due on each row's date, for a whole page in one query."""
    dated = {(case_id, day) for case_id, day in wanted if day is not None}
    if not dated:
        return {}
    stmt = select(Deadline.case_id, Deadline.due_date, Deadline.timer).where(
        Deadline.case_id.in_({case_id for case_id, _ in dated})
    )
    found: dict[tuple[uuid.UUID, date], str] = {}
    for case_id, due_date, timer in session.execute(stmt.order_by(Deadline.created_at)):
        if (case_id, due_date) in dated:
            found.setdefault((case_id, due_date), timer)
    return found


def _row(
    case: Case,
    asset: Asset | None,
    assignee: str | None,
    due: date | None,
    was_due: date | None,
    today: date,
    timer: str | None,
) -> QueueRow:
    defn = registry.get(case.workflow, case.workflow_version)
    label = next((t.label for t in defn.timers if t.name == timer), None) if timer else None
    when = was_due or due
    return QueueRow(
        id=case.id,
        reference=case.reference,
        workflow_title=defn.title,
        state_label=defn.state(case.state).label,
        asset_name=asset.name if asset else None,
        category=asset.category if asset else None,
        ward=asset.ward if asset else None,
        assigned_to=assignee,
        next_label=label,
        next_due=when,
        overdue=was_due is not None or (due is not None and due < today),
        due_this_week=when is not None and today <= when <= today + timedelta(days=7),
        version=case.version,
    )


def _assignees(session: Session, actor: Actor) -> tuple[tuple[str, str], ...]:
    rows = session.execute(
        select(User.id, User.name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.council_id == actor.council_id,
            UserRole.role.in_([Role.OFFICER.value, Role.REVIEWER.value]),
            User.active.is_(True),
        )
        .distinct()
        .order_by(User.name)
    ).all()
    return tuple((str(user_id), name) for user_id, name in rows)


def _states(workflow: str | None) -> tuple[tuple[str, str], ...]:
    """Every state the queue can show, as ("workflow:state", label): open (neither terminal nor dormant),
    and not a draft."""
    definitions = [registry.get(workflow)] if workflow else registry.all_definitions()
    return tuple(
        (f"{defn.name}:{state.id}", f"{defn.title}: {state.label}")
        for defn in definitions
        for state in defn.states
        if not state.closed and state.id != "draft"
    )


def _distinct(session: Session, actor: Actor, column: InstrumentedAttribute[Any]) -> list[str]:
    stmt = select(column).where(Asset.council_id == actor.council_id, column.is_not(None)).distinct().order_by(column)
    return [str(value) for value in session.scalars(stmt)]
