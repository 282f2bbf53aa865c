"""Whose holidays count, per calendar (GRC Rules r.12(3); ATR Procedure Regs reg.2; a council's own policies)."""

from __future__ import annotations

from datetime import date

from workflows.periods import EnteredHolidays, compute
from workflows.periods.rule import Unit
from workflows.policies import PolicyPeriod

CLOSURE_DAY = date(2026, 5, 29)  # a Friday: the day a 28-day Tribunal limit from Friday 1 May 2026 ends
POLICY_PERIOD = PolicyPeriod("decision", "Decide the application", 10, Unit.WORKING_DAYS, "Policy para.4")


def test_a_council_closure_day_does_not_move_a_tribunal_limit_but_a_proclaimed_bank_holiday_does() -> None:
    plain = compute("acv.tribunal_appeal", date(2026, 5, 1))
    closed = compute("acv.tribunal_appeal", date(2026, 5, 1), extra_holidays={CLOSURE_DAY})
    proclaimed = compute(
        "acv.tribunal_appeal", date(2026, 5, 1), extra_holidays=EnteredHolidays(proclaimed=frozenset({CLOSURE_DAY}))
    )
    assert plain.due == closed.due == date(2026, 5, 29)
    assert proclaimed.due == date(2026, 6, 1)
    assert any("Banking and Financial Dealings Act 1971" in step for step in proclaimed.explanation)


def test_a_council_closure_day_moves_a_working_day_period_its_own_policy_sets() -> None:
    rule = POLICY_PERIOD.rule("Asset transfer policy v1")
    start = date(2026, 5, 14)  # ten working days after it (25 May is a bank holiday) end on Friday 29 May
    assert compute(rule, start).due == date(2026, 5, 29)
    moved = compute(rule, start, extra_holidays={CLOSURE_DAY})
    assert moved.due == date(2026, 6, 1)
    assert any("a closure day entered by the council" in step for step in moved.explanation)


def test_each_explanation_says_whose_holidays_count() -> None:
    tribunal = compute("acv.tribunal_appeal", date(2026, 5, 1)).explanation
    moratorium = compute("moratorium.interim", date(2026, 5, 1)).explanation
    scottish = compute("scotland.atr_review_request", date(2026, 4, 3)).explanation
    policy = compute(POLICY_PERIOD.rule("Policy"), date(2026, 5, 1)).explanation
    assert any("Working days are the Tribunal's (GRC Rules r.12(3))" in step for step in tribunal)
    assert any("a council's own closure days never move this date" in step for step in tribunal)
    assert any("Every day counts" in step for step in moratorium)
    assert any("Working days are the ones the ATR regulations define" in step for step in scottish)
    assert any("The council's own policy sets this period" in step for step in policy)
