"""Councils, their neighbours and their extra holidays."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from casework.errors import NotFound
from casework.models import Council, CouncilHoliday, CouncilNeighbour
from casework.repositories.prepared import Statements
from workflows.periods.calendars import PROCLAIMED, EnteredHolidays


def get(session: Session, council_id: uuid.UUID) -> Council:
    council = session.get(Council, council_id)
    if council is None:
        raise NotFound(f"There is no council with the id {council_id}")
    return council


def get_by_code(session: Session, code: str) -> Council:
    council = session.scalars(select(Council).where(Council.code == code.upper())).first()
    if council is None:
        known = ", ".join(session.scalars(select(Council.code).order_by(Council.code)).all()) or "none yet"
        raise NotFound(f"There is no council with the code {code!r} (known: {known})")
    return council


# Read on every transition that arms a timer: built once (see casework.transitions.deadlines on why).
_HOLIDAYS = select(CouncilHoliday.day, CouncilHoliday.kind).where(CouncilHoliday.council_id == bindparam("council_id"))
_CALENDAR = Statements(
    select(Council.reminder_offsets, CouncilHoliday.day, CouncilHoliday.kind)
    .outerjoin(CouncilHoliday, CouncilHoliday.council_id == Council.id)
    .where(Council.id == bindparam("council_id"))
)


def extra_holidays(session: Session, council_id: uuid.UUID) -> EnteredHolidays:
    """The days the council entered, by whose they are (each calendar counts only its own kind)."""
    return _entered(session.connection().execute(_HOLIDAYS, {"council_id": council_id}).all())


def _entered(rows: Iterable[Any]) -> EnteredHolidays:
    days = [(row.day, row.kind) for row in rows if row.day is not None]
    return EnteredHolidays(
        closures=frozenset(day for day, kind in days if kind != PROCLAIMED),
        proclaimed=frozenset(day for day, kind in days if kind == PROCLAIMED),
    )


def calendar(session: Session, council_id: uuid.UUID) -> tuple[dict[str, Any], EnteredHolidays]:
    """What arming a timer needs from the council, in one query: its reminder days per timer
    (empty: the workflow's own apply) and the days it entered."""
    rows = _CALENDAR.rows(session, {"council_id": council_id})
    if not rows:
        raise NotFound(f"There is no council with the id {council_id}")
    return dict(rows[0].reminder_offsets or {}), _entered(rows)


def neighbour_codes(session: Session, council_id: uuid.UUID) -> frozenset[str]:
    stmt = (
        select(Council.code)
        .join(CouncilNeighbour, CouncilNeighbour.neighbour_id == Council.id)
        .where(CouncilNeighbour.council_id == council_id)
    )
    return frozenset(session.scalars(stmt).all())
