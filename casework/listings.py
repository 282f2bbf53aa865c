"""What the list says about one asset right now: its current listing and any protected period still running.

Shared by the right-to-bid services and by asset transfers, which must
observe the moratorium when the council disposes of its own listed land.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from casework.models import Case
from casework.repositories import cases
from workflows import acv_listing, moratorium
from workflows.periods import long_date


def current_listing(session: Session, asset_id: uuid.UUID, *, lock: bool = True) -> Case | None:
    listings = cases.cases_of_asset(session, asset_id, acv_listing.NAME, acv_listing.LISTED_STATES, lock=lock)
    return listings[-1] if listings else None


def protected_periods_running(session: Session, asset_id: uuid.UUID, on: date) -> list[str]:
    """Earlier cycles whose protected period has not ended by `on` (s.95(4)): one sentence each."""
    running = []
    for cycle in cases.cases_of_asset(session, asset_id, moratorium.NAME, moratorium.OPEN_STATES, lock=True):
        due = next((d.due_date for d in cases.deadlines_of(session, cycle.id) if d.timer == "protected_end"), None)
        if due is not None and on <= due:
            running.append(f"the protected period of case {cycle.reference} runs until the end of {long_date(due)}")
    return running
