"""A pub from nomination through listing, an owner's notice, a bidder request, the full moratorium and the
protected period, with the audit trail, outbox rows and register a council would expect at each step."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from casework.db import Database
from casework.models import Case, OutboxMessage
from casework.queries import case_summary, register_rows
from casework.queries.case_lists import visible_cases
from casework.queries.dashboard import group_cases
from casework.services import accounts, deadlines, moratoria, organisations
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import apply_transition
from casework.services.organisations import OrganisationDetails
from tests.factories import World, make_world, nominate_pub
from workflows.eligibility import BodyType
from workflows.errors import GuardFailed, TransitionNotAllowed
from workflows.roles import Role

pytestmark = pytest.mark.integration


def at(day: str, hour: int = 10) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=UTC) + timedelta(hours=hour)


def outbox(db: Database, case_id: uuid.UUID) -> list[tuple[str, str]]:
    """(topic, template or trigger) of every outbox row for the case, in order."""
    with db.reader() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.case_id == case_id).order_by(OutboxMessage.created_at)
        ).all()
        return [(m.topic, m.payload.get("template") or m.payload.get("trigger") or m.payload["timer"]) for m in rows]


def listed_in_2024(db: Database, world: World) -> uuid.UUID:
    case_id = nominate_pub(db, world, received_on=date(2024, 9, 5), now=at("2024-09-05"))
    apply_transition(db, case_id, "consider", world.officer, now=at("2024-09-09"))
    apply_transition(
        db,
        case_id,
        "list",
        world.officer,
        {
            "decided_on": "2024-10-01",
            "entry_date": "2024-10-01",
            "inclusion_notice_given_on": "2024-10-01",
            "community_value_basis": "current_use",
            "reasons": "The village's only pub",
        },
        now=at("2024-10-01"),
    )
    return case_id


def test_a_pub_goes_from_nomination_to_the_end_of_its_protected_period(db: Database) -> None:
    world = make_world(db, now=at("2024-06-01"))

    # Nomination received on Thursday 5 September 2024: the 8-week decision clock starts (reg.7).
    case_id = nominate_pub(db, world, received_on=date(2024, 9, 5), now=at("2024-09-05"))
    nominated = case_summary(db, case_id)
    assert nominated.state == "nomination_received"
    assert nominated.deadline("decision_due").due_date == date(2024, 10, 30)  # type: ignore[union-attr]
    assert outbox(db, case_id) == [("case.transitioned", "submit"), ("notice.requested", "nomination_acknowledged")]

    apply_transition(db, case_id, "consider", world.officer, now=at("2024-09-09"))
    apply_transition(
        db,
        case_id,
        "list",
        world.officer,
        {
            "decided_on": "2024-10-01",
            "entry_date": "2024-10-01",
            "inclusion_notice_given_on": "2024-10-01",
            "community_value_basis": "current_use",
            "reasons": "The village's only pub",
        },
        now=at("2024-10-01"),
    )
    listed = case_summary(db, case_id)
    assert listed.state == "listed"
    assert listed.deadline("decision_due").status == "cancelled"  # type: ignore[union-attr]
    assert listed.deadline("review_request_window").due_date == date(2024, 11, 25)  # type: ignore[union-attr]
    assert listed.deadline("listing_expiry").due_date == date(2029, 9, 30)  # type: ignore[union-attr]
    assert outbox(db, case_id)[-3:] == [
        ("notice.requested", "considering_listing"),
        ("case.transitioned", "list"),
        ("notice.requested", "listed"),
    ]
    [entry] = register_rows(db, world.code, "listed")
    assert (entry.entry_date, entry.expiry_date, entry.nominating_group) == (
        date(2024, 10, 1),
        date(2029, 9, 30),
        "Friends of the Bull",
    )

    # The owner's notice reaches the council on Friday 5 September 2025: STATUTE.md §10 examples 1 and 2.
    assert listed.asset_id is not None
    notice = moratoria.record_owner_notice(
        db,
        world.owner,
        listed.asset_id,
        received_on=date(2025, 9, 5),
        notice_method="email",
        disposal_type="freehold",
        vacant_possession=True,
        now=at("2025-09-05"),
    )
    cycle = case_summary(db, notice.case_id)
    assert cycle.state == "interim_moratorium"
    assert {d.timer: d.due_date for d in cycle.deadlines} == {
        "interim_end": date(2025, 10, 16),
        "protected_end": date(2027, 3, 4),
    }
    assert outbox(db, notice.case_id) == [
        ("case.transitioned", "give_notice"),
        ("notice.requested", "owners_notice_received"),
        ("notice.requested", "owners_notice_acknowledged"),
    ]
    [entry] = register_rows(db, world.code, "listed")
    assert (entry.notification_to_sell_date, entry.interim_end_date, entry.full_end_date, entry.protected_end_date) == (
        date(2025, 9, 5),
        date(2025, 10, 16),
        date(2026, 3, 4),
        date(2027, 3, 4),
    )

    # The community interest group asks to bid on the last day of the six weeks: the full moratorium applies.
    moratoria.record_bidder_request(
        db, world.member, notice.case_id, world.group_id, received_on=date(2025, 10, 16), now=at("2025-10-16")
    )
    full = case_summary(db, notice.case_id)
    assert full.state == "full_moratorium"
    assert full.deadline("interim_end").status == "cancelled"  # type: ignore[union-attr]
    assert full.deadline("full_end").due_date == date(2026, 3, 4)  # type: ignore[union-attr]
    assert ("notice.requested", "bidder_request_passed_on") in outbox(db, notice.case_id)
    assert register_rows(db, world.code, "listed")[0].interested_group == "Friends of the Bull"

    # The sweeper runs as the full moratorium ends: at the end of Wednesday 4 March 2026, London time.
    assert deadlines.sweep(db, now=at("2026-03-04", hour=23)).fired == 0
    assert deadlines.sweep(db, now=at("2026-03-05", hour=0)).fired == 1
    free = case_summary(db, notice.case_id)
    assert free.state == "owner_free"
    assert free.events[-1].summary == "End the full moratorium"
    assert free.events[-1].data["due"] == "2026-03-04"
    assert outbox(db, notice.case_id)[-2:] == [("case.transitioned", "full_ends"), ("notice.requested", "full_ended")]

    # No sale in the protected period: it ends, and a new notice would be needed.
    assert deadlines.sweep(db, now=at("2027-03-05", hour=0)).fired == 1
    ended = case_summary(db, notice.case_id)
    assert ended.state == "protected_period_ended"
    assert [(e.from_state, e.to_state, e.actor_role) for e in ended.events if e.kind == "transition"] == [
        ("draft", "interim_moratorium", "owner"),
        ("interim_moratorium", "full_moratorium", "community_member"),
        ("full_moratorium", "owner_free", "system"),
        ("owner_free", "protected_period_ended", "system"),
    ]
    assert outbox(db, notice.case_id)[-2:] == [
        ("case.transitioned", "protected_ends"),
        ("notice.requested", "protected_period_ended"),
    ]
    assert case_summary(db, case_id).state == "listed"  # the listing itself runs on


def test_a_second_notice_inside_the_protected_period_is_refused_and_writes_nothing(db: Database) -> None:
    world = make_world(db, now=at("2024-06-01"))
    asset_id = case_summary(db, listed_in_2024(db, world)).asset_id
    assert asset_id is not None
    moratoria.record_owner_notice(
        db,
        world.owner,
        asset_id,
        received_on=date(2025, 1, 6),
        notice_method="post",
        disposal_type="freehold",
        vacant_possession=True,
        now=at("2025-01-06"),
    )
    deadlines.sweep(db, now=at("2025-03-01"))  # the interim period passed with no bidder: the owner is free

    with pytest.raises(GuardFailed, match="BDC-MOR-00001 runs until the end of Sunday 5 July 2026") as refused:
        moratoria.record_owner_notice(
            db,
            world.owner,
            asset_id,
            received_on=date(2025, 6, 2),
            notice_method="post",
            disposal_type="freehold",
            vacant_possession=True,
            now=at("2025-06-02"),
        )
    assert refused.value.reasons[0].startswith("A protected period from an earlier notice is still running")
    with db.reader() as session:
        assert len(session.scalars(select(Case).where(Case.workflow == "moratorium")).all()) == 1


def _notice_on_1_april_2026(db: Database, world: World) -> uuid.UUID:
    """An owner's notice received on Wednesday 1 April 2026: the interim moratorium ends on Tuesday 12 May."""
    asset_id = case_summary(db, listed_in_2024(db, world)).asset_id
    assert asset_id is not None
    return moratoria.record_owner_notice(
        db, world.owner, asset_id, received_on=date(2026, 4, 1), notice_method="post", disposal_type="freehold",
        vacant_possession=True, now=at("2026-04-01"),
    ).case_id  # fmt: skip


