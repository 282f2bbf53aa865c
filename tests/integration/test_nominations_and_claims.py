"""A group's draft nomination, checked before it is sent; and an owner's compensation claim from claim to close."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from casework.db import Database
from casework.errors import Conflict, PermissionDenied
from casework.models import AssetParty, Case, CaseLink, Organisation
from casework.queries import case_summary
from casework.queries.queue import work_queue
from casework.queries.queue_selection import QueueFilters
from casework.services import accounts, compensation, deadlines, nominations
from casework.services.case_transitions import apply_transition
from tests.conftest import T0
from tests.factories import World, list_pub, make_world, nominate_pub, pub_nomination
from workflows.errors import GuardFailed
from workflows.roles import Role

pytestmark = pytest.mark.integration


def test_a_draft_is_saved_checked_completed_and_submitted(db: Database) -> None:
    world = make_world(db)
    incomplete = replace(pub_nomination(), reasons="", eligibility_evidence="")
    case_id = nominations.save_draft(db, world.member, world.council_id, world.group_id, incomplete, now=T0)

    check = nominations.check(db, case_id)
    assert check.nominator.ok
    assert check.land.ok
    assert check.missing == (
        "the reasons for thinking the land is of community value",
        "evidence that the group is eligible to nominate",
    )
    with pytest.raises(GuardFailed, match="The nomination is missing: the reasons for thinking"):
        nominations.submit(db, world.member, case_id, now=T0)
    assert case_summary(db, case_id).state == "draft"

    nominations.save_draft(
        db,
        world.member,
        world.council_id,
        world.group_id,
        pub_nomination(),
        case_id=case_id,
        now=T0 + timedelta(hours=1),
    )
    result = nominations.submit(db, world.member, case_id, now=T0 + timedelta(hours=2))
    summary = case_summary(db, case_id)
    assert result.state == summary.state == "nomination_received"
    assert summary.facts["nomination_received_on"] == "2026-03-02"  # received on the day it was submitted online
    submitted = summary.events[-1]
    assert submitted.data["nominator_check"] == [
        "A company limited by guarantee is a voluntary or community body (reg.5(1))",
        "Its activities concern the council's area or a neighbouring area (reg.4(1)(a))",
        "Its surplus is applied for the benefit of the area (reg.4(1)(b))",
    ]
    with pytest.raises(Conflict, match="can no longer be edited"):
        nominations.save_draft(db, world.member, world.council_id, world.group_id, pub_nomination(), case_id=case_id)


def test_the_group_is_warned_that_a_house_cannot_be_listed(db: Database) -> None:
    world = make_world(db)
    house = replace(pub_nomination(), land=replace(pub_nomination().land, residence=True))
    case_id = nominations.save_draft(db, world.member, world.council_id, world.group_id, house, now=T0)
    verdict = nominations.check(db, case_id).land
    assert not verdict.ok
    assert verdict.reasons == ("A residence and land connected with it cannot be listed (Sch.1 para.1)",)


def test_a_member_cannot_nominate_for_a_group_they_do_not_belong_to(db: Database) -> None:
    world = make_world(db)
    other = make_world(db, code="XDC")
    with pytest.raises(PermissionDenied, match="a group you belong to"):
        nominations.save_draft(db, world.member, world.council_id, other.group_id, pub_nomination(), now=T0)


def test_a_compensation_claim_is_decided_and_waits_when_no_review_is_asked_for_in_time(db: Database) -> None:
    world = make_world(db)
    asset_id = case_summary(db, list_pub(db, world)).asset_id
    assert asset_id is not None
    now = datetime(2026, 7, 1, 10, tzinfo=UTC)
    claim = compensation.submit_claim(
        db,
        world.owner,
        asset_id,
        claim_received_on=date(2026, 7, 1),
        loss_ended_on=date(2026, 4, 30),
        amount_claimed="4200.00",
        claim_parts="Delay in sale: 4200.00 (agent's letter attached)",
        now=now,
    )
    assert claim.state == "claim_received"
    apply_transition(
        db,
        claim.case_id,
        "decide",
        world.officer,
        {
            "decided_on": "2026-07-20",
            "reasons_given_on": "2026-07-20",
            "amount_awarded": "1500",
            "reasons": "Only the delay caused by the moratorium is compensated (reg.14(3)(a))",
        },
        now=now + timedelta(days=19),
    )
    assert case_summary(db, claim.case_id).deadline("review_request_window").due_date == date(2026, 9, 13)  # type: ignore[union-attr]

    deadlines.sweep(db, now=datetime(2026, 9, 14, 0, tzinfo=UTC))

    waiting = case_summary(db, claim.case_id)
    assert waiting.state == "review_time_passed"
    assert waiting.facts["amount_awarded"] == "1500.00"
    assert waiting.deadline("review_request_window").status == "fired"  # type: ignore[union-attr]


def test_a_late_claim_and_a_claim_by_a_public_body_are_refused(db: Database) -> None:
    world = make_world(db)
    asset_id = case_summary(db, list_pub(db, world)).asset_id
    assert asset_id is not None
    late = {
        "claim_received_on": date(2026, 7, 31),
        "loss_ended_on": date(2026, 4, 30),
        "amount_claimed": "10",
        "claim_parts": "x",
    }
    with pytest.raises(GuardFailed, match="by Thursday 30 July 2026"):
        compensation.submit_claim(db, world.owner, asset_id, **late, now=datetime(2026, 8, 1, tzinfo=UTC))
    in_time = {**late, "claim_received_on": date(2026, 7, 30)}
    with pytest.raises(GuardFailed, match="Public bodies, including councils selling their own land"):
        compensation.submit_claim(
            db, world.owner, asset_id, **in_time, claimant_is_public_body=True, now=datetime(2026, 8, 1, tzinfo=UTC)
        )


def _decided_claim(db: Database, world: World) -> uuid.UUID:
    """A claim decided on 20 July 2026, written reasons given that day: a review may be asked for by 13 September."""
    asset_id = case_summary(db, list_pub(db, world)).asset_id
    assert asset_id is not None
    now = datetime(2026, 7, 1, 10, tzinfo=UTC)
    claim = compensation.submit_claim(
        db, world.owner, asset_id, claim_received_on=date(2026, 7, 1), loss_ended_on=date(2026, 4, 30),
        amount_claimed="100", claim_parts="Legal fees: 100", now=now,
    )  # fmt: skip
    decision = {"decided_on": "2026-07-20", "reasons_given_on": "2026-07-20", "amount_awarded": "0", "reasons": "r"}
    apply_transition(db, claim.case_id, "decide", world.officer, decision, now=now + timedelta(days=19))
    return claim.case_id


def _in_work_queue(db: Database, world: World, claim: uuid.UUID) -> bool:
    reference = case_summary(db, claim).reference
    page = work_queue(db, world.officer, QueueFilters(workflow="compensation"), today=date(2026, 10, 6))
    return reference in [row.reference for row in page.rows]


def test_after_the_review_window_closes_a_late_review_request_the_council_allowed_in_writing_is_recorded(
    db: Database,
) -> None:
    world = make_world(db)
    claim = _decided_claim(db, world)
    deadlines.sweep(db, now=datetime(2026, 9, 14, 0, tzinfo=UTC))
    assert case_summary(db, claim).state == "review_time_passed"
    assert not _in_work_queue(db, world, claim)  # nothing is awaited: it leaves the officers' queue

    late = {"review_request_received_on": "2026-09-20"}
    with pytest.raises(GuardFailed, match="on Sunday 20 September 2026 was after the time limit ended on Sunday 13"):
        apply_transition(db, claim, "request_review", world.officer, late, now=datetime(2026, 9, 21, 10, tzinfo=UTC))
    allowed = {**late, "late_request_allowed_in_writing": "yes"}
    apply_transition(db, claim, "request_review", world.officer, allowed, now=datetime(2026, 9, 21, 10, tzinfo=UTC))

    review = case_summary(db, claim)
    assert review.state == "review_requested"
    assert _in_work_queue(db, world, claim)  # the late request opens it again
    assert review.deadline("review_decision_due").due_date == date(2026, 11, 14)  # type: ignore[union-attr]
    assert review.events[-1].data["late_request_allowed_in_writing"] is True


def test_after_the_appeal_window_closes_an_appeal_the_tribunal_let_in_late_is_recorded(db: Database) -> None:
    world = make_world(db)
    claim = _decided_claim(db, world)
    apply_transition(db, claim, "request_review", world.owner, {"review_request_received_on": "2026-08-03"},
                     now=datetime(2026, 8, 3, 10, tzinfo=UTC))  # fmt: skip
    reviewed = {"review_decided_on": "2026-09-01", "review_decision_sent_on": "2026-09-01", "amount_awarded": "0",
                "reasons": "The delay was not caused by the listing"}  # fmt: skip
    apply_transition(db, claim, "decide_review", world.reviewer, reviewed, now=datetime(2026, 9, 1, 10, tzinfo=UTC))
    assert case_summary(db, claim).deadline("tribunal_appeal_window").due_date == date(2026, 9, 29)  # type: ignore[union-attr]
    deadlines.sweep(db, now=datetime(2026, 9, 29, 17, tzinfo=UTC))  # 18:00 in London on the last day
    assert case_summary(db, claim).state == "appeal_time_passed"
    assert not _in_work_queue(db, world, claim)

    late = {"appeal_lodged_on": "2026-10-02"}
    with pytest.raises(GuardFailed, match="after the time limit ended on Tuesday 29 September 2026"):
        apply_transition(db, claim, "appeal", world.owner, late, now=datetime(2026, 10, 5, 10, tzinfo=UTC))
    apply_transition(db, claim, "appeal", world.owner, {**late, "tribunal_extended_time": "yes"},
                     now=datetime(2026, 10, 5, 10, tzinfo=UTC))  # fmt: skip
    assert case_summary(db, claim).state == "appeal_pending"
    assert _in_work_queue(db, world, claim)


def test_an_appeal_received_after_five_pm_on_the_last_day_is_late_and_one_before_is_in_time(db: Database) -> None:
    world = make_world(db)
    claim = _decided_claim(db, world)
    apply_transition(db, claim, "request_review", world.owner, {"review_request_received_on": "2026-08-03"},
                     now=datetime(2026, 8, 3, 10, tzinfo=UTC))  # fmt: skip
    reviewed = {"review_decided_on": "2026-09-01", "review_decision_sent_on": "2026-09-01", "amount_awarded": "0",
                "reasons": "r"}  # fmt: skip
    apply_transition(db, claim, "decide_review", world.reviewer, reviewed, now=datetime(2026, 9, 1, 10, tzinfo=UTC))
    on_the_day = datetime(2026, 9, 29, 17, 30, tzinfo=UTC)  # 18:30 in London, before the sweep

    with pytest.raises(GuardFailed, match="received at 17:10 on the last day, Tuesday 29 September 2026"):
        apply_transition(db, claim, "appeal", world.owner,
                         {"appeal_lodged_on": "2026-09-29", "appeal_lodged_at": "17:10"}, now=on_the_day)  # fmt: skip
    apply_transition(db, claim, "appeal", world.owner, {"appeal_lodged_on": "2026-09-29", "appeal_lodged_at": "16:45"},
                     now=on_the_day)  # fmt: skip
    appealed = case_summary(db, claim)
    assert appealed.state == "appeal_pending"
    assert appealed.facts["appeal_lodged_at"] == "16:45"


def test_compensation_is_refused_for_land_never_listed_and_to_someone_who_never_owned_it(db: Database) -> None:
    world = make_world(db)
    nominated = nominate_pub(db, world)
    rejected = {"decided_on": "2026-03-02", "grounds": "not_of_community_value", "reasons": "Closed since 2019"}
    apply_transition(db, nominated, "reject", world.officer, rejected, now=T0)
    never_listed = case_summary(db, nominated).asset_id
    assert never_listed is not None
    claim = {"claim_received_on": date(2026, 3, 10), "loss_ended_on": date(2026, 3, 1), "amount_claimed": "1000000",
             "claim_parts": "everything"}  # fmt: skip
    stranger = accounts.actor_for(db, accounts.create_user(db, "stranger@example.com", "Stranger", now=T0), Role.OWNER)

    with pytest.raises(GuardFailed) as refused:
        compensation.submit_claim(db, stranger, never_listed, **claim, now=datetime(2026, 3, 10, 10, tzinfo=UTC))
    assert refused.value.reasons == (
        (
            "Compensation can only be claimed for land that is or was on the list of assets of community value: "
            "The Bull has never been listed (ACV Regs reg.14(1))"
        ),
        (
            "Only the owner of the land, or a former owner, can claim compensation: "
            "the council has no record of you owning The Bull (ACV Regs reg.14(1)-(2))"
        ),
    )
    with db.reader() as session:
        assert session.scalars(select(Case).where(Case.workflow == "compensation")).all() == []


def test_a_former_owner_may_claim_for_land_removed_from_the_list_but_not_for_loss_before_it_was_listed(
    db: Database,
) -> None:
    world = make_world(db, code="XDC")
    listing = list_pub(db, world)  # listed on 20 March 2026
    apply_transition(db, listing, "remove", world.officer, {"decided_on": "2026-06-01", "reasons": "Closed"},
                     now=datetime(2026, 6, 1, 10, tzinfo=UTC))  # fmt: skip
    asset_id = case_summary(db, listing).asset_id
    with db.transaction() as session:  # the brewery has since sold the land: the council's record says so
        for party in session.scalars(select(AssetParty).where(AssetParty.asset_id == asset_id)):
            party.current = False
    assert asset_id is not None
    before_listing = {"claim_received_on": date(2026, 6, 10), "loss_ended_on": date(2026, 3, 19),
                      "amount_claimed": "500", "claim_parts": "Legal advice: 500"}  # fmt: skip
    with pytest.raises(GuardFailed, match="first listed on Friday 20 March 2026"):
        compensation.submit_claim(db, world.owner, asset_id, **before_listing, now=datetime(2026, 6, 10, tzinfo=UTC))

    claim = compensation.submit_claim(
        db, world.owner, asset_id, **{**before_listing, "loss_ended_on": date(2026, 5, 29)},
        now=datetime(2026, 6, 10, 10, tzinfo=UTC),
    )  # fmt: skip
    assert claim.state == "claim_received"
    with db.reader() as session:
        link = session.scalars(select(CaseLink).where(CaseLink.case_id == claim.case_id)).one()
    assert (link.kind, link.related_case_id) == ("listing", listing)


def test_land_nominated_by_a_group_that_may_not_nominate_cannot_be_considered_or_listed_only_rejected(
    db: Database,
) -> None:
    world = make_world(db)
    nominated = nominate_pub(db, world)
    with db.transaction() as session:  # the group's record now shows it pays its surplus to its members
        session.get_one(Organisation, world.group_id).distributes_surplus = True

    with pytest.raises(GuardFailed, match=r"Friends of the Bull: A company limited by guarantee must not distribute"):
        apply_transition(db, nominated, "consider", world.officer, now=T0 + timedelta(days=1))
    assert case_summary(db, nominated).state == "nomination_received"
    apply_transition(db, nominated, "reject", world.officer, {
        "decided_on": "2026-03-04", "grounds": "not_a_community_nomination",
        "reasons": "The company distributes its surplus to its members (ACV Regs reg.5(1)(e))"},
        now=T0 + timedelta(days=3))  # fmt: skip
    assert case_summary(db, nominated).state == "unsuccessful"
