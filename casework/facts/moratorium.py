"""Facts a right-to-bid cycle's guards need that only the database knows: the listing it is of, and any bar.

The right to bid (LA 2011 s.95): an exempt disposal is judged against the day the land was listed, and a sale
recorded through the system is refused while an asset transfer request for the land is open (the disposal bar).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from casework.facts import disposals, listings
from casework.facts.common import Provider, as_date
from casework.facts.gathered import Gathered
from casework.models import Case
from workflows import moratorium


def _listed_on(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """An exempt disposal is checked against the listing it is of: the day the land was entered on the list."""
    listing = listings.current_listing(session, case.asset_id, lock=False) if case.asset_id else None
    listed_on = as_date(listing.facts.get("entry_date")) if listing else None
    return Gathered({moratorium.LISTED_ON: listed_on} if listed_on else {})


def _disposal_barred(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """A sale recorded through the system is refused while an asset transfer request for the land is open."""
    barring = disposals.barring_requests(session, case.asset_id)
    return Gathered({"disposal_barred": bool(barring), "disposal_barred_reasons": barring})


# The providers a right-to-bid cycle's transitions name (Transition.facts), under their names (see registry.py).
FACTS: dict[str, Provider] = {
    "listed_on": _listed_on,
    "disposal_barred": _disposal_barred,
}
