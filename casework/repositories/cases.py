"""Finding and locking cases, their events and their deadlines."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework.errors import CaseNotFound
from casework.models import Case, CaseEvent, CaseLink, Deadline
from casework.models.deadline import PENDING


def get_for_update(session: Session, case_id: uuid.UUID) -> Case:
    """Load a case and hold its row lock until the transaction ends (SELECT ... FOR UPDATE).

    On SQLite the write transaction already holds the database's one write
    lock (BEGIN IMMEDIATE), which serialises writers the same way.
    """
    case = session.execute(select(Case).where(Case.id == case_id).with_for_update()).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(f"There is no case with the id {case_id}")
    return case


def get_by_reference_for_update(session: Session, reference: str) -> Case:
    stmt = select(Case).where(Case.reference == reference).with_for_update()
    case = session.execute(stmt).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(f"There is no case with the reference {reference}")
    return case


def next_event_seq(session: Session, case_id: uuid.UUID) -> int:
    current = session.scalar(select(func.max(CaseEvent.seq)).where(CaseEvent.case_id == case_id))
    return (current or 0) + 1


def deadlines_of(session: Session, case_id: uuid.UUID) -> Sequence[Deadline]:
    """Every deadline of a case, oldest first (so the latest per timer wins in a dict)."""
    stmt = select(Deadline).where(Deadline.case_id == case_id).order_by(Deadline.created_at, Deadline.id)
    return session.scalars(stmt).all()


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
    """
    link = session.execute(
        select(CaseLink.related_case_id).where(CaseLink.case_id == case_id, CaseLink.kind == "listing")
    ).scalar_one_or_none()
    if link is not None:
        get_for_update(session, link)
    return get_for_update(session, case_id)


def add_link(session: Session, case: Case, related: Case, kind: str) -> None:
    session.add(CaseLink(id=uuid.uuid4(), case_id=case.id, related_case_id=related.id, kind=kind))
