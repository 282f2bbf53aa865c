"""Community asset transfer in England from the window to the decision, on SQLite and PostgreSQL: one advertised
window per asset, the expression of interest checked criterion by criterion, a conflicted assessor's work
withdrawn, competing applications ranked, deferral to a date, and the decision-maker the policy names."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from casework.actors import SYSTEM
from casework.assets import AssetDetails
from casework.db import Database
from casework.errors import InvalidInput
from casework.examples import load
from casework.models import AssessorScore, ModeratedScore, OutboxMessage
from casework.queries import case_summary
from casework.services import asset_transfers, deadlines, organisations, policies, transfer_panel
from casework.services.organisations import OrganisationDetails
from tests.factories import list_pub, make_world
from tests.integration.test_asset_transfer import (
    APPROVE,
    CRITERIA,
    GOOD,
    NORWICH_EOI,
    Setup,
    member_of_all,
    moment,
    pass_eoi,
    score_all,
    setup,
    step,
    to_panel,
)
from workflows.eligibility import BodyType
from workflows.errors import GuardFailed

pytestmark = pytest.mark.integration


def rival_group(db: Database, s: Setup, name: str) -> uuid.UUID:
    return organisations.register_organisation(
        db, s.world.council_id, OrganisationDetails(name=name, body_type=BodyType.CHARITY, activity_areas=("BDC",)),
        founder=s.world.member.user_id,
    )  # fmt: skip


def recommended(db: Database, s: Setup, group: uuid.UUID | None = None, scores: dict[str, int] = GOOD) -> uuid.UUID:
    case_id = to_panel(db, s, group=group, member=member_of_all(db, s.world))
    score_all(db, s, case_id, scores)
    step(db, case_id, "recommend", s.world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    return case_id


def test_groups_applying_while_the_window_is_open_join_it_and_a_silent_window_lapses_them(db: Database) -> None:
    s = setup(db)
    first = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    step(db, first, "check_suitability", s.world.officer, {"checked_on": "2026-03-09", "surplus": True,
         "open_space": False}, "2026-03-09")  # fmt: skip
    step(db, first, "invite_eoi", s.world.officer, {"eoi_invited_on": "2026-03-10"}, "2026-03-10")
    readers = rival_group(db, s, "Ambridge Readers")
    second = asset_transfers.start_application(
        db, member_of_all(db, s.world), s.asset, readers, enquiry_received_on=date(2026, 3, 20),
        proposed_use="Reading room", tenure_sought="lease", now=moment("2026-03-20"),
    ).case_id  # fmt: skip

    joined = case_summary(db, second)
    assert joined.state == "eoi_invited"  # no second asset check: the advert is the asset's
    assert joined.facts["eoi_advertised_on_case"] == case_summary(db, first).reference
    assert joined.facts["surplus"] is True and joined.facts["checked_on"] == "2026-03-09"
    window = joined.deadline("eoi_window")
    assert window is not None and window.due_date == date(2026, 4, 7)  # when the advertised window closes
    assert window.rule == "asset_transfer.eoi_window_advertised"
    assert "(version 1)" in window.basis

    late = asset_transfers.start_application(
        db, member_of_all(db, s.world), s.asset, readers, enquiry_received_on=date(2026, 4, 20),
        proposed_use="Reading room", tenure_sought="lease", now=moment("2026-04-20"),
    ).case_id  # fmt: skip
    assert case_summary(db, late).state == "enquiry"  # the window had closed: the council may advertise again

    deadlines.sweep(db, now=moment("2026-04-08", 1))
    assert case_summary(db, first).state == "lapsed" and case_summary(db, second).state == "lapsed"
    with db.reader() as session:
        templates = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.case_id == second)).all()
    assert "cat_lapsed" in {p.get("template") for p in templates}


def test_a_policy_that_advertises_each_application_separately_checks_each_one(db: Database) -> None:
    world_setup = setup(db)
    separate = {**load("cat_norwich_style"), "eoi_advert": "per_application"}
    policies.publish(db, SYSTEM, "BDC", "asset_transfer", separate, effective_from=date(2026, 3, 1))
    first = to_panel(db, world_setup)
    second = asset_transfers.start_application(
        db, world_setup.world.member, world_setup.asset, world_setup.world.group_id,
        enquiry_received_on=date(2026, 3, 20), proposed_use="Library", tenure_sought="lease", now=moment("2026-03-20"),
    ).case_id  # fmt: skip
    assert case_summary(db, first).state == "panel_assessment"
    assert case_summary(db, second).state == "enquiry"
    with pytest.raises(GuardFailed, match="advertises each application separately"):
        step(db, second, "join_eoi_window", world_setup.world.officer, {}, "2026-03-20")


def test_the_asset_check_records_what_the_register_says_about_listing(db: Database) -> None:
    world = make_world(db)
    policies.publish(db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1))
    listing = list_pub(db, world)
    pub = asset_transfers.offer_asset(  # the council owns the listed pub and offers it for transfer
        db, world.officer, AssetDetails(name="The Bull", address="1 High Street", uprn="100012345678")
    )
    s = Setup(world, pub)
    case_id = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 25), proposed_use="A pub",
        tenure_sought="lease", now=moment("2026-03-25"),
    ).case_id  # fmt: skip
    step(db, case_id, "check_suitability", s.world.officer, {"checked_on": "2026-03-26", "surplus": True,
         "open_space": False}, "2026-03-26")  # fmt: skip
    facts = case_summary(db, case_id).facts
    assert facts["acv_listed"] is True and facts["acv_listing_reference"] == case_summary(db, listing).reference


def test_an_expression_of_interest_is_checked_against_each_criterion_and_fails_on_the_one_not_met(
    db: Database,
) -> None:
    s = setup(db)
    case_id = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    step(db, case_id, "check_suitability", s.world.officer, {"checked_on": "2026-03-09", "surplus": True,
         "open_space": False}, "2026-03-09")  # fmt: skip
    step(db, case_id, "invite_eoi", s.world.officer, {"eoi_invited_on": "2026-03-10"}, "2026-03-10")
    step(db, case_id, "submit_eoi", s.world.member, {"eoi_received_on": "2026-03-20", "activities": "a",
         "community_benefit": "b", "track_record": "c", "running_costs_plan": "d", "tenure_sought": "lease"},
         "2026-03-20")  # fmt: skip
    with pytest.raises(GuardFailed, match="Assess the expression of interest against each of the policy's criteria"):
        step(db, case_id, "pass_eoi", s.world.officer, {"eoi_assessed_on": "2026-04-01", "eoi_reasons": "Fine"},
             "2026-04-01")  # fmt: skip
    half = [asset_transfers.EoiVerdict(NORWICH_EOI[0], True, "Clear plans")]
    with pytest.raises(InvalidInput) as missing:
        asset_transfers.assess_eoi(db, s.world.officer, case_id, date(2026, 4, 1), half, now=moment("2026-04-01"))
    assert missing.value.errors["criterion-2"] == f"Select whether it meets: {NORWICH_EOI[1]}"

    pass_eoi(db, s.world.officer, case_id, "2026-04-01", unmet="How running costs will be financed")
    failed = case_summary(db, case_id)
    assert failed.state == "refused"
    assert failed.facts["reasons"] == "How running costs will be financed: not met. Not shown"
    assessed = {row["criterion"]: row["met"] for row in failed.facts["eoi_assessment"]}
    assert len(assessed) == len(NORWICH_EOI) and list(assessed.values()).count(False) == 1


def test_a_conflicted_assessors_agreed_scores_are_voided_and_the_recommendation_is_made_again(db: Database) -> None:
    s = setup(db)
    officer, reviewer, other = s.world.officer, s.world.reviewer, s.world.other_officer
    case_id = to_panel(db, s)
    for criterion, score in GOOD.items():
        transfer_panel.record_score(db, officer, case_id, criterion, score, "Mine", now=moment("2026-05-01"))
        transfer_panel.record_score(db, reviewer, case_id, criterion, 1, "Thin", now=moment("2026-05-01"))
        transfer_panel.moderate(db, officer, case_id, criterion, score, "I know the group", now=moment("2026-05-02"))
    step(db, case_id, "recommend", officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    assert case_summary(db, case_id).facts["recommend_approval"] is True

    transfer_panel.declare_conflict(db, officer, case_id, "I chair the group", now=moment("2026-05-07"))
    back = case_summary(db, case_id)
    assert back.state == "panel_assessment" and back.facts["recommend_approval"] is None
    conflict = next(e for e in back.events if e.kind == "conflict")
    assert conflict.data["scores_withdrawn"] == len(CRITERIA) and len(conflict.data["agreed_scores_voided"]) == 6
    assert back.events[-1].trigger == "return_to_panel"
    decision = back.deadline("decision")
    assert decision is not None and decision.status == "cancelled"
    with db.reader() as session:
        assert session.scalars(select(ModeratedScore).where(ModeratedScore.case_id == case_id)).all() == []
        assert {a.assessor_id for a in session.scalars(select(AssessorScore))} == {reviewer.user_id}

    with pytest.raises(GuardFailed, match="The panel has not finished scoring"):
        step(db, case_id, "recommend", other, {"recommended_on": "2026-05-08"}, "2026-05-08")
    for criterion in CRITERIA:
        transfer_panel.moderate(db, other, case_id, criterion, 1, now=moment("2026-05-08"))
    step(db, case_id, "recommend", other, {"recommended_on": "2026-05-08"}, "2026-05-08")
    again = case_summary(db, case_id).facts
    assert again["score_percent"] == "20.00" and again["recommend_approval"] is False


def test_approving_a_lower_ranked_application_needs_reasons_and_says_what_becomes_of_the_rivals(
    db: Database,
) -> None:
    s = setup(db)
    higher = recommended(db, s)
    lower = recommended(db, s, rival_group(db, s, "Ambridge Readers"), {**GOOD, "benefit": 3})
    early = rival_group(db, s, "Loxley Lenders")
    waiting = asset_transfers.start_application(
        db, member_of_all(db, s.world), s.asset, early, enquiry_received_on=date(2026, 5, 20), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-05-20"),
    ).case_id  # fmt: skip
    higher_reference = case_summary(db, higher).reference
    with pytest.raises(GuardFailed) as refused:
        step(db, lower, "approve", s.world.officer, APPROVE, "2026-06-02")
    assert f"The panel ranked {higher_reference} (86.00%) above this application" in str(refused.value)
    assert "say whether they are refused or kept in reserve" in str(refused.value)

    step(db, lower, "approve", s.world.officer, {**APPROVE, "ranking_reasons": "Opens every evening",
         "rivals_outcome": "refuse"}, "2026-06-02")  # fmt: skip
    for rival in (higher, waiting):
        closed = case_summary(db, rival)
        assert closed.state == "refused"
        assert closed.facts["reasons"].startswith(f"The council approved {case_summary(db, lower).reference} in "
                                                  "principle on Monday 1 June 2026: Best use")  # fmt: skip
    with db.reader() as session:
        told = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.case_id == higher)).all()
    assert "cat_refused" in {p.get("template") for p in told}


def test_rivals_kept_in_reserve_stay_open_but_cannot_be_approved_while_one_is(db: Database) -> None:
    s = setup(db)
    first = recommended(db, s)
    second = recommended(db, s, rival_group(db, s, "Ambridge Readers"), {**GOOD, "benefit": 3})
    step(db, first, "approve", s.world.officer, {**APPROVE, "rivals_outcome": "reserve"}, "2026-06-02")
    kept = case_summary(db, second)
    assert kept.state == "recommended" and kept.events[-1].trigger == "note_rival_approved"
    with pytest.raises(GuardFailed, match="Another application for this asset has already been approved"):
        step(db, second, "approve", s.world.officer, {**APPROVE, "ranking_reasons": "x"}, "2026-06-03")
    step(db, first, "withdraw", s.world.member, {"withdrawal_reasons": "Lost our funding"}, "2026-06-10")
    step(db, second, "approve", s.world.officer, APPROVE, "2026-06-11")  # now the only one, and the top
    assert case_summary(db, second).state == "approved"


def test_a_deferred_decision_is_due_on_the_date_set_and_a_date_in_the_past_is_refused(db: Database) -> None:
    s = setup(db)
    case_id = recommended(db, s)
    decision = case_summary(db, case_id).deadline("decision")
    assert decision is not None and decision.due_date == date(2026, 7, 1)  # the policy's 8 weeks
    defer = {"deferred_on": "2026-06-01", "deferral_reasons": "A valuation", "decide_by": "2026-05-31"}
    with pytest.raises(GuardFailed, match="cannot be in the past or before the deferral on Monday 1 June 2026"):
        step(db, case_id, "defer", s.world.officer, defer, "2026-06-01")
    step(db, case_id, "defer", s.world.officer, {**defer, "decide_by": "2026-12-31"}, "2026-06-01")

    deferred = case_summary(db, case_id)
    due = deferred.deadline("decision")
    assert due is not None and due.due_date == date(2026, 12, 31) and due.rule == "asset_transfer.decide_by"
    # An example policy's notes are for admins: everyone else sees the council's policy named.
    assert due.basis.startswith("Borsetshire District Council's community asset transfer policy (version 1)")
    assert "set when the decision was deferred" in due.explanation[0]
    assert deferred.facts["decision_body"] == "Cabinet, on a report by the head of property services"


def test_the_decision_is_recorded_as_taken_by_the_body_the_policy_names_unless_another_is_given(
    db: Database,
) -> None:
    s = setup(db)
    named = recommended(db, s)
    other = recommended(db, s, rival_group(db, s, "Ambridge Readers"), {**GOOD, "finance": 2})
    step(db, other, "refuse", s.world.officer, {"decided_on": "2026-06-01", "reasons": "Failed the finance gate"},
         "2026-06-01")  # fmt: skip
    assert case_summary(db, other).facts["decision_body"] == "Cabinet, on a report by the head of property services"
    step(db, named, "approve", s.world.officer, {**APPROVE, "decision_body": "Portfolio holder for assets"},
         "2026-06-02")  # fmt: skip
    facts = case_summary(db, named).facts
    assert facts["decision_body"] == "Portfolio holder for assets"
    assert facts["policy_decision_body"] == "Cabinet, on a report by the head of property services"
