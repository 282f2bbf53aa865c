"""Councils and their neighbours (ACV Regs reg.1(3)): set up by an operator or the demo data."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy import delete, select

from casework import clock
from casework.db import Database
from casework.errors import Conflict, InvalidInput
from casework.models import Council, CouncilNeighbour
from casework.repositories import councils

NATIONS = ("england", "scotland")
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,19}$")


def create_council(
    db: Database,
    code: str,
    name: str,
    *,
    nation: str = "england",
    email: str | None = None,
    now: datetime | None = None,
) -> uuid.UUID:
    """Create a council. One transaction; raises InvalidInput or Conflict (the code is taken)."""
    now = now or clock.utcnow()
    code = code.strip().upper()
    errors = {}
    if not _CODE.match(code):
        errors["code"] = "The council code must be 2 to 20 letters or digits, starting with a letter"
    if not name.strip():
        errors["name"] = "Enter the council's name"
    if nation not in NATIONS:
        errors["nation"] = "The nation must be england or scotland"
    if errors:
        raise InvalidInput(errors)
    with db.transaction() as session:
        if session.scalars(select(Council.id).where(Council.code == code)).first() is not None:
            raise Conflict(f"There is already a council with the code {code}")
        council = Council(
            id=uuid.uuid4(),
            code=code,
            name=name.strip(),
            nation=nation,
            email=email,
            created_at=now,
            reminder_offsets={},
        )
        session.add(council)
        return council.id


def set_neighbours(db: Database, code: str, neighbour_codes: list[str]) -> None:
    """Record which councils share a boundary with `code`, in both directions. One transaction."""
    with db.transaction() as session:
        council = councils.get_by_code(session, code)
        neighbours = [councils.get_by_code(session, other) for other in neighbour_codes]
        session.execute(delete(CouncilNeighbour).where(CouncilNeighbour.council_id == council.id))
        for neighbour in neighbours:
            if neighbour.id == council.id:
                raise InvalidInput({"neighbours": "A council cannot neighbour itself"})
            session.add(CouncilNeighbour(council_id=council.id, neighbour_id=neighbour.id))
            session.merge(CouncilNeighbour(council_id=neighbour.id, neighbour_id=council.id))
