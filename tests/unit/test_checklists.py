"""Land that cannot be listed (Sch.1) and disposals the moratorium does not apply to (s.95(5), s.96, Sch.3)."""

from __future__ import annotations

import pytest

from workflows.checklists import (
    EXEMPT_DISPOSALS,
    DisposalAnswers,
    LandAnswers,
    assess_disposal,
    assess_land,
)


def test_a_house_cannot_be_listed_but_a_pub_with_a_flat_above_can() -> None:
    house = assess_land(LandAnswers(residence=True))
    assert not house.ok and house.basis == ("ACV Regs Sch.1 para.1",)
    pub = assess_land(LandAnswers(residence=True, residence_partly_other_use=True))
    assert pub.ok and "para.1(5)" in pub.reasons[0]


def test_land_with_permission_for_houses_not_yet_built_is_not_a_residence() -> None:
    assert assess_land(LandAnswers(residence=True, residence_not_counted=True)).ok


@pytest.mark.parametrize(
    ("answers", "paragraph"),
    [(LandAnswers(caravan_site=True), "para.3"), (LandAnswers(operational_land=True), "para.4")],
)
def test_caravan_sites_and_operational_land_cannot_be_listed(answers: LandAnswers, paragraph: str) -> None:
    verdict = assess_land(answers)
    assert not verdict.ok and paragraph in verdict.basis[0]


def test_a_freehold_sale_with_vacant_possession_triggers_the_moratorium() -> None:
    assessment = assess_disposal(DisposalAnswers("freehold", vacant_possession=True))
    assert assessment.moratorium_applies and not assessment.grounds


@pytest.mark.parametrize(
    ("answers", "why"),
    [
        (DisposalAnswers("freehold", vacant_possession=False), "without vacant possession"),
        (DisposalAnswers("lease", vacant_possession=True, lease_years=24), "less than 25 years"),
        (DisposalAnswers("share_sale", vacant_possession=True), "sale of shares"),
    ],
)
def test_disposals_that_are_not_relevant_disposals_are_explained(answers: DisposalAnswers, why: str) -> None:
    assessment = assess_disposal(answers)
    assert not assessment.relevant and not assessment.moratorium_applies
    assert why in assessment.reasons[0]


def test_a_25_year_lease_is_a_relevant_disposal() -> None:
    assert assess_disposal(DisposalAnswers("lease", vacant_possession=True, lease_years=25)).moratorium_applies


def test_a_gift_is_exempt_and_the_ground_is_cited() -> None:
    assessment = assess_disposal(DisposalAnswers("freehold", True, exemptions=frozenset({"gift"})))
    assert assessment.exempt and not assessment.moratorium_applies
    assert assessment.grounds[0].basis == "LA 2011 s.95(5)(a)"


def test_an_option_granted_after_listing_is_not_exempt() -> None:
    answers = DisposalAnswers(
        "freehold", True, exemptions=frozenset({"planning_obligation_or_option"}), listed_before_obligation=True
    )
    assessment = assess_disposal(answers)
    assert assessment.moratorium_applies
    assert any("para.4(2)" in reason for reason in assessment.reasons)


def test_the_checklist_holds_every_exemption_of_the_act_and_schedule_3() -> None:
    act = {item.basis for item in EXEMPT_DISPOSALS if item.basis.startswith("LA 2011")}
    schedule = {item.basis for item in EXEMPT_DISPOSALS if "Sch.3" in item.basis}
    assert len(act) == 9  # s.95(5)(a)-(i); (j) is Sch.3
    assert len(schedule) == 15  # paras 1-15, para.11 shared with s.95(5)(e)


def test_an_unknown_exemption_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown exemptions: wishful"):
        assess_disposal(DisposalAnswers("freehold", True, exemptions=frozenset({"wishful"})))
