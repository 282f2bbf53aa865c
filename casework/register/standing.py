"""Where a listed row stands on the day of the import: listed, expired or removed, and whether its latest sale
notice's periods still run. Both ways of loading a row (a batch, or one at a time through
casework.transitions) place it by these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casework.facts import listings
from casework.register.import_row import ImportRow


@dataclass(frozen=True)
class Placed:
    """Where a listed row stands today: its state, and when and why its entry ended (if it has)."""

    state: str
    ended: date | None
    why: str


def placed(row: ImportRow, today: date) -> Placed:
    """A listed row's state today: removed before its five years ended, expired, or still listed."""
    assert row.expiry_date is not None  # noqa: S101 - set by read_rows for every listed row
    if row.end_date and row.end_date < row.expiry_date:
        return Placed("removed", row.end_date, row.notes or "Removed before the listing expired (imported)")
    if row.end_date or today > row.expiry_date:
        return Placed("expired", row.expiry_date, "Five years ended (s.87(3))")
    return Placed("listed", None, "")


def cycle_running(row: ImportRow, today: date) -> bool:
    """A listed row whose latest sale notice's protected period has not ended: it needs a live moratorium case."""
    if row.decision != "listed" or row.notice_date is None or placed(row, today).state != "listed":
        return False
    return today <= listings.notice_timeline(row.notice_date)[2].due


def cycle_facts(row: ImportRow) -> list[dict[str, Any]]:
    """Each disposal cycle with the dates its notice started (s.97(2)), for the listing's record."""
    facts = []
    for cycle in row.cycles:
        interim, full, protected = listings.notice_timeline(cycle.notice_date)
        facts.append(
            {
                "line": cycle.line,
                "notice_received_on": cycle.notice_date.isoformat(),
                "interim_end": interim.due.isoformat(),
                "full_end": full.due.isoformat(),
                "protected_end": protected.due.isoformat(),
                "interested_group": cycle.interested_group,
            }
        )
    return facts
