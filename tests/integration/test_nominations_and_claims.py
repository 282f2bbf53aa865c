"""A group's draft nomination, checked before it is sent; and an owner's compensation claim from claim to close."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from casework.db import Database
from casework.errors import Conflict, PermissionDenied
from casework.queries import case_summary
from casework.services import compensation, deadlines, nominations
from casework.services.case_transitions import apply_transition
from tests.conftest import T0
from tests.factories import list_pub, make_world, pub_nomination
from workflows.errors import GuardFailed

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


def test_a_compensation_claim_is_decided_and_closes_when_no_review_is_asked_for(db: Database) -> None:
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

    closed = case_summary(db, claim.case_id)
    assert closed.state == "closed"
    assert closed.facts["amount_awarded"] == "1500.00"


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
