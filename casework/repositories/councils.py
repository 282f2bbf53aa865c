"""Councils, their neighbours and their extra holidays."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import NotFound
from casework.models import Council, CouncilHoliday, CouncilNeighbour


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


def extra_holidays(session: Session, council_id: uuid.UUID) -> frozenset[date]:
    days = session.scalars(select(CouncilHoliday.day).where(CouncilHoliday.council_id == council_id)).all()
    return frozenset(days)


def neighbour_codes(session: Session, council_id: uuid.UUID) -> frozenset[str]:
    stmt = (
        select(Council.code)
        .join(CouncilNeighbour, CouncilNeighbour.neighbour_id == Council.id)
        .where(CouncilNeighbour.council_id == council_id)
    )
    return frozenset(session.scalars(stmt).all())
