"""Scottish asset transfer requests and the English right to challenge, end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from casework.actors import SYSTEM, Actor
from casework.assets import AssetDetails
from casework.db import Database
from casework.errors import Conflict
from casework.examples import load
from casework.models import Case, OutboxMessage
from casework.queries import case_summary
from casework.services import accounts, asset_transfers, challenges, councils, deadlines, organisations, policies
from casework.services import transfer_requests as requests
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import apply_transition
from casework.services.organisations import OrganisationDetails
from tests.factories import World, make_world
from workflows.eligibility import BodyType
from workflows.errors import GuardFailed, InvalidData
from workflows.periods import compute, get_rule
from workflows.periods.calendars import CalendarKind
from workflows.roles import Role

pytestmark = pytest.mark.integration


def moment(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour)


def case_count(db: Database) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


# Scotland -------------------------------------------------------------------------------------------------------

CONSTITUTION = {
    "defines_community": True,
    "majority_of_members_from_community": True,
    "members_from_community_control": True,
    "membership_open_to_community": True,
    "aims_include_community_benefit": True,
    "surplus_applied_for_community": True,
}
REQUEST = {
    "request_received_on": "2026-02-02",
    "request_type": "ownership",
    "land_description": "The old school and its playground",
    "reasons": "To run a community hub",
    "benefits": "A place to meet in a village with none",
    "price_or_terms": "£10,000",
    "proposed_use": "Community hub and café",
    "funding": "Scottish Land Fund grant",
    "community_support": "A ballot: 78% in favour",
}


def scotland(db: Database, *, body_type: BodyType = BodyType.SCIO, members: int = 40) -> tuple[Actor, Actor, uuid.UUID]:
    """A Scottish council with an officer, a community-controlled SCIO with a member, and the old school."""
    council = councils.create_council(db, "GLN", "Glenbogle Council", nation="scotland")
    officer_id = accounts.create_user(
        db, "officer@gln.example.gov.scot", "Fiona Officer", grants=(RoleGrant(Role.OFFICER, council_code="GLN"),)
    )
    member_id = accounts.create_user(db, "chair@glenbogle.example.org", "Hamish Chair")
    organisations.register_organisation(
        db, council,
        OrganisationDetails(name="Glenbogle Community Trust", body_type=body_type, individual_members=members,
                            activity_areas=("GLN",), details={"constitution": CONSTITUTION}),
        founder=member_id,
    )  # fmt: skip
    officer = accounts.actor_for(db, officer_id, Role.OFFICER, "GLN")
    member = accounts.actor_for(db, member_id, Role.COMMUNITY_MEMBER)
    school = asset_transfers.offer_asset(db, officer, AssetDetails(name="Old School", address="Glenbogle"))
    return officer, member, school


def request(db: Database, member: Actor, school: uuid.UUID, **changes: Any) -> uuid.UUID:
    (group,) = member.organisation_ids
    return requests.make_request(db, member, school, group, {**REQUEST, **changes}, now=moment("2026-02-02")).case_id


def test_a_scottish_request_runs_on_scotlands_calendar_where_good_friday_is_a_working_day(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = request(db, member, school)
    assert case_summary(db, case_id).state == "received"
    apply_transition(db, case_id, "request_missing", officer, {"incomplete_notice_on": "2026-02-10",
                     "missing_items": "A copy of the constitution"}, now=moment("2026-02-10"))  # fmt: skip
    apply_transition(db, case_id, "validate", officer, {"validation_date": "2026-03-16",
                     "acknowledged_on": "2026-03-17"}, now=moment("2026-03-17"))  # fmt: skip
    decision = case_summary(db, case_id).deadline("decision")
    assert decision is not None and decision.due_date == date(2026, 9, 15)  # 6 months beginning with V

    too_short = {"notice_published_on": "2026-03-23", "representations_close_on": "2026-04-17"}
    with pytest.raises(GuardFailed, match="must end no earlier than Monday 20 April 2026"):
        apply_transition(db, case_id, "publish", officer, too_short, now=moment("2026-03-23"))
    apply_transition(db, case_id, "publish", officer, {**too_short, "representations_close_on": "2026-04-20"},
                     now=moment("2026-03-23"))  # fmt: skip
    closes = case_summary(db, case_id).deadline("representations")
    assert closes is not None and closes.due_date == date(2026, 4, 20)
    rule = get_rule("scotland.atr_representations")
    assert rule.calendar is CalendarKind.SCOTLAND_ATR_WORKING_DAYS
    in_england = replace(rule, calendar=CalendarKind.ENGLAND_AND_WALES_WORKING_DAYS)
    assert compute(in_england, date(2026, 3, 23)).due == date(2026, 4, 22)  # Good Friday, Easter Monday skipped

    with pytest.raises(GuardFailed, match="The period for representations has not ended yet"):
        apply_transition(db, case_id, "send_representations", officer, {"representations_sent_on": "2026-04-20",
                         "representations_summary": "x"}, now=moment("2026-04-20"))  # fmt: skip
    apply_transition(db, case_id, "send_representations", officer, {"representations_sent_on": "2026-04-21",
                     "representations_summary": "Two letters of support"}, now=moment("2026-04-21"))  # fmt: skip
    comments = case_summary(db, case_id).deadline("comments")
    assert comments is not None and comments.due_date == date(2026, 5, 19)
    agreed = {"decided_on": "2026-05-20", "decision_notice_on": "2026-05-20", "terms": "£10,000; community use",
              "offer_period_ends_on": "2026-11-19", "applicant_commented": True}  # fmt: skip
    with pytest.raises(GuardFailed, match="The offer period must end no earlier than Thursday 19 November 2026"):
        apply_transition(db, case_id, "agree", officer, {**agreed, "offer_period_ends_on": "2026-11-18"},
                         now=moment("2026-05-20"))  # fmt: skip
    apply_transition(db, case_id, "agree", officer, agreed, now=moment("2026-05-20"))
    apply_transition(
        db, case_id, "submit_offer", member, {"offer_submitted_on": "2026-06-01"}, now=moment("2026-06-01")
    )
    contract = case_summary(db, case_id).deadline("contract")
    assert contract is not None and contract.due_date == date(2026, 11, 30)
    apply_transition(db, case_id, "conclude", officer, {"contract_concluded_on": "2026-09-01"},
                     now=moment("2026-09-01"))  # fmt: skip
    assert case_summary(db, case_id).state == "transferred"


def test_only_the_bodies_the_act_names_may_ask_to_buy_and_nothing_is_written_when_refused(db: Database) -> None:
    _, member, school = scotland(db, body_type=BodyType.UNINCORPORATED)
    with pytest.raises(GuardFailed, match="may ask for a lease or other rights, but not to buy"):
        request(db, member, school)
    assert case_count(db) == 0
    lease = request(db, member, school, request_type="lease", price_or_terms="25 years at £1 a year")
    assert case_summary(db, lease).state == "received"


def test_an_english_council_is_told_the_scottish_act_does_not_apply(db: Database) -> None:
    world = make_world(db)
    library = asset_transfers.offer_asset(db, world.officer, AssetDetails(name="Library", address="Ambridge"))
    with pytest.raises(Conflict, match="Borsetshire District Council is in England"):
        requests.make_request(db, world.member, library, world.group_id, REQUEST)


def test_a_refusal_nobody_asks_to_review_closes_when_the_window_ends(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = request(db, member, school)
    validated = {"validation_date": "2026-02-02", "acknowledged_on": "2026-02-03"}
    apply_transition(db, case_id, "validate", officer, validated, now=moment("2026-02-03"))
    apply_transition(db, case_id, "publish", officer, {"notice_published_on": "2026-02-04",
                     "representations_close_on": "2026-03-06"}, now=moment("2026-02-04"))  # fmt: skip
    refused = {
        "decided_on": "2026-03-16",
        "decision_notice_on": "2026-03-16",
        "reasons": "The school is needed for a nursery",
        "representations_received": False,
    }
    apply_transition(db, case_id, "refuse", officer, refused, now=moment("2026-03-16"))
    window = case_summary(db, case_id).deadline("review_request")
    assert window is not None and window.due_date == date(2026, 4, 10)  # 20 working days beginning with 16 March
    deadlines.sweep(db, now=moment("2026-04-11", 1))
    assert case_summary(db, case_id).state == "closed_refused"


# Right to challenge ---------------------------------------------------------------------------------------------

EOI = {
    "geographical_area": "Ambridge and Loxley",
    "financial_resources": "Reserves of £40,000; a grant offer of £25,000",
    "capability_evidence": "We have run the mobile library for three years",
    "outcomes_wellbeing": "Longer opening hours and a homework club",
    "outcomes_user_needs": "Home delivery for housebound readers",
}


def challenge_world(db: Database) -> World:
    world = make_world(db)
    policies.publish(db, SYSTEM, "BDC", "challenge", load("challenge"), effective_from=date(2026, 1, 1))
    return world


def express(db: Database, world: World, service: str, received: str, **extra: Any) -> uuid.UUID:
    data = {**EOI, "service": service, "eoi_received_on": received, **extra}
    return challenges.express_interest(db, world.member, "BDC", world.group_id, data, now=moment(received)).case_id


def test_an_expression_of_interest_outside_the_window_is_refused_with_the_reason_and_nothing_is_written(
    db: Database,
) -> None:
    world = challenge_world(db)
    with pytest.raises(GuardFailed) as refused:
        express(db, world, "libraries", "2026-06-12")
    assert "only in its published window (1 March to 30 April)" in str(refused.value)
    assert "The next window opens on Monday 1 March 2027 (LA 2011 s.82(4))" in str(refused.value)
    assert case_count(db) == 0


def test_one_in_the_window_is_answered_30_days_after_the_window_closes_and_decided_by_the_published_maximum(
    db: Database,
) -> None:
    world = challenge_world(db)
    case_id = express(db, world, "libraries", "2026-04-10")
    case = case_summary(db, case_id)
    notice, decision = case.deadline("decision_period_notice"), case.deadline("decision_due")
    assert notice is not None and notice.due_date == date(2026, 5, 30) and notice.rule.endswith("_window")
    assert decision is not None and decision.due_date == date(2026, 7, 10)
    assert decision.basis == (
        "Borsetshire District Council's community right to challenge policy (version 1): "
        "published maximum period (LA 2011 s.84(3))"
    )  # an example policy's own title is for admins
    anytime = case_summary(db, express(db, world, "parks", "2026-06-12")).deadline("decision_period_notice")
    assert anytime is not None and anytime.due_date == date(2026, 7, 11)  # 30 days beginning with receipt

    apply_transition(db, case_id, "notify_decision_period", world.officer, {"decision_period_notified_on": "2026-04-20",
                     "expected_decision_by": "2026-07-01"}, now=moment("2026-04-20"))  # fmt: skip
    apply_transition(db, case_id, "accept", world.officer, {"decided_on": "2026-06-01",
                     "decision_notified_on": "2026-06-02"}, now=moment("2026-06-02"))  # fmt: skip
    with pytest.raises(GuardFailed, match="cannot start before Wednesday 1 July 2026"):
        apply_transition(db, case_id, "start_procurement", world.officer, {"procurement_started_on": "2026-06-15",
                         "procurement_route": "Open procedure"}, now=moment("2026-06-15"))  # fmt: skip
    apply_transition(db, case_id, "start_procurement", world.officer, {"procurement_started_on": "2026-07-06",
                     "procurement_route": "Open procedure"}, now=moment("2026-07-06"))  # fmt: skip
    assert case_summary(db, case_id).state == "procurement"
    with db.reader() as session:
        topics = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.case_id == case_id)).all()
    assert {"challenge_received", "challenge_decision_period", "challenge_accepted", "challenge_procurement"} <= {
        str(p.get("template")) for p in topics
    }


def test_one_is_rejected_only_on_a_statutory_ground_with_reasons(db: Database) -> None:
    world = challenge_world(db)
    case_id = express(db, world, "youth", "2026-03-05")
    with pytest.raises(InvalidData, match="ground for rejecting it"):
        apply_transition(db, case_id, "reject", world.officer, {"decided_on": "2026-04-01",
                         "decision_notified_on": "2026-04-01", "ground": "we_dont_like_it", "reasons": "r"},
                         now=moment("2026-04-01"))  # fmt: skip
    apply_transition(db, case_id, "reject", world.officer, {"decided_on": "2026-04-01",
                     "decision_notified_on": "2026-04-01", "ground": "already_procuring",
                     "reasons": "Youth services went out to tender in January"}, now=moment("2026-04-01"))  # fmt: skip
    rejected = case_summary(db, case_id)
    assert rejected.state == "rejected" and rejected.facts["ground"] == "already_procuring"


def test_an_employee_group_may_challenge_only_its_own_council(db: Database) -> None:
    world = challenge_world(db)
    assert world.member.user_id is not None
    staff = organisations.register_organisation(
        db, world.council_id,
        OrganisationDetails(name="Felpersham Library Staff", body_type=BodyType.EMPLOYEE_GROUP, individual_members=6,
                            details={"employer": "BDN"}),
        founder=world.member.user_id,
    )  # fmt: skip
    member = accounts.actor_for(db, world.member.user_id, Role.COMMUNITY_MEMBER)
    data = {**EOI, "service": "libraries", "eoi_received_on": "2026-03-05", "employee_engagement": "Staff meetings"}
    with pytest.raises(GuardFailed, match="employees of the council it challenges"):
        challenges.express_interest(db, member, "BDC", staff, data, now=moment("2026-03-05"))


def test_a_body_cannot_backdate_its_offer_the_day_it_acts_is_the_day_recorded(db: Database) -> None:
    _officer, member, school = scotland(db)
    case_id = request(db, member, school)
    with db.transaction() as session:  # straight to the offer period; the stages before are tested above
        case = session.get_one(Case, case_id)
        case.state = "agreed"
        case.facts = {**case.facts, "offer_period_ends_on": "2026-08-31"}
    apply_transition(
        db, case_id, "submit_offer", member, {"offer_submitted_on": "2026-03-01"}, now=moment("2026-06-10")
    )
    assert case_summary(db, case_id).facts["offer_submitted_on"] == "2026-06-10"


def test_an_officer_may_record_that_the_council_will_consider_a_late_expression_of_interest(db: Database) -> None:
    world = challenge_world(db)
    data = {**EOI, "service": "libraries", "eoi_received_on": "2026-06-12"}
    with pytest.raises(GuardFailed, match="only in its published window"):
        challenges.express_interest(db, world.officer, "BDC", world.group_id, data, now=moment("2026-06-12"))
    considered = challenges.express_interest(
        db, world.officer, "BDC", world.group_id, {**data, "consider_outside_window": True}, now=moment("2026-06-12")
    )
    assert case_summary(db, considered.case_id).state == "eoi_received"
    with pytest.raises(GuardFailed, match="only in its published window"):  # a group cannot choose for the council
        challenges.express_interest(
            db, world.member, "BDC", world.group_id, {**data, "consider_outside_window": True}, now=moment("2026-06-12")
        )


def test_a_group_of_the_councils_own_employees_may_challenge_once_it_says_how_it_will_engage_the_others(
    db: Database,
) -> None:
    world = challenge_world(db)
    assert world.member.user_id is not None
    staff = organisations.register_organisation(
        db, world.council_id,
        OrganisationDetails(name="Borsetshire Library Staff Mutual", body_type=BodyType.EMPLOYEE_GROUP,
                            individual_members=6, details={"employer": "BDC"}),
        founder=world.member.user_id,
    )  # fmt: skip
    member = accounts.actor_for(db, world.member.user_id, Role.COMMUNITY_MEMBER)
    data = {**EOI, "service": "libraries", "eoi_received_on": "2026-03-05"}
    with pytest.raises(GuardFailed, match="must say how it will engage the other employees affected"):
        challenges.express_interest(db, member, "BDC", staff, data, now=moment("2026-03-05"))
    assert case_count(db) == 0
    engaged = {**data, "employee_engagement": "Monthly staff meetings and a ballot before any bid"}
    case_id = challenges.express_interest(db, member, "BDC", staff, engaged, now=moment("2026-03-05")).case_id
    received = case_summary(db, case_id)
    assert received.state == "eoi_received" and received.facts["employee_engagement"].startswith("Monthly")
    notice = received.deadline("decision_period_notice")
    assert notice is not None and notice.due_date == date(2026, 5, 30)  # 30 days after the window closes


def test_an_expression_of_interest_is_accepted_as_modified_only_with_the_groups_agreement(db: Database) -> None:
    world = challenge_world(db)
    case_id = express(db, world, "parks", "2026-06-12")
    apply_transition(db, case_id, "propose_modification", world.officer, {"modification_proposed_on": "2026-06-20",
                     "proposed_modification": "Run the parks with the council's tree team; the group's plan left "
                     "tree work out, so it could not be accepted as it stood"}, now=moment("2026-06-20"))  # fmt: skip
    modified = {"decided_on": "2026-07-01", "decision_notified_on": "2026-07-02", "modification": "Tree work "
                "shared with the council's team", "reasons": "The plan left tree safety out"}  # fmt: skip
    with pytest.raises(GuardFailed, match="only with the group's agreement"):
        apply_transition(db, case_id, "accept_modified", world.officer, {**modified, "body_agreed_modification": "no"},
                         now=moment("2026-07-02"))  # fmt: skip
    apply_transition(db, case_id, "accept_modified", world.officer, {**modified, "body_agreed_modification": "yes"},
                     now=moment("2026-07-02"))  # fmt: skip
    accepted = case_summary(db, case_id)
    assert accepted.state == "accepted" and accepted.facts["modification"].startswith("Tree work")
    earliest, latest = accepted.deadline("procurement_earliest"), accepted.deadline("procurement_latest")
    assert earliest is not None and earliest.due_date == date(2026, 8, 1)  # the published minimum: 1 month
    assert latest is not None and latest.due_date == date(2027, 1, 1)  # and maximum: 6 months
    with db.reader() as session:
        sent = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.case_id == case_id)).all()
    assert {"challenge_modification", "challenge_accepted"} <= {str(p.get("template")) for p in sent}
