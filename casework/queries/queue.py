"""The officers' work queue: open cases by next deadline (overdue and due this week first), received date or status;
filtered by process and status, assignee, kind of asset, ward and due date, and searched."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from casework.actors import Actor
from casework.clock import london_date
from casework.db import Database
from casework.errors import InvalidInput, PermissionDenied
from casework.models import Asset, Case, Organisation, User, UserRole
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
    search: str | None = None  # part of a reference, a name (the asset's or the group's), an address or a postcode
    sort: str = "due"
    page: int = 1


DUE_CHOICES = {"overdue": "Overdue", "this_week": "Due this week"}
SORT_CHOICES = {
    "due": "Next deadline, soonest first",
    "received_newest": "Received, newest first",
    "received_oldest": "Received, oldest first",
    "status": "Status, in process order",
}
SEARCH_LIMIT = 100


def queue_filters(args: Mapping[str, str]) -> QueueFilters:
    """The filters a page or API request asked for; raises InvalidInput naming each value that is not one offered.

    A status given as "process:state" with no process chosen chooses that process too, so the status list shows it.
    """
    value = {name: (args.get(name) or "").strip() or None for name in FILTER_NAMES}
    if value["search"] is not None:
        value["search"] = " ".join(value["search"].split())  # spaces as typed do not matter
    errors = {name: error for name, error in _mistakes(value).items() if error}
    if errors:
        raise InvalidInput(errors)
    if value["state"] and not value["workflow"] and ":" in value["state"]:
        value["workflow"] = value["state"].partition(":")[0]
    return QueueFilters(**{**value, "sort": value["sort"] or "due", "page": int(value["page"] or "1")})  # type: ignore[arg-type]


def _mistakes(value: Mapping[str, str | None]) -> dict[str, str | None]:
    names = {defn.name for defn in registry.all_definitions()}
    page = value["page"] or "1"
    return {
        "workflow": "The process must be one of: " + ", ".join(sorted(names))
        if value["workflow"] and value["workflow"] not in names
        else None,
        # A state of another process than the one chosen is a filter nothing matches (no cases), not a mistake
        "state": "The status must be one the list offers, like acv_listing:listed"
        if value["state"] and value["state"] not in _state_ids(None)
        else None,
        "assignee": None
        if value["assignee"] in (None, "me", "none") or _is_uuid(str(value["assignee"]))
        else "Who the cases are assigned to must be me, none or the id of an officer",
        "due": "The next deadline must be overdue or this_week" if value["due"] not in (None, *DUE_CHOICES) else None,
        "sort": "Sort by one of: " + ", ".join(SORT_CHOICES) if value["sort"] not in (None, *SORT_CHOICES) else None,
        "search": _search_mistake(value["search"] or ""),
        # ASCII digits only ("²" is a digit int() refuses), few enough for int(); a page past the end shows the last
        "page": None
        if page.isascii() and page.isdigit() and len(page) <= 100 and int(page) >= 1
        else "Enter a page number, like 2",
    }


def _search_mistake(search: str) -> str | None:
    if len(search) > SEARCH_LIMIT:
        return f"Search for {SEARCH_LIMIT} characters or fewer"
    if not search.isprintable():  # a NUL byte, say, which PostgreSQL refuses to compare
        return "Search for letters, numbers, spaces and punctuation only"
    return None


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


FILTER_NAMES = ("workflow", "state", "assignee", "category", "ward", "due", "search", "sort", "page")


def filter_choices() -> dict[str, list[str]]:
    """The values the workflow, state and sort filters accept (besides none), for the API's document."""
    return {
        "workflow": sorted(defn.name for defn in registry.all_definitions()),
        "state": sorted(_state_ids(None)),
        "sort": list(SORT_CHOICES),
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
    received: date
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
    states: tuple[tuple[str, str], ...]  # of the chosen process, labelled without its name; none if none is chosen
    categories: tuple[str, ...]
    wards: tuple[str, ...]
    filters: QueueFilters = field(default_factory=QueueFilters)


def work_queue(db: Database, actor: Actor, filters: QueueFilters, *, today: date) -> QueuePage:
    """Open cases of the actor's council in the order asked for (soonest next deadline first unless told),
    filtered and searched; overdue escalations count as due now.

    Each case's next due date is stored on it by the engine (Case.next_due_date), so a page in deadline
    order is a range of the index ix_cases_council_next_due, read without the deadlines or the case rows;
    only the page's 50 rows are then read whole.
    """
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("The work queue is for council staff")
    with db.reader() as session:
        chosen = _filtered(
            select(Case.id).where(Case.council_id == actor.council_id, Case.closed_at.is_(None), Case.state != "draft"),
            filters,
            actor,
            today,
        )
        total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(filters.page, 1), pages)  # a page past the end shows the last: no offset overflows
        picked = session.scalars(
            chosen.order_by(*_ORDER[filters.sort]()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()
        whole = {row.id: row for row in session.execute(_ROWS.where(Case.id.in_(picked)))}
        return QueuePage(
            rows=tuple(_row(whole[case_id], today) for case_id in picked),
            total=total,
            page=page,
            pages=pages,
            assignees=_assignees(session, actor),
            states=tuple(queue_states(filters.workflow)) if filters.workflow else (),
            categories=tuple(_distinct(session, actor, Asset.category)),
            wards=tuple(_distinct(session, actor, Asset.ward)),
            filters=filters,
        )


_ROWS = (
    select(
        Case.id, Case.reference, Case.workflow, Case.workflow_version, Case.state, Case.version, Case.created_at,
        Case.next_due_date, Case.next_due_timer, Case.next_due_escalated,
        # a challenge is about a service, not land: its name stands where a place's would
        func.coalesce(Asset.name, Case.facts["service_name"].as_string()).label("asset_name"),
        Asset.category, Asset.ward, User.name.label("assignee"),
    )
    .outerjoin(Asset, Asset.id == Case.asset_id)
    .outerjoin(User, User.id == Case.assigned_to)
)  # fmt: skip


Ordering = tuple[Any, ...]  # columns and expressions for ORDER BY


def _by_status() -> Ordering:
    """Cases grouped by process, then by status in the order its workflow declares them."""
    place = {key: index for index, (key, _) in enumerate(_states(None))}
    rank = case(
        *(((Case.workflow == key.partition(":")[0]) & (Case.state == key.partition(":")[2]), index)
          for key, index in place.items()),
        else_=len(place),
    )  # fmt: skip
    return (rank, *_by_due())


def _by_due() -> Ordering:
    return (Case.next_due_date.is_(None), Case.next_due_date, Case.created_at, Case.id)


_ORDER: dict[str, Callable[[], Ordering]] = {
    "due": _by_due,
    "received_newest": lambda: (Case.created_at.desc(), Case.id.desc()),
    "received_oldest": lambda: (Case.created_at, Case.id),
    "status": _by_status,
}


def _filtered(stmt: Select[Any], filters: QueueFilters, actor: Actor, today: date) -> Select[Any]:
    if filters.workflow:
        stmt = stmt.where(Case.workflow == filters.workflow)
    if filters.state:
        workflow, _, state = filters.state.rpartition(":")
        stmt = stmt.where(Case.state == state)
        if workflow:  # states of different workflows share ids ("listed"...): the pair picks one
            stmt = stmt.where(Case.workflow == workflow)
    if filters.assignee:
        stmt = stmt.where(_assigned(filters.assignee, actor))
    if filters.due == "overdue":  # as each row's flag says (_row): an escalation that fired, or a date passed
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
        *(column.icontains(search, autoescape=True)
          for column in (Case.reference, Asset.name, Asset.address, Organisation.name)),
        func.replace(func.upper(Asset.postcode), " ", "").contains(squashed, autoescape=True),
    )  # fmt: skip


def _assigned(assignee: str, actor: Actor) -> ColumnElement[bool]:
    if assignee == "me":
        return Case.assigned_to == actor.user_id
    if assignee == "none":
        return Case.assigned_to.is_(None)
    return Case.assigned_to == uuid.UUID(assignee)


def _row(row: Any, today: date) -> QueueRow:
    defn = registry.get(row.workflow, row.workflow_version)
    timer = row.next_due_timer
    due: date | None = row.next_due_date
    return QueueRow(
        id=row.id,
        reference=row.reference,
        workflow_title=defn.title,
        state_label=defn.state(row.state).label,
        asset_name=row.asset_name,
        category=row.category,
        ward=row.ward,
        assigned_to=row.assignee,
        received=london_date(row.created_at),
        next_label=next((t.label for t in defn.timers if t.name == timer), None) if timer else None,
        next_due=due,
        overdue=row.next_due_escalated or (due is not None and due < today),
        due_this_week=due is not None and today <= due <= today + timedelta(days=7),
        version=row.version,
    )


def queue_states(workflow: str) -> list[tuple[str, str]]:
    """The statuses the queue's list offers once `workflow` is chosen: ("workflow:state", label), open ones only."""
    return list(_states(workflow))


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
    """Every state the queue can show, as ("workflow:state", its label): open (neither terminal nor dormant),
    and not a draft; in the order of each process's definition."""
    definitions = [registry.get(workflow)] if workflow else registry.all_definitions()
    return tuple(
        (f"{defn.name}:{state.id}", state.label)
        for defn in definitions
        for state in defn.states
        if not state.closed and state.id != "draft"
    )


def _distinct(session: Session, actor: Actor, column: InstrumentedAttribute[Any]) -> list[str]:
    stmt = select(column).where(Asset.council_id == actor.council_id, column.is_not(None)).distinct().order_by(column)
    return [str(value) for value in session.scalars(stmt)]
