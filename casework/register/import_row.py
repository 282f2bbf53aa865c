"""One row of a council's register as read and checked, and the disposal cycles merged into it.

Pure data: the parsing (casework.register.cells), the checks against the Act
(casework.register.checks) and the checks across rows (casework.register.cycles,
casework.register.clashes) all fill in or read these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from casework.facts.listings import notice_timeline


@dataclass(frozen=True)
class Cycle:
    """One owner's notice of an intended disposal (s.95(2)) and the periods it started (s.95(6))."""

    line: int
    notice_date: date
    interested_group: str | None

    @property
    def protected_end(self) -> date:
        return notice_timeline(self.notice_date)[2].due


@dataclass
class ImportRow:
    line: int
    reference: str = ""
    name: str = ""
    address: str = ""
    description: str | None = None
    decision: str = ""
    decision_date: date | None = None
    nomination_date: date | None = None
    nominating_group: str | None = None
    entry_date: date | None = None
    end_date: date | None = None
    expiry_date: date | None = None
    notice_date: date | None = None
    interested_group: str | None = None
    point: str | None = None
    boundary: str | None = None
    uprn: str | None = None
    title_numbers: tuple[str, ...] = ()
    reasons: str | None = None
    notes: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cycle_number: int | None = None  # from a reference like "CAMACV17 (2nd moratorium)"
    cycles: list[Cycle] = field(default_factory=list)  # a listing's disposal cycles, in date order
    merged_into: int | None = None  # the line of the listing this row is a disposal cycle of

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def listed_until(self) -> date | None:
        """The last day a listed row's land was (or will be) on the list: its end, or its statutory expiry."""
        if self.decision != "listed" or self.expiry_date is None:
            return None
        return min(self.end_date, self.expiry_date) if self.end_date else self.expiry_date

    def land_keys(self) -> set[str]:
        """What identifies the land across rows and assets: its UPRN and its Land Registry title numbers."""
        keys = {f"UPRN {self.uprn}"} if self.uprn else set()
        return keys | {f"title {title}" for title in self.title_numbers}


def overlaps(first: tuple[date, date], second: tuple[date, date]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def listed_period(row: ImportRow) -> tuple[date, date] | None:
    """The days a listed row's land is on the list, first and last; None for a row not listed."""
    until = row.listed_until
    return (row.entry_date, until) if row.entry_date and until else None
