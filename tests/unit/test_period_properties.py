"""Property-based tests of the period arithmetic, against dateutil as an independent oracle."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from workflows.periods import RULES, CalendarKind, calendar_for, compute
from workflows.periods import arithmetic as a

dates = st.dates(min_value=date(2012, 1, 1), max_value=date(2040, 12, 31))
# A period under the ACV regime runs only from the day it commenced (ACV Regs, 21 September 2012).
acv_dates = st.dates(min_value=date(2012, 9, 21), max_value=date(2040, 12, 31))
months = st.integers(min_value=1, max_value=60)
counts = st.integers(min_value=1, max_value=60)
calendars = st.sampled_from([CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS, CalendarKind.SCOTLAND_ATR_WORKING_DAYS])
holiday_sets = st.frozensets(dates, max_size=5)
# The first date in a year builds that year's bank holidays (the `holidays` package), which on a busy machine can
# take longer than Hypothesis's 200 ms deadline; the cached years after it take microseconds.
calendar_settings = settings(deadline=None)


@given(dates, months)
def test_months_after_is_the_corresponding_date_or_the_last_day_of_the_month(start: date, n: int) -> None:
    assert a.months_after(start, n) == start + relativedelta(months=n)  # dateutil clamps to the month end


@given(dates, months)
def test_months_beginning_with_end_the_day_before_the_corresponding_date(start: date, n: int) -> None:
    target = start + relativedelta(months=n)
    expected = target if target.day != start.day else target - timedelta(days=1)
    assert a.months_beginning_with(start, n) == expected


@given(dates, months)
def test_beginning_with_never_ends_later_than_after_and_by_at_most_a_day(start: date, n: int) -> None:
    inclusive, exclusive = a.months_beginning_with(start, n), a.months_after(start, n)
    assert timedelta(0) <= exclusive - inclusive <= timedelta(days=1)


@given(dates, counts)
def test_days_and_weeks_count_the_start_day_only_when_beginning_with(start: date, n: int) -> None:
    assert a.days_after(start, n) - a.days_beginning_with(start, n) == timedelta(days=1)
    assert (a.days_beginning_with(start, n) - start).days == n - 1


@calendar_settings
@given(dates, counts, calendars, holiday_sets)
def test_the_nth_working_day_is_a_working_day_with_n_working_days_up_to_it(
    start: date, n: int, kind: CalendarKind, extra: frozenset[date]
) -> None:
    calendar = calendar_for(kind, extra)
    due = a.working_days_beginning_with(start, n, calendar)
    counted = sum(1 for i in range((due - start).days + 1) if calendar.is_working_day(start + timedelta(days=i)))
    assert calendar.is_working_day(due)
    assert counted == n


@calendar_settings
@given(dates, counts, calendars)
def test_a_later_start_never_gives_an_earlier_working_day_deadline(start: date, n: int, kind: CalendarKind) -> None:
    calendar = calendar_for(kind)
    earlier = a.working_days_beginning_with(start, n, calendar)
    later = a.working_days_beginning_with(start + timedelta(days=1), n, calendar)
    assert later >= earlier


@given(st.integers(min_value=2012, max_value=2040))
def test_the_scottish_calendar_counts_good_friday_and_easter_monday(year: int) -> None:
    calendar = calendar_for(CalendarKind.SCOTLAND_ATR_WORKING_DAYS)
    easter = _easter(year)
    for day in (easter - timedelta(days=2), easter + timedelta(days=1)):
        assert calendar.is_working_day(day)
    assert not calendar.is_working_day(date(year, 12, 25)) and not calendar.is_working_day(date(year, 1, 2))


@given(st.integers(min_value=2012, max_value=2040))
def test_good_friday_is_never_an_english_working_day(year: int) -> None:
    calendar = calendar_for(CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS)
    assert not calendar.is_working_day(_easter(year) - timedelta(days=2))


@st.composite
def rules_and_starts(draw: st.DrawFn) -> tuple[str, date]:
    """A rule, and a day from 2012 to 2040 on which it was in force (a start before its commencement is refused)."""
    rule_id = draw(st.sampled_from(sorted(RULES)))
    commenced = RULES[rule_id].versions[0].effective_from
    return rule_id, draw(st.dates(min_value=max(commenced or date.min, date(2012, 1, 1)), max_value=date(2040, 12, 31)))


@settings(max_examples=300)
@given(rules_and_starts(), holiday_sets)
def test_every_rule_ends_after_it_starts_and_explains_its_answer(
    rule_and_start: tuple[str, date], extra: frozenset[date]
) -> None:
    rule_id, start = rule_and_start
    period = compute(rule_id, start, extra_holidays=extra)
    assert period.due >= start
    assert period.explanation[0].startswith(f"{period.rule.title}: ")
    assert any(f"{period.due.day} {period.due:%B %Y}" in step for step in period.explanation)
    assert period.ends_at().date() >= period.due


@given(acv_dates, holiday_sets)
def test_a_tribunal_deadline_always_lands_on_a_working_day_no_earlier_than_28_days(
    start: date, extra: frozenset[date]
) -> None:
    period = compute("acv.tribunal_appeal", start, extra_holidays=extra)
    calendar = calendar_for(CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS, extra)
    raw = start + timedelta(days=28)
    assert calendar.is_working_day(period.due)
    assert period.due >= raw
    assert all(not calendar.is_working_day(raw + timedelta(days=i)) for i in range((period.due - raw).days))


@given(acv_dates, holiday_sets)
def test_council_holidays_never_move_a_calendar_day_period(start: date, extra: frozenset[date]) -> None:
    assert compute("moratorium.full", start, extra_holidays=extra).due == compute("moratorium.full", start).due


def _easter(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher): an oracle independent of `holidays`."""
    a_, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a_ + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a_ + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = ((h + el - 7 * m + 114) % 31) + 1
    return date(year, month, day)
