"""Finding and locking cases, their events and their deadlines."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from sqlalchemy import bindparam, inspect, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached

from casework.errors import CaseNotFound
from casework.models import Case, CaseLink, Deadline
from casework.models.deadline import PENDING
from casework.repositories.prepared import Statements

# The statements every transition runs, built once per process (see casework.transitions.deadlines on why).
_CASE_FOR_UPDATE = Statements(select(*Case.__table__.c).where(Case.id == bindparam("case_id")).with_for_update())
_LISTING_OF = select(CaseLink.related_case_id).where(
    CaseLink.case_id == bindparam("case_id"), CaseLink.kind == "listing"
)
_DEADLINE_ROWS = Statements(
    select(Deadline.id, Deadline.timer, Deadline.status, Deadline.due_date)
    .where(Deadline.case_id == bindparam("case_id"))
    .order_by(Deadline.created_at, Deadline.id)
)
_LOCK_WITH_LISTING = Statements(  # PostgreSQL locks rows in ORDER BY order: the listing (false) first, then the case
    select(*Case.__table__.c)
    .where(or_(Case.id == bindparam("case_id"), Case.id.in_(_LISTING_OF.scalar_subquery())))
    .order_by(Case.id == bindparam("case_id"))
    .with_for_update()
)
_MAPPER = inspect(Case)


def _persistent(session: Session, row: Any) -> Case:
    """The session's object for a case row just read: the one it already holds, else a new persistent one.

    What an ORM query does with a row, without the ORM's per-query machinery (a fifth of a
    transition's time, bench/README.md, B1), through SQLAlchemy's documented API: a new Case whose
    instance dict (`InstanceState.dict`) is given every column's value, made detached with its
    history reset as though freshly loaded (`make_transient_to_detached`), then added, which makes
    it persistent and puts it in the identity map with nothing to write. Passing the values to the
    constructor instead fires an attribute event per column: 18 of them, two to three times the
    cost of all of this. As with a query, an object the session already holds is returned as it is.
    """
    key = _MAPPER.identity_key_from_primary_key((row.id,))
    held = session.identity_map.get(key)
    if held is not None:
        return held
    case = Case()
    inspect(case).dict.update(row._asdict())  # the row's keys are the table's columns, each mapped under its name
    make_transient_to_detached(case)
    session.add(case)
    return case


_DEADLINES_OF = (
    select(Deadline).where(Deadline.case_id == bindparam("case_id")).order_by(Deadline.created_at, Deadline.id)
)


def get_for_update(session: Session, case_id: uuid.UUID) -> Case:
    """Load a case and hold its row lock until the transaction ends (SELECT ... FOR UPDATE).

    On SQLite the write transaction already holds the database's one write
    lock (BEGIN IMMEDIATE), which serialises writers the same way.
    """
    session.flush()  # as a query's autoflush would: what this transaction added is there to be read
    rows = _CASE_FOR_UPDATE.rows(session, {"case_id": case_id})
    if not rows:
        raise CaseNotFound(f"There is no case with the id {case_id}")
    return _persistent(session, rows[0])


def get_by_reference_for_update(session: Session, reference: str) -> Case:
    stmt = select(Case).where(Case.reference == reference).with_for_update()
    case = session.execute(stmt).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(f"There is no case with the reference {reference}")
    return case


def deadlines_of(session: Session, case_id: uuid.UUID) -> Sequence[Deadline]:
    """Every deadline of a case, oldest first (so the latest per timer wins in a dict)."""
    return session.scalars(_DEADLINES_OF, {"case_id": case_id}).all()


class DeadlineRow(Protocol):
    """What a transition needs of each deadline of its case: which timer, whether pending, when due."""

    id: uuid.UUID
    timer: str
    status: str
    due_date: date


def deadline_rows(session: Session, case_id: uuid.UUID) -> Sequence[DeadlineRow]:
    """Every deadline of a case, oldest first, as plain rows (a transition only reads them)."""
    session.flush()  # a deadline closed earlier in this transaction (by the sweep) must read as closed
    rows: Sequence[DeadlineRow] = _DEADLINE_ROWS.rows(session, {"case_id": case_id})
    return rows


def pending_deadlines_of(session: Session, case_id: uuid.UUID) -> Sequence[Deadline]:
    stmt = select(Deadline).where(Deadline.case_id == case_id, Deadline.status == PENDING).with_for_update()
    return session.scalars(stmt).all()


def cases_of_asset(
    session: Session, asset_id: uuid.UUID, workflow: str, states: Iterable[str], *, lock: bool = False
) -> Sequence[Case]:
    stmt = (
        select(Case)
        .where(Case.asset_id == asset_id, Case.workflow == workflow, Case.state.in_(list(states)))
        .order_by(Case.created_at)
    )
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).all()


def linked(session: Session, case_id: uuid.UUID, kind: str) -> Case | None:
    stmt = (
        select(Case)
        .join(CaseLink, CaseLink.related_case_id == Case.id)
        .where(CaseLink.case_id == case_id, CaseLink.kind == kind)
    )
    return session.scalars(stmt).first()


def lock_for_transition(session: Session, case_id: uuid.UUID) -> Case:
    """Lock a case for a transition, locking the listing it runs on first.

    Effects reach from a moratorium to its listing and back; taking the
    listing's lock first everywhere keeps two such chains from deadlocking.
    PostgreSQL takes both row locks in one statement, in that order; SQLite
    has no row locks (the write transaction holds the one database lock).
    """
    if session.get_bind().dialect.name != "postgresql":
        return get_for_update(session, case_id)
    session.flush()  # the listing's link may have been added in this transaction
    locked = [_persistent(session, row) for row in _LOCK_WITH_LISTING.rows(session, {"case_id": case_id})]
    case = next((row for row in locked if row.id == case_id), None)
    if case is None:
        raise CaseNotFound(f"There is no case with the id {case_id}")
    return case


def add_link(session: Session, case: Case, related: Case, kind: str) -> None:
    session.add(CaseLink(id=uuid.uuid4(), case_id=case.id, related_case_id=related.id, kind=kind))
