"""The officers' work queue: open cases by next deadline (overdue and due this week first), received date or status;
filtered by process and status, assignee, kind of asset, ward and due date, and searched."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from casework.actors import Actor
from casework.clock import london_date
from casework.db import Database
from casework.errors import InvalidInput, PermissionDenied
from casework.models import Asset, Case, User, UserRole
from casework.queries.queue_selection import ROWS, QueueFilters, filtered, open_states, ordered
from workflows import registry
from workflows.roles import STAFF_ROLES, Role

PAGE_SIZE = 50


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
    pairs = {key for key, _ in open_states(workflow)}
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
        chosen = filtered(
            select(Case.id).where(Case.council_id == actor.council_id, Case.closed_at.is_(None), Case.state != "draft"),
            filters,
            actor,
            today,
        )
        total = session.scalar(select(func.count()).select_from(chosen.subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(filters.page, 1), pages)  # a page past the end shows the last: no offset overflows
        picked = session.scalars(ordered(chosen, filters.sort).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        whole = {row.id: row for row in session.execute(ROWS.where(Case.id.in_(picked)))}
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
    return list(open_states(workflow))


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


def _distinct(session: Session, actor: Actor, column: InstrumentedAttribute[Any]) -> list[str]:
    stmt = select(column).where(Asset.council_id == actor.council_id, column.is_not(None)).distinct().order_by(column)
    return [str(value) for value in session.scalars(stmt)]
