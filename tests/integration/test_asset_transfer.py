"""Community asset transfer in England, end to end on SQLite and PostgreSQL: a library, a park, a listed hall,
a tie, a failed gate, a conflicted assessor and a new policy version."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from casework.actors import SYSTEM, Actor
from casework.assets import AssetDetails
from casework.db import Database
from casework.errors import InvalidInput, PermissionDenied
from casework.examples import load
from casework.models import AssessorScore, Case, Council
from casework.queries import case_summary
from casework.services import accounts, asset_transfers, deadlines, organisations, policies, transfer_panel
from casework.services.case_transitions import apply_transition
from casework.services.organisations import OrganisationDetails
from casework.transitions.opening import open_case
from tests.factories import World, make_world, nominate_pub
from workflows.eligibility import BodyType
from workflows.errors import GuardFailed
from workflows.roles import Role

pytestmark = pytest.mark.integration

CRITERIA = ("benefit", "activities", "suitability", "track_record", "finance", "support")


def moment(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour)


@dataclass
class Setup:
    world: World
    asset: uuid.UUID


def setup(db: Database, *, name: str = "Ambridge Library", category: str = "library") -> Setup:
    world = make_world(db)
    policies.publish(db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1))
    asset = asset_transfers.offer_asset(
        db, world.officer, AssetDetails(name=name, address="Church Road, Ambridge", category=category)
    )
    return Setup(world, asset)


def member_of_all(db: Database, world: World) -> Actor:
    """The member again, now that they have founded more groups."""
    assert world.member.user_id is not None
    return accounts.actor_for(db, world.member.user_id, Role.COMMUNITY_MEMBER)


def step(db: Database, case_id: uuid.UUID, trigger: str, actor: Actor, data: dict[str, Any], day: str) -> None:
    apply_transition(db, case_id, trigger, actor, data, now=moment(day))


def to_panel(db: Database, s: Setup, group: uuid.UUID | None = None, member: Actor | None = None) -> uuid.UUID:
    """Enquiry, asset check, expressions of interest, pass, business case: ready for the panel."""
    group, member = group or s.world.group_id, member or s.world.member
    officer = s.world.officer
    case_id = asset_transfers.start_application(
        db, member, s.asset, group, enquiry_received_on=date(2026, 3, 2), proposed_use="A community library",
        tenure_sought="long_lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    advertise(db, officer, case_id)
    step(db, case_id, "submit_eoi", member, {
        "eoi_received_on": "2026-03-20", "activities": "Lending, homework club", "community_benefit": "Literacy",
        "track_record": "Runs the village hall", "running_costs_plan": "Grants and room hire",
        "tenure_sought": "long_lease"}, "2026-03-20")  # fmt: skip
    pass_eoi(db, officer, case_id, "2026-04-01")
    step(db, case_id, "submit_business_case", member, {"business_case_received_on": "2026-04-20",
         "business_plan": "Plan", "funding": "Lottery", "governance": "Board of 9"}, "2026-04-20")  # fmt: skip
    return case_id


def advertise(db: Database, officer: Actor, case_id: uuid.UUID, *, open_space: bool = False) -> None:
    """Check the asset and advertise the window on 10 March, unless the application joined one already open."""
    if case_summary(db, case_id).state == "eoi_invited":  # the policy advertises once per asset
        return
    step(db, case_id, "check_suitability", officer, {"checked_on": "2026-03-09", "surplus": True,
         "open_space": open_space}, "2026-03-09")  # fmt: skip
    step(db, case_id, "invite_eoi", officer, {"eoi_invited_on": "2026-03-10"}, "2026-03-10")


NORWICH_EOI = tuple(load("cat_norwich_style")["eoi_criteria"])


def pass_eoi(db: Database, officer: Actor, case_id: uuid.UUID, day: str, *, unmet: str | None = None) -> None:
    """The expression of interest assessed against each of the policy's criteria: all met, or all but `unmet`."""
    verdicts = [
        asset_transfers.EoiVerdict(c, c != unmet, "Shown in the expression of interest" if c != unmet else "Not shown")
        for c in NORWICH_EOI
    ]
    asset_transfers.assess_eoi(db, officer, case_id, date.fromisoformat(day), verdicts, now=moment(day))


