"""compute(rule, start): the due date of a statutory period, with the reasoning spelt out.

Every step that decides the answer is written down as a sentence, so an
officer (or a tribunal) can check the date by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from workflows.periods import arithmetic
from workflows.periods.calendars import (
    HOLIDAYS_COUNTED,
    Calendar,
    CalendarKind,
    EnteredHolidays,
    calendar_for,
    entered,
)
from workflows.periods.rule import Counting, Process, Rule, Unit

LONDON = ZoneInfo("Europe/London")


def long_date(day: date) -> str:
    """'Friday 5 September 2025': the form used in letters and explanations."""
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Period:
    """A computed period: when it ends, on what authority, and why."""

    rule: Rule
    start: date
    due: date
    due_time: time | None
    outer_due: date | None
    explanation: tuple[str, ...]

    @property
    def basis(self) -> str:
        return self.rule.basis

    def ends_at(self) -> datetime:
        """The moment the period has run out, as an aware UTC datetime.

        A period that "ends on X" includes the whole of X, so it has run out
        at 00:00 on the next day in England; a tribunal filing closes at 17:00.
        """
        if self.due_time is not None:
            local = datetime.combine(self.due, self.due_time, tzinfo=LONDON)
        else:
            local = datetime.combine(self.due + timedelta(days=1), time(0, 0), tzinfo=LONDON)
        return local.astimezone(ZoneInfo("UTC"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "title": self.rule.title,
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "due_time": self.due_time.strftime("%H:%M") if self.due_time else None,
            "outer_due": self.outer_due.isoformat() if self.outer_due else None,
            "basis": self.rule.basis,
            "length": self.rule.length,
            "unit": self.rule.unit.value,
            "counting": self.rule.counting.value,
            "calendar": self.rule.calendar.value,
            "minimum": self.rule.minimum,
            "extension": self.rule.extension,
            "version": self.rule.version,  # of the rule, the one in force on the start date
            "effective_from": self.rule.effective_from.isoformat() if self.rule.effective_from else None,
            "explanation": list(self.explanation),
        }


def compute(
    rule: Rule, start: date, *, extra_holidays: Iterable[date] | EnteredHolidays = (), version_note: str = ""
) -> Period:
    """Compute when the period of `rule`, one version of a rule, starting from the event on `start`, ends.

    `workflows.periods.compute` chooses the version in force on `start` (or refuses) and calls this;
    `version_note` says which version applies, for a rule that has had more than one.
    `extra_holidays` are the days a council entered (a plain set: its own closure
    days). Each calendar keeps only those it counts: a closure day moves only a
    period the council's policy sets, never a statutory or Tribunal limit (GRC
    Rules r.12(3) name the Tribunal's days); a proclaimed bank holiday moves both.
    """
    days = entered(extra_holidays)
    calendars = {rule.calendar, rule.roll_forward or rule.calendar}
    return _computed(
        rule,
        start,
        frozenset().union(*(calendar_for(kind, days).extra_holidays for kind in calendars)),
        frozenset().union(*(calendar_for(kind, days).proclaimed for kind in calendars)),
        version_note,
    )


@lru_cache(maxsize=4096)
def _computed(
    rule: Rule, start: date, closures: frozenset[date], proclaimed: frozenset[date], version_note: str
) -> Period:
    """The answer for one rule version, start and the entered days its calendars count: a pure function of them,
    and a Period is immutable, so it is worked out once (a sweep fires many deadlines that began together)."""
    holidays = EnteredHolidays(closures, proclaimed)
    counting_calendar = calendar_for(rule.calendar, holidays)
    fixed = rule.counting is Counting.ON_DATE
    steps = [
        f"{rule.title}: {_wording(rule)} ({rule.basis}).",
        f"{'Date fixed' if fixed else 'Start'}: {long_date(start)}.",
    ]
    if version_note:
        steps.append(version_note)
    due, outer = _count(rule, start, counting_calendar, steps)
    if rule.roll_forward is not None:
        due = _roll_forward(due, calendar_for(rule.roll_forward, holidays), steps)
    elif rule.calendar is CalendarKind.CALENDAR_DAYS and not fixed:
        steps.append("Counted in calendar days: a period ending on a weekend or holiday still ends that day.")
    if not fixed:
        steps.append(_holidays_counted(rule))
    steps.append(_conclusion(rule, due))
    if outer is not None:
        steps.append(
            f"Read as excluding the start day, the period would end on {long_date(outer)}; "
            "that later date is recorded as the outer limit."
        )
    if rule.extension:
        steps.append(f"It may be longer: {rule.extension.removeprefix('or ')}.")
    if rule.notes:
        steps.append(rule.notes)
    return Period(rule, start, due, rule.cutoff, outer, tuple(steps))


def _holidays_counted(rule: Rule) -> str:
    """Whose holidays count for this date: the calendar it is rolled forward in, else the one it is counted in."""
    return HOLIDAYS_COUNTED[rule.roll_forward or rule.calendar]


def _wording(rule: Rule) -> str:
    if rule.counting is Counting.ON_DATE:
        return f"ends on {rule.start_event}"
    if rule.counting is Counting.WITHIN_OF:
        return f"within {rule.length_text} of {rule.start_event}"
    phrase = {
        Counting.BEGINNING_WITH: "beginning with",
        Counting.AFTER: "after",
        Counting.BEGINNING_IMMEDIATELY_AFTER: "beginning immediately after",
    }[rule.counting]
    return f"{'at least ' if rule.minimum else ''}{rule.length_text} {phrase} {rule.start_event}"


def _count(rule: Rule, start: date, calendar: Calendar, steps: list[str]) -> tuple[date, date | None]:
    if rule.counting is Counting.BEGINNING_WITH:
        steps.append("'Beginning with' counts the start day as day 1 (Trow v Ind Coope [1967]).")
        return _inclusive(rule, start, calendar, steps), None
    if rule.counting is Counting.ON_DATE:
        steps.append("No period is counted: the period ends on the date fixed.")
        return start, None
    if rule.counting is Counting.AFTER:
        if rule.process is Process.POLICY:
            steps.append(
                f"A target the council's own policy sets, not a statutory period: it is counted from the day after "
                f"{rule.start_event}, which is not counted."
            )
        else:
            steps.append("The start day is not counted: the period runs after the event (Dodds v Walker [1981]).")
        return _exclusive(rule, start, calendar, steps), None
    if rule.counting is Counting.BEGINNING_IMMEDIATELY_AFTER:
        day_one = start + arithmetic.ONE_DAY
        steps.append(f"The period begins immediately after the start date, so day 1 is {long_date(day_one)}.")
        return _inclusive(rule, day_one, calendar, steps), None
    steps.append(
        "'Within ... of' probably excludes the start day; this service still counts to the earlier date, "
        "counting the start day, so that nobody acts late."
    )
    inclusive = _inclusive(rule, start, calendar, [])
    exclusive = _exclusive(rule, start, calendar, [])
    steps.append(f"Counting the start day as day 1, the period ends on {long_date(inclusive)}.")
    return inclusive, exclusive


def _inclusive(rule: Rule, start: date, calendar: Calendar, steps: list[str]) -> date:
    unit, n = rule.unit, rule.length
    if unit is Unit.DAYS:
        due = arithmetic.days_beginning_with(start, n)
        steps.append(f"Day {n} is {long_date(due)}.")
    elif unit is Unit.WEEKS:
        due = arithmetic.days_beginning_with(start, 7 * n)
        steps.append(f"{n} weeks is {7 * n} days; day {7 * n} is {long_date(due)}.")
    elif unit is Unit.WORKING_DAYS:
        due = _working_days(start, n, calendar, steps, include_start=True)
    else:
        months = n * 12 if unit is Unit.YEARS else n
        target, exists = arithmetic.corresponding_date(start, months)
        due = arithmetic.months_beginning_with(start, months)
        if exists:
            steps.append(
                f"{rule.length_text} on from {long_date(start)} is {long_date(target)}; a period beginning "
                f"with the start day ends the day before: {long_date(due)}."
            )
        else:
            steps.append(
                f"{rule.length_text} on there is no day {start.day} in {target:%B %Y}, so the period ends on "
                f"the last day of that month: {long_date(due)}."
            )
    return due


def _exclusive(rule: Rule, start: date, calendar: Calendar, steps: list[str]) -> date:
    unit, n = rule.unit, rule.length
    if unit is Unit.DAYS:
        due = arithmetic.days_after(start, n)
        steps.append(f"Day {n} after the start is {long_date(due)}.")
    elif unit is Unit.WEEKS:
        due = arithmetic.days_after(start, 7 * n)
        steps.append(f"{n} weeks is {7 * n} days; {7 * n} days after the start is {long_date(due)}.")
    elif unit is Unit.WORKING_DAYS:
        due = _working_days(start, n, calendar, steps, include_start=False)
    else:
        months = n * 12 if unit is Unit.YEARS else n
        due, exists = arithmetic.corresponding_date(start, months)
        if exists:
            steps.append(f"{rule.length_text} after {long_date(start)} is the corresponding date, {long_date(due)}.")
        else:
            steps.append(
                f"There is no day {start.day} in {due:%B %Y}, so the period ends on the last day of that month: "
                f"{long_date(due)}."
            )
    return due


def _working_days(start: date, n: int, calendar: Calendar, steps: list[str], *, include_start: bool) -> date:
    first = start if include_start else start + arithmetic.ONE_DAY
    day_one = arithmetic.next_working_day(first, calendar)
    due = arithmetic.working_days_beginning_with(first, n, calendar)
    steps.append(f"Counting in {calendar.label}.")
    if day_one != first:
        steps.append(f"{long_date(first)} is {calendar.closure_reason(first)}, so day 1 is {long_date(day_one)}.")
    else:
        steps.append(f"Day 1 is {long_date(day_one)}.")
    skipped = _skipped_days(day_one, due, calendar)
    if skipped:
        steps.append("Days not counted: " + "; ".join(skipped) + ".")
    steps.append(f"Working day {n} is {long_date(due)}.")
    return due


def _skipped_days(first: date, last: date, calendar: Calendar) -> list[str]:
    """Non-weekend days skipped between two dates: the ones a reader might not expect."""
    skipped = []
    day = first
    while day <= last:
        reason = calendar.closure_reason(day)
        if reason and day.weekday() < 5:
            skipped.append(f"{long_date(day)} ({reason})")
        day += arithmetic.ONE_DAY
    return skipped


def _roll_forward(due: date, calendar: Calendar, steps: list[str]) -> date:
    rolled = due
    while not calendar.is_working_day(rolled):
        steps.append(f"{long_date(rolled)} is {calendar.closure_reason(rolled)}, not a working day.")
        rolled += arithmetic.ONE_DAY
    if rolled != due:
        steps.append(f"A time limit ending on a non-working day runs to the next working day: {long_date(rolled)}.")
    return rolled


def _conclusion(rule: Rule, due: date) -> str:
    if rule.minimum:
        return f"The period must run at least until the end of {long_date(due)}."
    if rule.cutoff is not None:
        return f"Due: {long_date(due)}, before {rule.cutoff:%H:%M} (the act must be done before that time)."
    return f"Due: {long_date(due)}, until the end of that day."
