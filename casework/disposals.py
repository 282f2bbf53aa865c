"""What bars a disposal of an asset now: an asset transfer request still open on it (CE(S)A 2015 s.84).

From the day a request is made until it is disposed of (decided, and any review or appeal over), the
authority must not dispose of the land to anyone but the body that made it; a contract in breach is void
(s.84(2)-(4), (11)). Every way the system records a disposal of an asset asks here first.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from casework.repositories import cases
from workflows import scotland_atr
from workflows.periods import long_date


def barring_requests(session: Session, asset_id: uuid.UUID | None, *, excluding: uuid.UUID | None = None) -> list[str]:
    """One sentence per open asset transfer request on the asset (other than `excluding`) that bars a disposal."""
    if asset_id is None:
        return []
    found = []
    for request in cases.cases_of_asset(session, asset_id, scotland_atr.NAME, scotland_atr.BARRED):
        if request.id == excluding:
            continue
        made = request.facts.get("request_received_on")
        since = f", made on {long_date(date.fromisoformat(made))}" if isinstance(made, str) else ""
        found.append(f"asset transfer request {request.reference}{since}, is still open (CE(S)A 2015 s.84)")
    return found
