"""The calendars periods are counted in (STATUTE.md §1.2), and whose holidays each one counts.

Pure module: standard library and `holidays` only. A calendar answers one
question, "is this day a working day?", and explains why a day is not.

Whose holidays count is the law's choice, not the council's. The Tribunal's
working days are the ones GRC Rules r.12(3) names: weekends, Christmas Day,
Good Friday and bank holidays under the Banking and Financial Dealings Act 1971
(one-off proclaimed ones included); a council's own closure day never moves a
Tribunal limit. Only periods the council itself sets (its policies) are counted
in the council's working days, which leave out its closure days too.
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
    COUNCIL_WORKING_DAYS = "council_working_days"  # periods a council's own policy sets


CALENDAR_LABELS: dict[CalendarKind, str] = {
    CalendarKind.CALENDAR_DAYS: "calendar days (weekends and holidays count; no roll-forward)",
    CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS: (
        "England and Wales working days (not Saturdays, Sundays, Christmas Day, Good Friday or bank holidays)"
    ),
    CalendarKind.SCOTLAND_ATR_WORKING_DAYS: (
        "Scottish asset transfer working days (not Saturdays, Sundays, 25-26 December or 1-2 January)"
    ),
    CalendarKind.COUNCIL_WORKING_DAYS: (
        "the council's working days (not Saturdays, Sundays, bank holidays or the council's own closure days)"
    ),
}

# Whose holidays a calendar counts, said in every explanation of a date counted or rolled forward in it.
HOLIDAYS_COUNTED: dict[CalendarKind, str] = {
    CalendarKind.CALENDAR_DAYS: (
        "Every day counts: weekends, bank holidays and a council's own closure days do not move this date."
    ),
    CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS: (
        "Working days are the Tribunal's (GRC Rules r.12(3)): only weekends, Christmas Day, Good Friday and bank "
        "holidays under the Banking and Financial Dealings Act 1971, one-off proclaimed ones included, are not "
        "working days; a council's own closure days never move this date."
    ),
    CalendarKind.SCOTLAND_ATR_WORKING_DAYS: (
        "Working days are the ones the ATR regulations define (Procedure Regs reg.2): only weekends, 25-26 December "
        "and 1-2 January are not working days; other bank holidays and a council's own closure days are."
    ),
    CalendarKind.COUNCIL_WORKING_DAYS: (
        "The council's own policy sets this period, so its working days are the council's: weekends, England and "
        "Wales bank holidays and the closure days the council has entered are not working days."
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


PROCLAIMED = "bank_holiday"  # a bank holiday proclaimed under the 1971 Act s.1(3), entered before `holidays` has it
CLOSURE = "closure"  # a day the council itself closes


@dataclass(frozen=True)
class EnteredHolidays:
    """The days a council entered, by whose they are: its own closure days, and bank holidays proclaimed under
    the Banking and Financial Dealings Act 1971 s.1(3) since the software's list was made. Only the second
    kind can move a Tribunal limit (GRC Rules r.12(3))."""

    closures: frozenset[date] = frozenset()
    proclaimed: frozenset[date] = frozenset()


def entered(days: Iterable[date] | EnteredHolidays) -> EnteredHolidays:
    """Days given as a plain set are a council's own closure days."""
    return days if isinstance(days, EnteredHolidays) else EnteredHolidays(closures=frozenset(days))


@dataclass(frozen=True)
class Calendar:
    """A working-day calendar, optionally widened by council-entered extra holidays.

    Extra holidays only widen the council's own calendar: the GRC rules (r.12(3))
    and the Scottish ATR regulations each close their list of non-working days,
    and plain calendar days have no holidays at all.
    """

    kind: CalendarKind
    extra_holidays: frozenset[date] = field(default_factory=frozenset)  # the council's own closure days
    proclaimed: frozenset[date] = field(default_factory=frozenset)  # bank holidays entered since the list was made

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
        if day in self.proclaimed:
            return "a bank holiday proclaimed under the Banking and Financial Dealings Act 1971, entered by the council"
        if self.kind is CalendarKind.COUNCIL_WORKING_DAYS and day in self.extra_holidays:
            return "a closure day entered by the council"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.closure_reason(day) is None

    @property
    def label(self) -> str:
        return CALENDAR_LABELS[self.kind]

    @property
    def holidays_counted(self) -> str:
        """Whose holidays this calendar counts, as a sentence for an explanation."""
        return HOLIDAYS_COUNTED[self.kind]

    def uses_extra_holidays(self) -> bool:
        """Whether a council-entered holiday can move a date counted in this calendar."""
        return uses_council_holidays(self.kind)


def uses_council_holidays(kind: CalendarKind) -> bool:
    """Only periods the council sets itself move with its closure days (GRC Rules r.12(3) name the Tribunal's)."""
    return kind is CalendarKind.COUNCIL_WORKING_DAYS


def calendar_for(kind: CalendarKind, extra_holidays: Iterable[date] | EnteredHolidays = ()) -> Calendar:
    """The calendar of `kind`, with only the entered days it counts: proclaimed bank holidays in both working-day
    calendars of England and Wales, a council's closure days in its own calendar only."""
    days = entered(extra_holidays)
    if kind in (CalendarKind.CALENDAR_DAYS, CalendarKind.SCOTLAND_ATR_WORKING_DAYS):
        return Calendar(kind)
    closures = days.closures if uses_council_holidays(kind) else frozenset()
    return Calendar(kind, closures, days.proclaimed)