def score_all(db: Database, s: Setup, case_id: uuid.UUID, scores: dict[str, int]) -> None:
    for assessor in (s.world.officer, s.world.reviewer):
        for criterion, score in scores.items():
            transfer_panel.record_score(db, assessor, case_id, criterion, score, "Seen in the business case",
                                         now=moment("2026-05-01"))  # fmt: skip
    for criterion, score in scores.items():
        transfer_panel.moderate(db, s.world.officer, case_id, criterion, score, now=moment("2026-05-05"))


GOOD = {"benefit": 5, "activities": 4, "suitability": 4, "track_record": 4, "finance": 4, "support": 4}
APPROVE = {"decided_on": "2026-06-01", "decision_body": "Cabinet", "tenure": "long_lease", "reasons": "Best use"}


def test_a_library_is_transferred_on_a_long_lease_after_the_panel_scores_it(db: Database) -> None:
    s = setup(db)
    case_id = to_panel(db, s)
    score_all(db, s, case_id, GOOD)
    step(db, case_id, "recommend", s.world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    recommended = case_summary(db, case_id)
    assert recommended.facts["score_percent"] == "86.00" and recommended.facts["recommend_approval"] is True
    step(db, case_id, "approve", s.world.officer, APPROVE, "2026-06-01")
    step(db, case_id, "begin_pre_completion", s.world.officer, {"pre_completion_started_on": "2026-06-02"},
         "2026-06-02")  # fmt: skip
    step(db, case_id, "agree_heads_of_terms", s.world.officer, {"heads_agreed_on": "2026-06-20",
         "heads_summary": "35 years at a peppercorn"}, "2026-06-20")  # fmt: skip
    step(db, case_id, "complete", s.world.officer, {"completed_on": "2026-07-10"}, "2026-07-10")

    done = case_summary(db, case_id)
    assert done.state == "monitoring" and done.facts["tenure"] == "long_lease"
    review = done.deadline("annual_review")
    assert review is not None and review.due_date == date(2027, 7, 10) and review.status == "pending"
    assert "Borsetshire District Council's community asset transfer policy (version 1)" in review.basis
    assert "Norwich" not in review.basis and "xample" not in review.basis  # an example's notes are for admins
    eoi_check = done.deadline("eoi_assessment")
    assert eoi_check is not None and eoi_check.due_date == date(2026, 4, 10)  # 3 weeks after 20 March
    assert eoi_check.status == "cancelled"
    assert eoi_check.outcome == "No longer needed: the case moved on to Business case invited"


def test_a_park_goes_from_enquiry_to_the_end_of_its_agreement_and_waits_for_the_advert_and_objections(
    db: Database,
) -> None:
    s = setup(db, name="Ambridge Green", category="park")
    officer, member = s.world.officer, s.world.member
    case_id = asset_transfers.start_application(
        db, member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2),
        proposed_use="Community orchard", tenure_sought="long_lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    advertise(db, officer, case_id, open_space=True)  # T1-T3
    assert case_summary(db, case_id).facts["acv_listed"] is False  # T2 looked the asset up on the register
    step(db, case_id, "submit_eoi", member, {"eoi_received_on": "2026-03-20", "activities": "An orchard and a "
         "picnic lawn", "community_benefit": "Fruit for the food bank", "track_record": "Runs the village hall",
         "running_costs_plan": "Grants and volunteers", "tenure_sought": "long_lease"}, "2026-03-20")  # fmt: skip
    pass_eoi(db, officer, case_id, "2026-04-01")  # T4
    step(
        db,
        case_id,
        "submit_business_case",
        member,
        {
            "business_case_received_on": "2026-04-20",
            "business_plan": "Plan",
            "funding": "Lottery",
            "governance": "Board of 9",
        },
        "2026-04-20",
    )  # T5; fmt: skip
    score_all(db, s, case_id, GOOD)  # T6
    step(db, case_id, "recommend", officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    step(db, case_id, "approve", officer, {k: v for k, v in APPROVE.items() if k != "decision_body"}, "2026-06-01")
    assert case_summary(db, case_id).facts["decision_body"] == "Cabinet, on a report by the head of property services"
    step(db, case_id, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02"}, "2026-06-02")
    heads = {"heads_agreed_on": "2026-07-10", "heads_summary": "125 years at a peppercorn; public access kept"}
    with pytest.raises(GuardFailed, match="open space: advertise the disposal for two consecutive weeks"):
        step(db, case_id, "agree_heads_of_terms", officer, heads, "2026-07-10")

    def advert(first: str, second: str, closes: str) -> dict[str, str]:
        return {"newspaper": "Borchester Echo", "advert_first_published_on": first,
                "advert_second_published_on": second, "objections_close_on": closes}  # fmt: skip

    with pytest.raises(GuardFailed, match="the second 7 to 13 days after the first"):  # a Sunday and the Monday
        step(db, case_id, "record_open_space_advert", officer, advert("2026-06-07", "2026-06-08", "2026-07-31"),
             "2026-06-09")  # fmt: skip
    with pytest.raises(GuardFailed, match="the second 7 to 13 days after the first"):  # a week missed
        step(db, case_id, "record_open_space_advert", officer, advert("2026-06-04", "2026-06-18", "2026-07-31"),
             "2026-06-19")  # fmt: skip
    with pytest.raises(GuardFailed, match="must allow objections until at least Thursday 2 July 2026"):
        step(db, case_id, "record_open_space_advert", officer, advert("2026-06-04", "2026-06-11", "2026-07-01"),
             "2026-06-12")  # fmt: skip
    step(db, case_id, "record_open_space_advert", officer, advert("2026-06-04", "2026-06-11", "2026-07-02"),
         "2026-06-12")  # fmt: skip
    closes = case_summary(db, case_id).deadline("objections")
    assert closes is not None and closes.due_date == date(2026, 7, 2) and closes.basis == "LGA 1972 s.123(2A)"
    objections = {"objections_summary": "Two objections about dog walking; access kept"}
    with pytest.raises(GuardFailed, match="Objections may be made until the end of Thursday 2 July 2026"):
        step(db, case_id, "record_objections", officer, {**objections, "objections_considered_on": "2026-07-02"},
             "2026-07-02")  # fmt: skip
    step(db, case_id, "record_objections", officer, {**objections, "objections_considered_on": "2026-07-06"},
         "2026-07-06")  # fmt: skip
    step(db, case_id, "agree_heads_of_terms", officer, heads, "2026-07-10")  # T9
    step(db, case_id, "complete", officer, {"completed_on": "2026-07-20"}, "2026-07-20")
    step(
        db,
        case_id,
        "record_annual_review",
        officer,
        {"reviewed_on": "2027-07-15", "review_notes": "Orchard planted; open every day"},
        "2027-07-15",
    )  # T10; fmt: skip
    review = case_summary(db, case_id).deadline("annual_review")
    assert review is not None and review.due_date == date(2028, 7, 15)
    step(db, case_id, "end_agreement", officer, {"ended_on": "2028-03-01", "reasons": "Lease surrendered"},
         "2028-03-01")  # fmt: skip
    ended = case_summary(db, case_id)
    assert ended.state == "ended"
    assert [e.trigger for e in ended.events if e.kind == "transition"] == [
        "enquire", "check_suitability", "invite_eoi", "submit_eoi", "pass_eoi", "submit_business_case", "recommend",
        "approve", "begin_pre_completion", "record_open_space_advert", "record_objections", "agree_heads_of_terms",
        "complete", "record_annual_review", "end_agreement",
    ]  # fmt: skip


def test_a_listed_hall_going_to_a_body_that_is_not_a_cig_waits_for_the_moratorium(db: Database) -> None:
    world = make_world(db)
    policies.publish(db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1))
    listing = nominate_pub(db, world, name="Ambridge Village Hall")
    apply_transition(db, listing, "consider", world.officer, now=moment("2026-03-03"))
    apply_transition(db, listing, "list", world.officer, {"decided_on": "2026-03-20", "entry_date": "2026-03-20",
                     "inclusion_notice_given_on": "2026-03-20", "community_value_basis": "current_use",
                     "reasons": "Hall for the whole village"}, now=moment("2026-03-20"))  # fmt: skip
    hall = case_summary(db, listing).asset_id
    assert hall is not None
    offered = asset_transfers.offer_asset(  # the council owns the listed hall and offers it for transfer
        db, world.officer, AssetDetails(name="Ambridge Village Hall", address="1 High Street", uprn="100012345678")
    )
    assert offered == hall
    club = organisations.register_organisation(
        db, world.council_id,
        OrganisationDetails(name="Ambridge Drama Club", body_type=BodyType.UNINCORPORATED, individual_members=30,
                            local_elector_members=25, activity_areas=("BDC",), surplus_areas=("BDC",)),
        founder=world.member.user_id,
    )  # fmt: skip
    s = Setup(world, hall)
    member = member_of_all(db, world)
    case_id = to_panel(db, s, group=club, member=member)
    score_all(db, s, case_id, GOOD)
    step(db, case_id, "recommend", world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    step(db, case_id, "approve", world.officer, APPROVE, "2026-06-01")  # a 35-year lease: a relevant disposal
    approved = case_summary(db, case_id).facts
    assert approved["moratorium_required"] is True and approved["transferee_is_cig"] is False

    with pytest.raises(GuardFailed, match="record the date the council gave itself notice"):
        step(db, case_id, "begin_pre_completion", world.officer, {"pre_completion_started_on": "2026-06-02"},
             "2026-06-02")  # fmt: skip
    step(db, case_id, "begin_pre_completion", world.officer, {"pre_completion_started_on": "2026-06-02",
         "council_notice_on": "2026-06-02"}, "2026-06-02")  # fmt: skip
    cycle = case_summary(db, reference=case_summary(db, case_id).facts["moratorium_reference"])
    assert cycle.workflow == "moratorium" and cycle.state == "interim_moratorium"
    interim = cycle.deadline("interim_end")
    assert interim is not None and interim.due_date == date(2026, 7, 13)
    step(db, case_id, "agree_heads_of_terms", world.officer, {"heads_agreed_on": "2026-06-20",
         "heads_summary": "35 years at a peppercorn"}, "2026-06-20")  # fmt: skip
    with pytest.raises(GuardFailed, match=rf"must wait for the moratorium \({cycle.reference}\).*Monday 13 July 2026"):
        step(db, case_id, "complete", world.officer, {"completed_on": "2026-07-01"}, "2026-07-01")

    deadlines.sweep(db, now=moment("2026-07-14", 1))  # no group asked to bid: the owner (the council) is free
    assert case_summary(db, cycle.id).state == "owner_free"
    step(db, case_id, "complete", world.officer, {"completed_on": "2026-07-20"}, "2026-07-20")
    assert case_summary(db, case_id).state == "monitoring"
    assert case_summary(db, cycle.id).state == "disposed"
    assert case_summary(db, listing).state == "removed"  # reg.2(b): a relevant disposal ends the listing


def test_equal_scores_need_reasons_and_a_failed_gate_cannot_be_approved(db: Database) -> None:
    s = setup(db)
    rivals = organisations.register_organisation(
        db, s.world.council_id,
        OrganisationDetails(name="Ambridge Readers", body_type=BodyType.CHARITY, activity_areas=("BDC",)),
        founder=s.world.member.user_id,
    )  # fmt: skip
    third = organisations.register_organisation(
        db, s.world.council_id,
        OrganisationDetails(name="Loxley Lenders", body_type=BodyType.CHARITY, activity_areas=("BDC",)),
        founder=s.world.member.user_id,
    )  # fmt: skip
    member = member_of_all(db, s.world)
    first, second, gated = (to_panel(db, s, group=g, member=member) for g in (s.world.group_id, rivals, third))
    score_all(db, s, first, GOOD)
    score_all(db, s, second, GOOD)
    score_all(db, s, gated, {**GOOD, "finance": 2})
    for case_id in (first, second, gated):
        step(db, case_id, "recommend", s.world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")

    tied_with = case_summary(db, second).reference
    with pytest.raises(GuardFailed, match=f"scored the same as {tied_with}"):
        step(db, first, "approve", s.world.officer, APPROVE, "2026-06-01")
    step(db, first, "approve", s.world.officer, {**APPROVE, "ranking_reasons": "Longer opening hours",
         "rivals_outcome": "reserve"}, "2026-06-01")  # fmt: skip
    with pytest.raises(GuardFailed, match="Another application for this asset has already been approved"):
        step(db, second, "approve", s.world.officer, {**APPROVE, "ranking_reasons": "x", "rivals_outcome": "reserve"},
             "2026-06-01")  # fmt: skip
    with pytest.raises(GuardFailed, match="Gate not passed: Financing the running costs scored 2"):
        step(db, gated, "approve", s.world.officer, APPROVE, "2026-06-01")
    step(db, gated, "refuse", s.world.officer, {"decided_on": "2026-06-01", "reasons": "Failed the finance gate"},
         "2026-06-01")  # fmt: skip
    assert case_summary(db, gated).state == "refused"


def test_an_assessor_with_an_interest_cannot_score_and_their_scores_are_withdrawn(db: Database) -> None:
    s = setup(db)
    case_id = to_panel(db, s)
    transfer_panel.record_score(db, s.world.reviewer, case_id, "benefit", 5, "Strong", now=moment("2026-05-01"))
    transfer_panel.declare_conflict(db, s.world.reviewer, case_id, "My sister chairs the group")
    with pytest.raises(PermissionDenied, match="You have an interest in this application"):
        transfer_panel.record_score(db, s.world.reviewer, case_id, "benefit", 5, "Strong")
    with db.reader() as session:
        assert session.scalar(select(func.count()).select_from(AssessorScore)) == 0
    transfer_panel.record_score(db, s.world.officer, case_id, "benefit", 4, "Good")
    with pytest.raises(InvalidInput, match="differs from the assessors' median of 4"):
        transfer_panel.moderate(db, s.world.officer, case_id, "benefit", 2)
    with pytest.raises(GuardFailed, match="The panel has not finished scoring"):
        step(db, case_id, "recommend", s.world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")


def test_a_new_policy_version_applies_to_new_cases_and_leaves_running_ones_alone(db: Database) -> None:
    s = setup(db)
    running = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    faster = load("cat_norwich_style")
    faster["periods"] = {**faster["periods"], "enquiry_reply": {"length": 10, "unit": "working_days"}}
    published = policies.publish(db, SYSTEM, "BDC", "asset_transfer", faster, effective_from=date(2026, 3, 3))
    assert published.version == 2
    fresh = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 4), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-04"),
    ).case_id  # fmt: skip
    old, new = case_summary(db, running).deadline("enquiry_reply"), case_summary(db, fresh).deadline("enquiry_reply")
    assert old is not None and old.due_date == date(2026, 4, 2)  # 1 month after 2 March, version 1
    assert new is not None and new.due_date == date(2026, 3, 18)  # 10 working days after 4 March, version 2
    assert [(v.version, v.cases) for v in policies.versions(db, "BDC", "asset_transfer")] == [(2, 1), (1, 1)]


def test_a_business_case_that_never_arrives_lapses_when_the_sweeper_passes(db: Database) -> None:
    s = setup(db)
    case_id = to_panel(db, s)
    with db.transaction() as session:
        session.get_one(Case, case_id).state = "business_case_invited"
    step(db, case_id, "withdraw", s.world.member, {"withdrawal_reasons": "Changed our minds"}, "2026-04-21")
    assert case_summary(db, case_id).state == "withdrawn"

    other = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    officer = s.world.officer
    advertise(db, officer, other)
    step(db, other, "submit_eoi", s.world.member, {
        "eoi_received_on": "2026-03-20", "activities": "a", "community_benefit": "b", "track_record": "c",
        "running_costs_plan": "d", "tenure_sought": "lease"}, "2026-03-20")  # fmt: skip
    pass_eoi(db, officer, other, "2026-04-01")
    due = case_summary(db, other).deadline("business_case")
    assert due is not None and due.due_date == date(2026, 4, 29)
    report = deadlines.sweep(db, now=moment("2026-04-30", 1))
    assert report.fired >= 1 and case_summary(db, other).state == "lapsed"


def test_an_assessor_with_an_interest_cannot_agree_the_scores_either(db: Database) -> None:
    s = setup(db)
    case_id = to_panel(db, s)
    transfer_panel.record_score(db, s.world.officer, case_id, "benefit", 4, "Good", now=moment("2026-05-01"))
    transfer_panel.declare_conflict(db, s.world.reviewer, case_id, "I chair the group's board")
    with pytest.raises(PermissionDenied, match="You have an interest in this application"):
        transfer_panel.moderate(db, s.world.reviewer, case_id, "benefit", 4)


def test_completion_checks_the_list_again_so_land_listed_after_approval_waits_for_a_moratorium(db: Database) -> None:
    s = setup(db, name="The Bull")
    club = organisations.register_organisation(
        db, s.world.council_id,
        OrganisationDetails(name="Ambridge Drama Club", body_type=BodyType.UNINCORPORATED, individual_members=30,
                            local_elector_members=25, activity_areas=("BDC",), surplus_areas=("BDC",)),
        founder=s.world.member.user_id,
    )  # fmt: skip
    case_id = to_panel(db, s, group=club, member=member_of_all(db, s.world))  # not a community interest group
    score_all(db, s, case_id, GOOD)
    step(db, case_id, "recommend", s.world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    step(db, case_id, "approve", s.world.officer, APPROVE, "2026-06-01")
    assert case_summary(db, case_id).facts["moratorium_required"] is False  # not listed when approved
    step(db, case_id, "begin_pre_completion", s.world.officer, {"pre_completion_started_on": "2026-06-02"},
         "2026-06-02")  # fmt: skip
    step(db, case_id, "agree_heads_of_terms", s.world.officer, {"heads_agreed_on": "2026-06-20",
         "heads_summary": "35 years"}, "2026-06-20")  # fmt: skip
    with db.transaction() as session:  # meanwhile a nomination succeeds: the land is now on the list
        listing = open_case(
            session, session.get_one(Council, s.world.council_id), "acv_listing", SYSTEM, now=moment("2026-06-21"),
            asset_id=s.asset,
        )  # fmt: skip
        listing.state = "listed"
    with pytest.raises(GuardFailed, match="no notice of this disposal has been given"):
        step(db, case_id, "complete", s.world.officer, {"completed_on": "2026-07-01"}, "2026-07-01")


def test_an_assessment_with_long_reasons_for_every_criterion_is_recorded_whole(db: Database) -> None:
    s = setup(db)
    officer, member = s.world.officer, s.world.member
    case_id = asset_transfers.start_application(
        db, member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="A library",
        tenure_sought="long_lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    advertise(db, officer, case_id)
    step(db, case_id, "submit_eoi", member, {"eoi_received_on": "2026-03-20", "activities": "Lending",
         "community_benefit": "Literacy", "track_record": "A hall", "running_costs_plan": "Grants",
         "tenure_sought": "long_lease"}, "2026-03-20")  # fmt: skip
    verdicts = [asset_transfers.EoiVerdict(c, True, f"{c}:" + " shown at length." * 60) for c in NORWICH_EOI]
    asset_transfers.assess_eoi(db, officer, case_id, date(2026, 4, 1), verdicts, now=moment("2026-04-01"))
    assessed = case_summary(db, case_id)
    assert assessed.state == "business_case_invited"
    assert [row["reasons"] for row in assessed.facts["eoi_assessment"]] == [v.reasons for v in verdicts]
