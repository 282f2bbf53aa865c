"""Which open cases the work queue shows and in what order: the filters an officer chose (QueueFilters) made
into SQL over the cases' stored next due dates, so that a page in deadline order is a range of one index."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select

from casework.actors import Actor
from casework.models import Asset, Case, Organisation, User
from workflows import registry


@dataclass(frozen=True)
class QueueFilters:
    workflow: str | None = None
    state: str | None = None  # "workflow:state" as the queue's list offers it, or a state id of `workflow`
    assignee: str | None = None  # a user id, "me" or "none"
    category: str | None = None
    ward: str | None = None
    due: str | None = None  # "overdue" or "this_week", as the queue highlights them
    search: str | None = None  # part of a reference, a name (the asset's or the group's), an address or a postcode
    sort: str = "due"
    page: int = 1


# What a page's rows are read with, once the page's cases are chosen: the case and the names the queue shows.
ROWS = (
    select(
        Case.id,
        Case.reference,
        Case.workflow,
        Case.workflow_version,
        Case.state,
        Case.version,
        Case.created_at,
        Case.next_due_date,
        Case.next_due_timer,
        Case.next_due_escalated,
        # a challenge is about a service, not land: its name stands where a place's would
        func.coalesce(Asset.name, Case.facts["service_name"].as_string()).label("asset_name"),
        Asset.category,
        Asset.ward,
        User.name.label("assignee"),
    )
    .outerjoin(Asset, Asset.id == Case.asset_id)
    .outerjoin(User, User.id == Case.assigned_to)
)


def open_states(workflow: str | None) -> tuple[tuple[str, str], ...]:
    """Every state the queue can show, as ("workflow:state", its label): open (neither terminal nor dormant),
    and not a draft; in the order of each process's definition."""
    definitions = [registry.get(workflow)] if workflow else registry.all_definitions()
    return tuple(
        (f"{defn.name}:{state.id}", state.label)
        for defn in definitions
        for state in defn.states
        if not state.closed and state.id != "draft"
    )


Ordering = tuple[Any, ...]  # columns and expressions for ORDER BY


def _by_status() -> Ordering:
    """Cases grouped by process, then by status in the order its workflow declares them."""
    place = {key: index for index, (key, _) in enumerate(open_states(None))}
    rank = case(
        *(
            ((Case.workflow == key.partition(":")[0]) & (Case.state == key.partition(":")[2]), index)
            for key, index in place.items()
        ),
        else_=len(place),
    )
    return (rank, *_by_due())


def _by_due() -> Ordering:
    return (Case.next_due_date.is_(None), Case.next_due_date, Case.created_at, Case.id)


_ORDER: dict[str, Callable[[], Ordering]] = {
    "due": _by_due,
    "received_newest": lambda: (Case.created_at.desc(), Case.id.desc()),
    "received_oldest": lambda: (Case.created_at, Case.id),
    "status": _by_status,
}


def ordered(stmt: Select[Any], sort: str) -> Select[Any]:
    """`stmt` in the order `sort` names (one of queue's SORT_CHOICES)."""
    return stmt.order_by(*_ORDER[sort]())


def filtered(stmt: Select[Any], filters: QueueFilters, actor: Actor, today: date) -> Select[Any]:
    """`stmt` narrowed to the cases `filters` pick, on the case's own columns where it can be."""
    if filters.workflow:
        stmt = stmt.where(Case.workflow == filters.workflow)
    if filters.state:
        workflow, _, state = filters.state.rpartition(":")
        stmt = stmt.where(Case.state == state)
        if workflow:  # states of different workflows share ids ("listed"...): the pair picks one
            stmt = stmt.where(Case.workflow == workflow)
    if filters.assignee:
        stmt = stmt.where(_assigned(filters.assignee, actor))
    if filters.due == "overdue":  # as each row's flag says (queue._row): an escalation that fired, or a date passed
        stmt = stmt.where(Case.next_due_date <= today, Case.next_due_escalated | (Case.next_due_date < today))
    elif filters.due == "this_week":
        stmt = stmt.where(Case.next_due_date.between(today, today + timedelta(days=7)))
    return _of_asset(stmt, filters)


def _of_asset(stmt: Select[Any], filters: QueueFilters) -> Select[Any]:
    """The filters on the case's asset (and its group, for a search): joined only when asked for."""
    if not (filters.category or filters.ward or filters.search):
        return stmt
    stmt = stmt.outerjoin(Asset, Asset.id == Case.asset_id)
    if filters.category:
        stmt = stmt.where(Asset.category == filters.category)
    if filters.ward:
        stmt = stmt.where(Asset.ward == filters.ward)
    if filters.search:
        stmt = stmt.outerjoin(Organisation, Organisation.id == Case.organisation_id).where(_matches(filters.search))
    return stmt


def _matches(search: str) -> ColumnElement[bool]:
    """Part of the reference, the asset's or the group's name or the address, in any case; or of the postcode,
    with or without its space."""
    squashed = search.replace(" ", "").upper()
    return or_(
        *(
            column.icontains(search, autoescape=True)
            for column in (Case.reference, Asset.name, Asset.address, Organisation.name)
        ),
        func.replace(func.upper(Asset.postcode), " ", "").contains(squashed, autoescape=True),
    )


def _assigned(assignee: str, actor: Actor) -> ColumnElement[bool]:
    if assignee == "me":
        return Case.assigned_to == actor.user_id
    if assignee == "none":
        return Case.assigned_to.is_(None)
    return Case.assigned_to == uuid.UUID(assignee)
