"""Council policies, right-to-challenge windows, panel scoring, and the bodies that may challenge or ask to buy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from workflows import asset_transfer, challenge, registry
from workflows.eligibility import (
    Body,
    BodyType,
    Constitution,
    is_community_transfer_body,
    is_relevant_body,
    may_request_ownership,
)
from workflows.periods import compute
from workflows.policies import (
    ChallengePolicy,
    InvalidPolicy,
    ServiceWindow,
    TransferPolicy,
    check_window,
    parse_policy,
)
from workflows.scoring import IncompleteScores, rank, result, suggested_moderation

PERIOD = {"length": 4, "unit": "weeks"}


def transfer_document(**overrides: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "title": "Example asset transfer policy",
        "periods": dict.fromkeys(asset_transfer.DEFINITION.policy_periods, PERIOD),
        "eoi_criteria": ["Planned services", "Community support"],
        "rubric": {
            "criteria": [
                {"id": "benefit", "label": "Community benefit", "weight": 40},
                {"id": "finance", "label": "Financial sustainability", "weight": 30, "gate": True, "pass_mark": 3},
                {"id": "governance", "label": "Governance", "weight": 30},
            ],
            "pass_threshold": 60,
        },
        "decision_body": "Cabinet",
        "tenures": ["licence", "long_lease"],
    }
    document.update(overrides)
    return document


def test_a_complete_transfer_policy_parses_and_its_periods_become_engine_rules() -> None:
    policy = parse_policy("asset_transfer", transfer_document())
    assert isinstance(policy, TransferPolicy)
    rule = policy.periods["eoi_window"].rule(policy.title)
    assert rule.id == "policy.eoi_window" and rule.basis.startswith("Example asset transfer policy")
    period = compute(rule, date(2026, 3, 2))
    assert period.due == date(2026, 3, 30)
    assert "4 weeks after" in period.explanation[0]
    assert "(Example asset transfer policy: council policy)" in period.explanation[0]


def test_a_policy_with_more_criteria_than_an_assessment_can_record_is_refused() -> None:
    too_many = transfer_document(eoi_criteria=[f"Criterion {n}" for n in range(61)])
    with pytest.raises(InvalidPolicy, match="at most 60 criteria"):
        parse_policy("asset_transfer", too_many)
    assert parse_policy("asset_transfer", transfer_document(eoi_criteria=[f"Criterion {n}" for n in range(60)]))


def test_a_broken_policy_is_refused_with_every_problem_named_at_once() -> None:
    broken = transfer_document(
        periods={"eoi_window": {"length": 0, "unit": "weeks"}, "holiday": PERIOD},
        tenures=["timeshare"],
        rubric={"criteria": [{"id": "a", "label": "A", "weight": 1, "gate": True}], "pass_threshold": 140},
    )
    with pytest.raises(InvalidPolicy) as refused:
        parse_policy("asset_transfer", broken)
    problems = " | ".join(refused.value.problems)
    for expected in (
        "'eoi_window' must be at least 1",
        "length of the period 'decision'",
        "Unknown period 'holiday'",
        "Unknown tenure 'timeshare'",
        "for a gate, a pass mark",
        "percentage from 0 to 100",
    ):
        assert expected in problems


def test_every_policy_period_the_definitions_use_is_one_a_policy_must_give() -> None:
    for defn in (asset_transfer.DEFINITION, challenge.DEFINITION):
        used = {t.rule.removeprefix("policy.") for t in defn.timers if t.rule.startswith("policy.")}
        assert used <= set(defn.policy_periods)
    assert registry.get("challenge").policy_periods == ("decision", "procurement_earliest", "procurement_latest")


LIBRARIES = ServiceWindow("libraries", "Library service", opens=(3, 1), closes=(4, 30))
WINTER = ServiceWindow("gritting", "Winter gritting", opens=(11, 1), closes=(1, 31))


def test_an_expression_of_interest_in_the_window_counts_from_the_window_closing() -> None:
    checked = check_window(LIBRARIES, date(2026, 4, 10))
    assert checked.verdict.ok and checked.in_window and checked.window_closes_on == date(2026, 4, 30)
    notice = compute("challenge.decision_period_notice_window", checked.window_closes_on)
    assert notice.due == date(2026, 5, 30)  # 30 days beginning immediately after the window ends (s.84(7)(a))


def test_one_outside_the_window_is_refused_with_the_next_window_named() -> None:
    checked = check_window(LIBRARIES, date(2026, 6, 12))
    assert not checked.verdict.ok
    assert "only in its published window (1 March to 30 April)" in checked.verdict.reasons[0]
    assert "The next window opens on Monday 1 March 2027" in checked.verdict.reasons[0]


def test_a_window_across_new_year_and_a_service_open_all_year() -> None:
    assert check_window(WINTER, date(2027, 1, 15)).window_closes_on == date(2027, 1, 31)
    assert not check_window(WINTER, date(2027, 2, 1)).verdict.ok
    always = check_window(ServiceWindow("parks", "Parks"), date(2026, 8, 1))
    assert always.verdict.ok and not always.in_window


def test_a_challenge_policy_lists_its_services_and_rejects_a_bad_window() -> None:
    document = {
        "title": "Challenge policy",
        "periods": {key: {"length": 3, "unit": "months"} for key in challenge.DEFINITION.policy_periods},
        "services": [{"id": "libraries", "name": "Library service", "window": {"opens": "03-01", "closes": "04-30"}}],
    }
    policy = parse_policy("challenge", document)
    assert isinstance(policy, ChallengePolicy) and policy.service("libraries") == LIBRARIES
    document["services"] = [{"id": "x", "name": "X", "window": {"opens": "02-30", "closes": "03-01"}}]
    with pytest.raises(InvalidPolicy, match="needs an id, a name"):
        parse_policy("challenge", document)


RUBRIC = parse_policy("asset_transfer", transfer_document())
assert isinstance(RUBRIC, TransferPolicy)


def test_scores_are_weighted_into_a_percentage_and_a_failed_gate_refuses_whatever_the_total() -> None:
    good = result(RUBRIC.rubric, {"benefit": 5, "finance": 4, "governance": 3})
    assert good.weighted_percent == Decimal("82.00") and good.recommend
    gated = result(RUBRIC.rubric, {"benefit": 5, "finance": 2, "governance": 5})
    assert gated.weighted_percent == Decimal("82.00") and not gated.recommend
    assert gated.reasons == ("Gate not passed: Financial sustainability scored 2, below the pass mark of 3",)
    low = result(RUBRIC.rubric, {"benefit": 2, "finance": 3, "governance": 2})
    assert not low.recommend and "below the pass threshold of 60%" in low.reasons[0]


def test_a_result_needs_every_criterion_moderated() -> None:
    with pytest.raises(IncompleteScores, match="Governance"):
        result(RUBRIC.rubric, {"benefit": 5, "finance": 4})


def test_equal_scores_tie_and_a_recommended_application_outranks_a_gated_one() -> None:
    same = result(RUBRIC.rubric, {"benefit": 4, "finance": 4, "governance": 4})
    gated = result(RUBRIC.rubric, {"benefit": 5, "finance": 1, "governance": 5})
    ranked = rank({"CAT-1": same, "CAT-2": same, "CAT-3": gated})
    assert [(r.reference, r.rank, r.tied) for r in ranked] == [
        ("CAT-1", 1, True),
        ("CAT-2", 1, True),
        ("CAT-3", 3, False),
    ]


def test_the_suggested_moderated_score_is_the_median_rounded_half_up() -> None:
    assert suggested_moderation([3, 4]) == 4
    assert suggested_moderation([1, 2, 5]) == 2
    assert suggested_moderation([]) is None


CHARITY = Body(BodyType.CHARITY)


def test_the_bodies_that_may_challenge_a_service() -> None:
    assert is_relevant_body(CHARITY, "BDC").ok
    assert is_relevant_body(Body(BodyType.PARISH_COUNCIL, is_public_or_local_authority=True), "BDC").ok
    employees = Body(BodyType.EMPLOYEE_GROUP, individual_members=3, employer="BDC")
    assert is_relevant_body(employees, "BDC").ok
    assert "employees of the council it challenges" in is_relevant_body(employees, "FCC").reasons[0]
    profit = Body(BodyType.OTHER, distributes_surplus_to_members=True)
    assert not is_relevant_body(profit, "BDC").ok
    assert is_relevant_body(replace(profit, primarily_for_community_benefit=True), "BDC").ok


CONSTITUTED = Constitution(
    defines_community=True,
    majority_of_members_from_community=True,
    members_from_community_control=True,
    membership_open_to_community=True,
    aims_include_community_benefit=True,
    surplus_applied_for_community=True,
)


def test_a_community_controlled_body_may_lease_but_only_twenty_members_and_an_asset_lock_may_buy() -> None:
    scio = Body(BodyType.SCIO, individual_members=25, constitution=CONSTITUTED)
    assert is_community_transfer_body(scio).ok and may_request_ownership(scio).ok
    small = replace(scio, individual_members=19)
    assert is_community_transfer_body(small).ok and not may_request_ownership(small).ok
    company = Body(BodyType.COMPANY_LIMITED_BY_GUARANTEE, individual_members=40, constitution=CONSTITUTED)
    assert "lock its assets" in may_request_ownership(company).reasons[0]
    unincorporated = Body(BodyType.UNINCORPORATED, individual_members=100, constitution=CONSTITUTED)
    assert is_community_transfer_body(unincorporated).ok and not may_request_ownership(unincorporated).ok


def test_a_body_whose_constitution_misses_a_test_is_told_which() -> None:
    verdict = is_community_transfer_body(
        Body(BodyType.SCIO, constitution=replace(CONSTITUTED, defines_community=False))
    )
    assert verdict.reasons == ("Its written constitution must define the community it relates to (s.19(2)(a))",)


def test_a_co_operative_may_not_ask_to_buy_but_a_community_benefit_society_may() -> None:
    co_op = Body(BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY, individual_members=30, constitution=CONSTITUTED)
    assert "A co-operative society cannot ask to buy" in may_request_ownership(co_op).reasons[0]
    society = replace(co_op, constitution=replace(CONSTITUTED, community_benefit_society=True))
    assert may_request_ownership(society).ok


def test_numbers_that_are_not_numbers_and_a_procurement_window_back_to_front_are_refused() -> None:
    with pytest.raises(InvalidPolicy) as refused:
        parse_policy("asset_transfer", transfer_document(rubric={
            "criteria": [{"id": "a", "label": "A", "weight": "NaN"}], "pass_threshold": "Infinity"}))  # fmt: skip
    assert "The pass threshold is a percentage from 0 to 100" in refused.value.problems
    document = {
        "title": "Challenge policy",
        "periods": {key: {"length": 3, "unit": "months"} for key in challenge.DEFINITION.policy_periods},
        "services": [{"id": "parks", "name": "Parks"}],
    }
    document["periods"]["procurement_earliest"] = {"length": 9, "unit": "months"}
    with pytest.raises(InvalidPolicy, match="earliest start of procurement must not be later than the latest"):
        parse_policy("challenge", document)


def test_a_policy_period_is_explained_as_the_council_set_it_and_not_as_a_statute() -> None:
    periods = {**transfer_document()["periods"], "enquiry_reply": {"length": 1, "unit": "months",
               "label": "Reply to an enquiry", "basis": "reply within a month"}}  # fmt: skip
    policy = parse_policy("asset_transfer", transfer_document(periods=periods))
    rule = policy.periods["enquiry_reply"].rule("Our policy (version 3)", "the date of the enquiry")
    period = compute(rule, date(2026, 3, 2))
    assert period.due == date(2026, 4, 2)
    assert period.explanation[0] == (
        "Reply to an enquiry: 1 month after the date of the enquiry (Our policy (version 3): reply within a month)."
    )
    assert "A target the council's own policy sets, not a statutory period" in period.explanation[2]
    assert not any("Dodds v Walker" in step for step in period.explanation)


def test_a_date_agreed_or_directed_is_the_deadline_itself_with_its_authority() -> None:
    agreed = compute("scotland.atr_decision_agreed", date(2026, 9, 30))
    assert agreed.due == date(2026, 9, 30) and agreed.basis == "CE(S)A 2015 s.82(8); ATR Procedure Regs reg.10"
    assert "the later date agreed with the community transfer body" in agreed.explanation[0]
    assert agreed.explanation[1] == "Date fixed: Wednesday 30 September 2026."
