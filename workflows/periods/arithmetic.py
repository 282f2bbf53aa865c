"""Date arithmetic for statutory periods, exactly as STATUTE.md §1.4 specifies.

Pure functions over `datetime.date`. Months are calendar months (Interpretation
Act 1978 Sch.1): a period of months ends on the corresponding date, or on the
last day of the month when there is none (Dodds v Walker [1981] 1 WLR 1027).
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta

from workflows.periods.calendars import Calendar

ONE_DAY = timedelta(days=1)


def corresponding_date(start: date, months: int) -> tuple[date, bool]:
    """The date `months` calendar months after `start`, and whether that day exists.

    With no corresponding day (31 August + 6 months), the last day of the
    target month is returned with False, as Dodds v Walker requires.
    """
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = _calendar.monthrange(year, month)[1]
    if start.day <= last_day:
        return date(year, month, start.day), True
    return date(year, month, last_day), False


def months_after(start: date, months: int) -> date:
    """End of a period of `months` months *after* or *from* `start` (start day excluded)."""
    return corresponding_date(start, months)[0]


def months_beginning_with(start: date, months: int) -> date:
    """End of a period of `months` months *beginning with* `start` (start day is day 1).

    It ends the day before the corresponding date, or on the last day of the
    target month when that month has no corresponding date.
    """
    target, exists = corresponding_date(start, months)
    return target - ONE_DAY if exists else target


def days_beginning_with(start: date, days: int) -> date:
    return start + timedelta(days=days - 1)


def days_after(start: date, days: int) -> date:
    return start + timedelta(days=days)


def working_days_beginning_with(start: date, days: int, calendar: Calendar) -> date:
    """The `days`-th working day, counting `start` as day 1 if it is a working day.

    If `start` is not a working day, day 1 is the first working day after it
    (STATUTE.md §1.4, an inference marked [I]).
    """
    day = start
    while not calendar.is_working_day(day):
        day += ONE_DAY
    counted = 1
    while counted < days:
        day += ONE_DAY
        if calendar.is_working_day(day):
            counted += 1
    return day


def working_days_after(start: date, days: int, calendar: Calendar) -> date:
    """The `days`-th working day after `start` (start day not counted)."""
    return working_days_beginning_with(start + ONE_DAY, days, calendar)


def next_working_day(day: date, calendar: Calendar) -> date:
    """`day` itself if it is a working day, otherwise the next one."""
    while not calendar.is_working_day(day):
        day += ONE_DAY
    return day
