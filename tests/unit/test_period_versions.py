"""Period rules carry versions, each in force from its commencement: compute uses the version in force on the day
the period starts, and refuses, naming the commencement date, a start before the rule existed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workflows import date_bounds
from workflows.errors import RuleNotInForce, WorkflowRefusal
from workflows.periods import RULES, Commencement, compute, in_force, moratorium_timeline

ACV_REGS = date(2012, 9, 21)  # STATUTE.md §0.2: ACV Regs SI 2012/2421 in force 21 Sep 2012
# A hypothetical reform, as the English Devolution and Community Empowerment Bill proposes (STATUTE.md §8).
RIGHT_TO_BUY = Commencement(date(2027, 1, 1), "the community right to buy", "A future Act s.1, in force 1 January 2027")
FULL_V1 = RULES["moratorium.full"]
FULL_V2 = replace(FULL_V1, length=12, basis="A future Act s.1", in_force=RIGHT_TO_BUY, version=2, replaces=FULL_V1)
COMMENCED = sorted(rule_id for rule_id, rule in RULES.items() if rule.versions[0].effective_from is not None)


def test_the_full_moratorium_from_before_the_regime_is_refused_with_the_commencement_date() -> None:
    with pytest.raises(RuleNotInForce) as refused:
        compute("moratorium.full", date(2011, 1, 1))

    assert refused.value.reasons == (
        (
            "The period moratorium.full (Full moratorium) cannot run from Saturday 1 January 2011: it came into force "
            "on Friday 21 September 2012, when the assets of community value regime commenced "
            "(ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3)"
        ),
    )
    assert refused.value.citations == ("ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3",)
    assert (refused.value.code, refused.value.rule_id, refused.value.in_force_from) == (
        "rule-not-in-force",
        "moratorium.full",
        ACV_REGS,
    )
    assert isinstance(refused.value, WorkflowRefusal)  # so every surface that shows a refusal shows this one


def test_the_moratorium_timeline_from_before_the_regime_is_refused_too() -> None:
    with pytest.raises(RuleNotInForce, match="came into force on Friday 21 September 2012"):
        moratorium_timeline(ACV_REGS - timedelta(days=1))


@pytest.mark.parametrize("rule_id", COMMENCED)
def test_every_rule_with_a_commencement_runs_from_that_day_and_not_the_day_before(rule_id: str) -> None:
    commenced = RULES[rule_id].versions[0].effective_from
    assert commenced is not None

    assert compute(rule_id, commenced).start == commenced
    with pytest.raises(RuleNotInForce) as refused:
        compute(rule_id, commenced - timedelta(days=1))
    assert f"{commenced.day} {commenced:%B %Y}" in refused.value.reasons[0]


@given(st.sampled_from(COMMENCED), st.integers(min_value=1, max_value=20_000))
def test_any_start_before_a_rules_commencement_is_refused(rule_id: str, days_before: int) -> None:
    commenced = RULES[rule_id].versions[0].effective_from
    assert commenced is not None
    with pytest.raises(RuleNotInForce):
        compute(rule_id, commenced - timedelta(days=days_before))


def test_a_rule_whose_commencement_is_not_recorded_runs_from_any_date() -> None:
    assert RULES["service.first_class_post"].effective_from is None
    assert compute("service.first_class_post", date(2001, 3, 1)).due == date(2001, 3, 5)


def test_the_date_guards_and_the_period_rules_name_one_commencement() -> None:
    assert FULL_V1.in_force is date_bounds.ENGLAND_ACV
    assert RULES["scotland.atr_decision"].in_force is date_bounds.SCOTLAND_ATR
    assert RULES["challenge.decision_period_notice"].in_force is date_bounds.ENGLAND_CHALLENGE


def test_a_rule_with_two_versions_uses_the_first_up_to_the_day_before_the_change() -> None:
    period = compute(FULL_V2, date(2026, 12, 31))

    assert (period.rule.version, period.rule.length, period.due) == (1, 6, date(2027, 6, 30))
    assert (
        "Version 1 of the rule applies, the one in force on the day the period starts: "
        "from Friday 21 September 2012 to Thursday 31 December 2026."
    ) in period.explanation


def test_a_rule_with_two_versions_uses_the_second_from_the_day_it_came_into_force() -> None:
    period = compute(FULL_V2, date(2027, 1, 1))

    assert (period.rule.version, period.rule.length, period.due) == (2, 12, date(2027, 12, 31))
    assert period.basis == "A future Act s.1"
    second = "Version 2 of the rule applies, the one in force on the day the period starts: from Friday 1 January 2027."
    assert second in period.explanation
    assert period.as_dict()["version"] == 2 and period.as_dict()["effective_from"] == "2027-01-01"


def test_a_second_version_still_refuses_a_start_before_the_first_came_into_force() -> None:
    with pytest.raises(RuleNotInForce, match="came into force on Friday 21 September 2012"):
        compute(FULL_V2, date(2012, 9, 20))


def test_a_rule_with_one_version_says_nothing_about_versions() -> None:
    assert not any("Version" in step for step in compute("moratorium.full", date(2026, 1, 5)).explanation)


def test_a_version_that_ceased_to_have_effect_refuses_a_later_start_with_its_last_day() -> None:
    repealed = replace(FULL_V1, effective_to=date(2026, 12, 31))

    assert in_force(repealed, date(2026, 12, 31)) is repealed
    with pytest.raises(RuleNotInForce, match="it ceased to have effect after Thursday 31 December 2026") as refused:
        compute(repealed, date(2027, 1, 1))
    assert refused.value.in_force_from is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"version": 3}, "it does not follow moratorium.full version 1"),
        ({"id": "moratorium.interim"}, "it does not follow moratorium.full version 1"),
        ({"in_force": date_bounds.ENGLAND_ACV}, "it must come into force after the version it replaces"),
        ({"in_force": None}, "it must come into force after the version it replaces"),
    ],
)
def test_a_version_that_does_not_follow_the_one_it_replaces_fails_when_it_is_built(
    changes: dict[str, object], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        replace(FULL_V2, **changes)


def test_a_version_cannot_start_while_the_one_it_replaces_is_still_in_force() -> None:
    lasting = replace(FULL_V1, effective_to=date(2027, 6, 30))
    with pytest.raises(ValueError, match="the version it replaces is still in force on its effective_from"):
        replace(FULL_V2, replaces=lasting)


def test_a_later_version_must_say_what_it_replaces() -> None:
    with pytest.raises(ValueError, match="version 2 replaces no earlier version"):
        replace(FULL_V2, replaces=None)
