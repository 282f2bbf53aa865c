"""The three calendars statutory periods are counted in (STATUTE.md §1.2).

Pure module: standard library and `holidays` only. A calendar answers one
question, "is this day a working day?", and explains why a day is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache

import holidays


class CalendarKind(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    ENGLAND_AND_WALES_WORKING_DAYS = "england_and_wales_working_days"
    SCOTLAND_ATR_WORKING_DAYS = "scotland_atr_working_days"


CALENDAR_LABELS: dict[CalendarKind, str] = {
    CalendarKind.CALENDAR_DAYS: "calendar days (weekends and holidays count; no roll-forward)",
    CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS: (
        "England and Wales working days (not Saturdays, Sundays, Christmas Day, Good Friday or bank holidays)"
    ),
    CalendarKind.SCOTLAND_ATR_WORKING_DAYS: (
        "Scottish asset transfer working days (not Saturdays, Sundays, 25-26 December or 1-2 January)"
    ),
}

# Scottish ATR regulations exclude only these days besides weekends (Procedure Regs reg.2 and siblings).
_SCOTTISH_FIXED_CLOSURES: dict[tuple[int, int], str] = {
    (12, 25): "25 December",
    (12, 26): "26 December",
    (1, 1): "1 January",
    (1, 2): "2 January",
}


@cache
def _bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays for one year, one-off ones included (from `holidays`)."""
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return {day: str(name) for day, name in calendar.items()}


@dataclass(frozen=True)
class Calendar:
    """A working-day calendar, optionally widened by council-entered extra holidays.

    Extra holidays only widen the England and Wales calendar: the Scottish ATR
    regulations close their list of non-working days, and plain calendar days
    have no holidays at all.
    """

    kind: CalendarKind
    extra_holidays: frozenset[date] = field(default_factory=frozenset)

    def closure_reason(self, day: date) -> str | None:
        """Why `day` is not a working day in this calendar, or None if it is one."""
        if self.kind is CalendarKind.CALENDAR_DAYS:
            return None
        if day.weekday() == 5:
            return "a Saturday"
        if day.weekday() == 6:
            return "a Sunday"
        if self.kind is CalendarKind.SCOTLAND_ATR_WORKING_DAYS:
            fixed = _SCOTTISH_FIXED_CLOSURES.get((day.month, day.day))
            return fixed and f"{fixed}, excluded by the ATR regulations"
        name = _bank_holidays(day.year).get(day)
        if name:
            return f"a bank holiday ({name})"
        if day in self.extra_holidays:
            return "a holiday entered by the council"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.closure_reason(day) is None

    @property
    def label(self) -> str:
        return CALENDAR_LABELS[self.kind]

    def uses_extra_holidays(self) -> bool:
        """Whether a council-entered holiday can move a date counted in this calendar."""
        return self.kind is CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS


def calendar_for(kind: CalendarKind, extra_holidays: Iterable[date] = ()) -> Calendar:
    return Calendar(kind, frozenset(extra_holidays))