def test_a_bid_request_received_in_the_interim_period_but_recorded_after_the_sweep_starts_the_full_moratorium(
    db: Database,
) -> None:
    world = make_world(db, now=at("2024-06-01"))
    cycle = _notice_on_1_april_2026(db, world)
    assert deadlines.sweep(db, now=at("2026-05-12", hour=23)).fired == 1  # 00:00 on 13 May in London
    assert case_summary(db, cycle).state == "owner_free"

    # The group's letter arrived on 12 May; the officer records it the next morning.
    result = moratoria.record_bidder_request(
        db, world.officer, cycle, world.group_id, received_on=date(2026, 5, 12), now=at("2026-05-13", hour=9)
    )

    full = case_summary(db, cycle)
    assert (result.state, full.state) == ("full_moratorium", "full_moratorium")
    assert full.deadline("interim_end").status == "fired"  # type: ignore[union-attr]
    assert full.deadline("full_end").due_date == date(2026, 9, 30)  # type: ignore[union-attr]
    assert full.deadline("protected_end").status == "pending"  # type: ignore[union-attr]
    last = full.events[-1]
    assert (last.trigger, last.from_state, last.to_state) == (
        "cig_request_received_in_interim", "owner_free", "full_moratorium",
    )  # fmt: skip
    assert last.data["request_received_on"] == "2026-05-12"
    assert last.data["corrects"].startswith("The interim moratorium was shown as ended with no request")
    assert outbox(db, cycle)[-3:] == [
        ("case.transitioned", "cig_request_received_in_interim"),
        ("notice.requested", "bidder_request_passed_on"),
        ("notice.requested", "interim_end_corrected"),
    ]
    assert register_rows(db, world.code, "listed")[0].interested_group == "Friends of the Bull"

    # The full moratorium now runs its course: the owner cannot sell to a buyer who is not a group meanwhile.
    with pytest.raises(TransitionNotAllowed, match="cannot record a sale after the moratorium when the case is full"):
        apply_transition(db, cycle, "dispose", world.owner, {
            "disposal_entered_on": "2026-05-20", "acquirer_name": "Pubco", "whole_or_part": "whole"},
            now=at("2026-05-20"))  # fmt: skip
    assert deadlines.sweep(db, now=at("2026-10-01", hour=0)).fired == 1
    assert case_summary(db, cycle).state == "owner_free"


