"""Every worked example of STATUTE.md §10, computed by the engine."""

from __future__ import annotations

from datetime import date, time

import pytest

from workflows.periods import CalendarKind, Counting, Rule, Unit, compute
from workflows.periods.rule import Process

D = date.fromisoformat

EXAMPLES = [
    # (example number, rule, start, due)
    (1, "moratorium.interim", "2025-09-05", "2025-10-16"),
    (2, "moratorium.full", "2025-09-05", "2026-03-04"),
    (2, "moratorium.protected", "2025-09-05", "2027-03-04"),
    (3, "moratorium.interim", "2025-08-31", "2025-10-11"),
    (3, "moratorium.full", "2025-08-31", "2026-02-28"),
    (3, "moratorium.protected", "2025-08-31", "2027-02-28"),
    (4, "moratorium.full", "2027-08-31", "2028-02-29"),
    (4, "moratorium.protected", "2027-08-31", "2029-02-28"),
    (4, "moratorium.interim", "2027-08-31", "2027-10-11"),
    (5, "moratorium.full", "2027-08-29", "2028-02-28"),
    (5, "moratorium.interim", "2027-08-29", "2027-10-09"),
    (6, "moratorium.full", "2026-03-15", "2026-09-14"),
    (6, "moratorium.interim", "2026-03-15", "2026-04-25"),
    (6, "moratorium.protected", "2026-03-15", "2027-09-14"),
    (7, "moratorium.interim", "2025-12-01", "2026-01-11"),
    (7, "moratorium.full", "2025-12-01", "2026-05-31"),
    (7, "moratorium.protected", "2025-12-01", "2027-05-31"),
    (8, "acv.listing_expiry", "2025-03-10", "2030-03-09"),
    (9, "acv.listing_expiry", "2024-02-29", "2029-02-28"),
    (9, "acv.listing_expiry", "2024-03-01", "2029-02-28"),
    (10, "acv.nomination_decision", "2025-12-19", "2026-02-12"),
    (11, "acv.review_request", "2026-01-30", "2026-03-26"),
    (12, "acv.review_decision", "2026-03-02", "2026-04-26"),
    (13, "acv.tribunal_appeal", "2026-05-01", "2026-05-29"),
    (14, "acv.tribunal_appeal", "2025-11-27", "2025-12-29"),
    (15, "compensation.claim", "2026-04-30", "2026-07-30"),
    (16, "compensation.review_request", "2026-09-07", "2026-11-01"),
    (17, "challenge.decision_period_notice", "2026-01-15", "2026-02-13"),
    (18, "challenge.decision_period_notice_window", "2026-04-30", "2026-05-30"),
    (19, "scotland.atr_decision", "2026-01-31", "2026-07-30"),
    (20, "scotland.atr_decision", "2025-08-31", "2026-02-28"),
    (21, "scotland.atr_review_request", "2025-12-15", "2026-01-15"),
    (22, "scotland.atr_appeal", "2026-04-03", "2026-04-30"),
    (23, "scotland.atr_offer_period", "2026-07-31", "2027-01-30"),
]


@pytest.mark.parametrize(("example", "rule", "start", "due"), EXAMPLES)
def test_each_worked_example_gives_the_statutory_date(example: int, rule: str, start: str, due: str) -> None:
    assert compute(rule, D(start)).due == D(due), f"STATUTE.md §10 example {example}"


def test_the_from_reading_differs_by_a_day_mid_month_and_in_a_leap_february() -> None:
    """Examples 5 and 6: what a 'from' reading would give, one day later than 'beginning with'."""
    from_rule = Rule("test.from", Process.MORATORIUM, "six months from", 6, Unit.MONTHS, Counting.AFTER, "x", "x")
    assert compute(from_rule, D("2027-08-29")).due == D("2028-02-29")
    assert compute(from_rule, D("2026-03-15")).due == D("2026-09-15")
    assert compute(from_rule, D("2025-08-31")).due == D("2026-02-28")  # example 3: the readings coincide


def test_a_nomination_decision_records_the_later_outer_date_too() -> None:
    period = compute("acv.nomination_decision", D("2025-12-19"))
    assert (period.due, period.outer_due) == (D("2026-02-12"), D("2026-02-13"))


def test_a_tribunal_appeal_must_arrive_before_five_pm() -> None:
    period = compute("acv.tribunal_appeal", D("2026-05-01"))
    assert period.due_time == time(17, 0)
    assert period.ends_at().isoformat() == "2026-05-29T16:00:00+00:00"  # 17:00 British Summer Time


def test_an_appeal_due_on_christmas_day_rolls_past_boxing_day_and_the_weekend() -> None:
    explanation = " ".join(compute("acv.tribunal_appeal", D("2025-11-27")).explanation)
    assert "Thursday 25 December 2025 is a bank holiday (Christmas Day)" in explanation
    assert "Monday 29 December 2025" in explanation


def test_good_friday_counts_in_scotland_but_an_english_calendar_would_give_a_later_date() -> None:
    """Example 22: the same count in England and Wales working days skips Good Friday and Easter Monday."""
    scottish = compute("scotland.atr_appeal", D("2026-04-03"))
    english_rule = Rule(
        "test.ew",
        Process.SCOTLAND_ATR,
        "x",
        20,
        Unit.WORKING_DAYS,
        Counting.BEGINNING_WITH,
        "x",
        "x",
        calendar=CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS,
    )
    assert scottish.due == D("2026-04-30")
    assert compute(english_rule, D("2026-04-03")).due > scottish.due


def test_acv_periods_do_not_move_off_a_sunday() -> None:
    period = compute("acv.review_decision", D("2026-03-02"))
    assert period.due.weekday() == 6
    assert "still ends that day" in " ".join(period.explanation)


def test_the_explanation_says_why_there_is_no_thirty_first_of_february() -> None:
    explanation = compute("moratorium.full", D("2025-08-31")).explanation
    assert any("no day 31 in February 2026" in step for step in explanation)
