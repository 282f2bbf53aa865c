"""Transferring a council's listed land to a body that is not a community interest group, on SQLite and
PostgreSQL, in each position the right-to-bid clocks can be in (LA 2011 s.95; STATUTE.md §3.3-3.4, §4.1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from casework.actors import SYSTEM, Actor
from casework.assets import AssetDetails
from casework.db import Database
from casework.examples import load
from casework.models import Case, Council, RegisterEntry
from casework.queries import case_summary
from casework.services import asset_transfers, deadlines, moratoria, organisations, policies
from casework.services.organisations import OrganisationDetails
from casework.transitions.opening import open_case
from tests.factories import World, list_pub, make_world
from tests.integration.test_asset_transfer import APPROVE, GOOD, Setup, member_of_all, moment, score_all, step, to_panel
from workflows.eligibility import BodyType
from workflows.errors import GuardFailed

pytestmark = pytest.mark.integration

HEADS = {"heads_agreed_on": "2026-06-20", "heads_summary": "35 years at a peppercorn"}


@dataclass
class Hall:
    world: World
    listing: uuid.UUID
    asset: uuid.UUID
    application: uuid.UUID


def approved_hall(db: Database, *, listed_on: date, cig: bool = False) -> Hall:
    """The council's village hall, listed on `listed_on`, approved on 1 June 2026 for a 35-year lease to a drama
    club that is not a community interest group: a relevant disposal that the moratorium governs."""
    world = make_world(db)
    policies.publish(db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2024, 1, 1))
    at = datetime.combine(listed_on, datetime.min.time(), tzinfo=UTC)
    listing = list_pub(db, world, decided_on=listed_on, now=at - timedelta(days=20), name="Ambridge Village Hall")
    hall = case_summary(db, listing).asset_id
    assert hall is not None
    asset_transfers.offer_asset(db, world.officer, AssetDetails(name="Ambridge Village Hall", address="1 High Street",
                                                                uprn="100012345678"))  # fmt: skip
    club = organisations.register_organisation(
        db, world.council_id,
        OrganisationDetails(name="Ambridge Drama Club", body_type=BodyType.UNINCORPORATED, individual_members=30,
                            local_elector_members=25, activity_areas=("BDC",), surplus_areas=("BDC",)),
        founder=world.member.user_id,
    )  # fmt: skip
    transferee = world.group_id if cig else club
    application = to_panel(db, Setup(world, hall), group=transferee, member=member_of_all(db, world))
    score_all(db, Setup(world, hall), application, GOOD)
    step(db, application, "recommend", world.officer, {"recommended_on": "2026-05-06"}, "2026-05-06")
    step(db, application, "approve", world.officer, APPROVE, "2026-06-01")
    assert case_summary(db, application).facts["moratorium_required"] is not cig
    return Hall(world, listing, hall, application)


def earlier_notice(db: Database, officer: Actor, hall: uuid.UUID, received: str) -> uuid.UUID:
    day = date.fromisoformat(received)
    return moratoria.record_owner_notice(
        db, officer, hall, received_on=day, notice_method="email", disposal_type="freehold", vacant_possession=True,
        now=moment(received),
    ).case_id  # fmt: skip


def test_within_an_earlier_protected_period_the_transfer_completes_without_a_new_notice(db: Database) -> None:
    hall = approved_hall(db, listed_on=date(2025, 3, 3))
    officer = hall.world.officer
    earlier = earlier_notice(db, officer, hall.asset, "2025-06-02")
    deadlines.sweep(db, now=moment("2025-07-14", 1))  # nobody asked to bid: the moratorium is over
    assert case_summary(db, earlier).state == "owner_free"

    with pytest.raises(GuardFailed, match="Leave the notice date empty: the moratorium of BDC-MOR-00001 is over"):
        step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02",
             "council_notice_on": "2026-06-02"}, "2026-06-02")  # fmt: skip
    step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02"},
         "2026-06-02")  # fmt: skip
    started = case_summary(db, hall.application).facts
    assert started["moratorium_reference"] == case_summary(db, earlier).reference
    assert (
        "protected period runs until the end of Tuesday 1 December 2026 (LA 2011 s.95(4))"
        in (started["moratorium_basis"])
    )
    step(db, hall.application, "agree_heads_of_terms", officer, HEADS, "2026-06-20")
    step(db, hall.application, "complete", officer, {"completed_on": "2026-07-10"}, "2026-07-10")
    assert case_summary(db, hall.application).state == "monitoring"
    assert case_summary(db, earlier).state == "disposed"  # the disposal the earlier notice allowed
    assert case_summary(db, hall.listing).state == "removed"  # reg.2(b)
    assert case_count(db, "moratorium") == 1  # no second cycle


def test_while_an_earlier_interim_moratorium_runs_the_transfer_waits_for_it(db: Database) -> None:
    hall = approved_hall(db, listed_on=date(2025, 3, 3))
    officer = hall.world.officer
    earlier = earlier_notice(db, officer, hall.asset, "2026-05-20")  # interim ends 30 June
    step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02"},
         "2026-06-02")  # fmt: skip
    step(db, hall.application, "agree_heads_of_terms", officer, HEADS, "2026-06-20")
    reference = case_summary(db, earlier).reference
    with pytest.raises(GuardFailed, match=rf"must wait for the moratorium \({reference}\). It ends on Tuesday 30 June"):
        step(db, hall.application, "complete", officer, {"completed_on": "2026-06-25"}, "2026-06-25")
    deadlines.sweep(db, now=moment("2026-07-01", 1))
    step(db, hall.application, "complete", officer, {"completed_on": "2026-07-02"}, "2026-07-02")
    assert case_summary(db, earlier).state == "disposed" and case_count(db, "moratorium") == 1


def test_when_the_protected_period_runs_out_first_a_new_notice_is_recorded_and_the_transfer_waits_again(
    db: Database,
) -> None:
    hall = approved_hall(db, listed_on=date(2024, 12, 2))
    officer = hall.world.officer
    earlier = earlier_notice(db, officer, hall.asset, "2025-01-10")  # protected period ends 9 July 2026
    deadlines.sweep(db, now=moment("2025-02-21", 1))
    step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02"},
         "2026-06-02")  # fmt: skip
    step(db, hall.application, "agree_heads_of_terms", officer, HEADS, "2026-06-20")
    with pytest.raises(GuardFailed, match="ended on Thursday 9 July 2026, so a new notice is needed"):
        step(db, hall.application, "complete", officer, {"completed_on": "2026-07-15"}, "2026-07-15")
    deadlines.sweep(db, now=moment("2026-07-10", 1))
    assert case_summary(db, earlier).state == "protected_period_ended"
    step(db, hall.application, "give_council_notice", officer, {"council_notice_on": "2026-07-15"}, "2026-07-15")
    cycle = case_summary(db, reference=case_summary(db, hall.application).facts["moratorium_reference"])
    assert cycle.state == "interim_moratorium" and cycle.id != earlier
    with pytest.raises(GuardFailed, match="must wait for the moratorium"):
        step(db, hall.application, "complete", officer, {"completed_on": "2026-07-16"}, "2026-07-16")


def test_a_transfer_to_a_community_interest_group_may_complete_during_the_moratorium_and_ends_it(
    db: Database,
) -> None:
    hall = approved_hall(db, listed_on=date(2025, 3, 3), cig=True)  # Friends of the Bull: a local, non-profit CLG
    officer = hall.world.officer
    assert case_summary(db, hall.application).facts["transferee_is_cig"] is True
    earlier = earlier_notice(db, officer, hall.asset, "2026-05-20")  # interim moratorium until 30 June
    step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02"},
         "2026-06-02")  # fmt: skip
    step(db, hall.application, "agree_heads_of_terms", officer, HEADS, "2026-06-20")
    step(db, hall.application, "complete", officer, {"completed_on": "2026-06-25"}, "2026-06-25")
    assert case_summary(db, hall.application).state == "monitoring"
    assert case_summary(db, earlier).state == "disposed_to_cig"


def test_an_exempt_transfer_needs_no_moratorium_and_the_land_stays_listed(db: Database) -> None:
    hall = approved_hall(db, listed_on=date(2025, 3, 3))
    officer = hall.world.officer
    step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02",
         "moratorium_exemption": "school"}, "2026-06-02")  # fmt: skip
    assert case_summary(db, hall.application).facts["moratorium_required"] is False
    step(db, hall.application, "agree_heads_of_terms", officer, HEADS, "2026-06-20")
    step(db, hall.application, "complete", officer, {"completed_on": "2026-07-01"}, "2026-07-01")
    assert case_summary(db, hall.listing).state == "listed" and case_count(db, "moratorium") == 0
    with db.reader() as session:
        entry = session.scalars(select(RegisterEntry).where(RegisterEntry.case_id == hall.listing)).one()
        assert entry.exempt_disposals[0]["basis"] == "ACV Regs Sch.3 para.14"


def test_a_transfer_cannot_complete_while_an_asset_transfer_request_for_the_land_is_open(db: Database) -> None:
    hall = approved_hall(db, listed_on=date(2025, 3, 3))
    officer = hall.world.officer
    step(db, hall.application, "begin_pre_completion", officer, {"pre_completion_started_on": "2026-06-02",
         "moratorium_exemption": "school"}, "2026-06-02")  # fmt: skip
    step(db, hall.application, "agree_heads_of_terms", officer, HEADS, "2026-06-20")
    with db.transaction() as session:  # as a request under the 2015 Act would stand, were the land in Scotland
        council = session.get_one(Council, hall.world.council_id)
        council.nation = "scotland"  # a request is opened only for a Scottish council; the bar check is tested
        request = open_case(session, council, "scotland_atr", SYSTEM, now=moment("2026-06-21"),
                                   asset_id=hall.asset)  # fmt: skip
        council.nation = "england"
        request.state, request.facts = "received", {"request_received_on": "2026-06-21"}
        reference = request.reference
    with pytest.raises(GuardFailed, match=rf"request {reference}, made on Sunday 21 June 2026, is still open"):
        step(db, hall.application, "complete", officer, {"completed_on": "2026-07-01"}, "2026-07-01")


def test_an_owners_sale_cannot_be_recorded_while_an_asset_transfer_request_for_the_land_is_open(db: Database) -> None:
    hall = approved_hall(db, listed_on=date(2025, 3, 3))
    cycle = earlier_notice(db, hall.world.officer, hall.asset, "2026-05-20")
    deadlines.sweep(db, now=moment("2026-07-01", 1))  # the moratorium is over: the owner is free to sell
    with db.transaction() as session:  # as a request under the 2015 Act would stand, were the land in Scotland
        council = session.get_one(Council, hall.world.council_id)
        council.nation = "scotland"  # a request is opened only for a Scottish council; the bar check is tested
        request = open_case(session, council, "scotland_atr", SYSTEM, now=moment("2026-07-02"),
                                   asset_id=hall.asset)  # fmt: skip
        council.nation = "england"
        request.state, request.facts = "validated", {"request_received_on": "2026-07-02"}
    sale = {"disposal_entered_on": "2026-07-03", "acquirer_name": "A Buyer", "whole_or_part": "whole"}
    with pytest.raises(GuardFailed, match="cannot be disposed of while an asset transfer request for it is open"):
        step(db, cycle, "dispose", hall.world.officer, sale, "2026-07-03")
    assert case_summary(db, cycle).state == "owner_free"


def case_count(db: Database, workflow: str) -> int:
    with db.reader() as session:
        return session.scalar(select(func.count()).select_from(Case).where(Case.workflow == workflow)) or 0