def test_a_bid_request_received_after_the_interim_period_is_refused_with_the_reason_and_writes_nothing(
    db: Database,
) -> None:
    world = make_world(db, now=at("2024-06-01"))
    cycle = _notice_on_1_april_2026(db, world)
    deadlines.sweep(db, now=at("2026-05-13", hour=9))
    before = case_summary(db, cycle)

    with pytest.raises(GuardFailed, match="on Wednesday 13 May 2026 was after the time limit ended on Tuesday 12 May"):
        moratoria.record_bidder_request(
            db, world.officer, cycle, world.group_id, received_on=date(2026, 5, 13), now=at("2026-05-13", hour=10)
        )
    with pytest.raises(GuardFailed, match="after the time limit ended on Tuesday 12 May 2026"):  # a group asking today
        moratoria.record_bidder_request(
            db, world.member, cycle, world.group_id, received_on=date(2026, 5, 14), now=at("2026-05-14")
        )
    after = case_summary(db, cycle)
    assert (after.state, after.version, len(after.events)) == ("owner_free", before.version, len(before.events))


def test_a_sale_contracted_during_the_moratorium_is_refused_afterwards_and_can_be_recorded_as_a_breach(
    db: Database,
) -> None:
    world = make_world(db, now=at("2024-06-01"))
    cycle = _notice_on_1_april_2026(db, world)
    deadlines.sweep(db, now=at("2026-05-13", hour=0))
    sale = {"disposal_entered_on": "2026-04-20", "acquirer_name": "Pubco", "whole_or_part": "whole"}

    with pytest.raises(GuardFailed, match=r"20 April 2026, during the moratorium.*breaches s\.95\(1\)"):
        apply_transition(db, cycle, "dispose", world.owner, sale, now=at("2026-05-20"))
    assert case_summary(db, cycle).state == "owner_free"
    listing = register_rows(db, world.code, "listed")[0]
    assert listing.end_date is None  # the land stays listed: reg.21 makes the disposal ineffective

    breach = {"breach_disposal_entered_on": "2026-04-20", "breach_details": "Contracts exchanged with Pubco"}
    apply_transition(db, cycle, "record_breach", world.officer, breach, now=at("2026-05-20", hour=11))
    recorded = case_summary(db, cycle)
    assert (recorded.state, recorded.events[-1].trigger) == ("owner_free", "record_breach")
    assert outbox(db, cycle)[-1] == ("notice.requested", "disposal_in_breach")

    apply_transition(db, cycle, "dispose", world.owner, {**sale, "disposal_entered_on": "2026-05-13"},
                     now=at("2026-05-21"))  # fmt: skip
    assert case_summary(db, cycle).state == "disposed"


def test_a_group_whose_request_was_recorded_after_the_interim_period_was_marked_ended_follows_the_sale(
    db: Database,
) -> None:
    """Its dashboard and the API list the cycle it may read, as for a request recorded in time."""
    world = make_world(db, now=at("2024-06-01"))
    trust = organisations.register_organisation(
        db, world.council_id, OrganisationDetails(
            name="Ambridge Trust", body_type=BodyType.COMPANY_LIMITED_BY_GUARANTEE, company_number="07654321",
            activity_areas=(world.code,), surplus_areas=(world.code,)),
        now=at("2024-06-01"),
    )  # fmt: skip
    user = accounts.create_user(db, "trust@example.org", "Tess Trust",
                                grants=(RoleGrant(Role.COMMUNITY_MEMBER, organisation_id=trust),))  # fmt: skip
    member = accounts.actor_for(db, user, Role.COMMUNITY_MEMBER)
    cycle = _notice_on_1_april_2026(db, world)
    deadlines.sweep(db, now=at("2026-05-12", hour=23))  # the interim period is marked ended: no request yet
    moratoria.record_bidder_request(db, world.officer, cycle, trust, received_on=date(2026, 5, 12),
                                    now=at("2026-05-13", hour=9))  # fmt: skip
    reference = case_summary(db, cycle).reference
    assert reference in [row.reference for row in group_cases(db, member)]
    assert reference in [row.reference for row in visible_cases(db, member, "moratorium")]
