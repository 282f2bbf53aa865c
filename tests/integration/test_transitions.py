"""apply_transition on real databases: refusals write nothing, stale pages, permissions, reviews, linked cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from casework.db import Database
from casework.errors import Conflict, PermissionDenied, StaleCase
from casework.models import Base, UserRole
from casework.queries import case_summary, register_rows
from casework.services import accounts, deadlines, moratoria, organisations
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import TransitionResult, apply_transition
from casework.services.organisations import OrganisationDetails
from tests.conftest import T0
from tests.factories import World, list_pub, make_world, nominate_pub
from workflows.eligibility import BodyType
from workflows.errors import GuardFailed, InvalidData, RoleNotAllowed, TransitionNotAllowed, WorkflowRefusal
from workflows.roles import Role

pytestmark = pytest.mark.integration

LIST_DATA = {
    "decided_on": "2026-03-20",
    "entry_date": "2026-03-20",
    "inclusion_notice_given_on": "2026-03-20",
    "community_value_basis": "current_use",
    "reasons": "Furthers social wellbeing",
}


def row_counts(db: Database) -> dict[str, int]:
    with db.reader() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def later(days: int) -> object:
    return T0 + timedelta(days=days)


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


def refusals(db: Database, world: World, case_id: uuid.UUID, version: int) -> list[Callable[[], object]]:
    stranger = make_world(db, code="XDC")
    return [
        lambda: apply_transition(
            db, case_id, "request_review", world.owner, {"review_request_received_on": "2026-06-01"}, now=later(100)
        ),  # late: GuardFailed
        lambda: apply_transition(
            db, case_id, "remove", world.owner, {"decided_on": "2026-04-01", "reasons": "r"}, now=later(40)
        ),  # RoleNotAllowed
        lambda: apply_transition(db, case_id, "consider", world.officer, now=later(40)),  # TransitionNotAllowed
        lambda: apply_transition(
            db, case_id, "remove", world.officer, {"decided_on": "not a date"}, now=later(40)
        ),  # InvalidData
        lambda: apply_transition(
            db, case_id, "remove", stranger.officer, {"decided_on": "2026-04-01", "reasons": "r"}, now=later(40)
        ),  # PermissionDenied
        lambda: apply_transition(
            db,
            case_id,
            "remove",
            world.officer,
            {"decided_on": "2026-04-01", "reasons": "r"},
            expected_version=version - 1,
            now=later(40),
        ),  # StaleCase
    ]


def noticed_pub(db: Database, world: World) -> TransitionResult:
    """A listed pub whose owner's notice the council received on 25 March 2026: its disposal cycle."""
    asset_id = case_summary(db, list_pub(db, world)).asset_id
    assert asset_id is not None
    return moratoria.record_owner_notice(
        db,
        world.owner,
        asset_id,
        received_on=date(2026, 3, 25),
        notice_method="email",
        disposal_type="freehold",
        vacant_possession=True,
        now=later(23),
    )


def test_every_kind_of_refusal_says_why_and_writes_nothing(db: Database, world: World) -> None:
    case_id = list_pub(db, world)
    version = case_summary(db, case_id).version
    attempts = refusals(db, world, case_id, version)
    before = row_counts(db)
    raised = []
    for attempt in attempts:
        with pytest.raises(WorkflowRefusal) as refusal:
            attempt()
        assert refusal.value.reasons and all(reason.strip() for reason in refusal.value.reasons)
        raised.append(type(refusal.value))
    assert raised == [GuardFailed, RoleNotAllowed, TransitionNotAllowed, InvalidData, PermissionDenied, StaleCase]
    assert row_counts(db) == before
    assert case_summary(db, case_id).version == version


def test_a_stale_page_is_refused_with_a_clear_message(db: Database, world: World) -> None:
    case_id = nominate_pub(db, world)
    seen = case_summary(db, case_id).version
    apply_transition(db, case_id, "consider", world.officer, expected_version=seen, now=later(1))
    with pytest.raises(StaleCase, match="was changed by someone else after you opened it"):
        apply_transition(
            db,
            case_id,
            "reject",
            world.other_officer,
            {"decided_on": "2026-03-05", "grounds": "not_in_area", "reasons": "r"},
            expected_version=seen,
            now=later(3),
        )


def test_the_officer_who_listed_cannot_review_the_listing_but_another_reviewer_can(db: Database, world: World) -> None:
    # The officer who decides also holds the reviewer role: the guard looks at the person, not the role.
    assert world.officer.user_id is not None
    with db.transaction() as session:
        session.add(UserRole(user_id=world.officer.user_id, role="reviewer", council_id=world.council_id))
    officer_as_reviewer = accounts.actor_for(db, world.officer.user_id, Role.REVIEWER, world.code)
    case_id = list_pub(db, world)
    apply_transition(
        db, case_id, "request_review", world.owner, {"review_request_received_on": "2026-04-01"}, now=later(30)
    )
    review = {"review_decided_on": "2026-04-20", "review_decision_sent_on": "2026-04-20", "reasons": "Stands"}
    with pytest.raises(GuardFailed, match="took no part in the original decision"):
        apply_transition(db, case_id, "uphold_listing", officer_as_reviewer, review, now=later(50))
    apply_transition(db, case_id, "uphold_listing", world.reviewer, review, now=later(50))
    summary = case_summary(db, case_id)
    assert summary.state == "listed"
    assert summary.deadline("tribunal_appeal_window").due_date == date(2026, 5, 18)  # type: ignore[union-attr]
    assert register_rows(db, world.code)[0].review_status == "Listing confirmed on review on Monday 20 April 2026"


def test_removal_on_review_puts_the_land_on_the_unsuccessful_list_and_lapses_the_moratorium(
    db: Database, world: World
) -> None:
    case_id = list_pub(db, world)
    asset_id = case_summary(db, case_id).asset_id
    assert asset_id is not None
    cycle = moratoria.record_owner_notice(
        db,
        world.owner,
        asset_id,
        received_on=date(2026, 3, 25),
        notice_method="email",
        disposal_type="freehold",
        vacant_possession=True,
        now=later(23),
    )
    apply_transition(
        db, case_id, "request_review", world.owner, {"review_request_received_on": "2026-04-01"}, now=later(30)
    )
    apply_transition(
        db,
        case_id,
        "remove_on_review",
        world.reviewer,
        {
            "review_decided_on": "2026-04-20",
            "review_decision_sent_on": "2026-04-20",
            "reasons": "Not of community value since the function room closed",
        },
        now=later(50),
    )

    listing, moratorium = case_summary(db, case_id), case_summary(db, cycle.case_id)
    assert (listing.state, moratorium.state) == ("unsuccessful", "lapsed")  # s.92(4)(b)(i): the nomination failed
    retention = listing.deadline("unsuccessful_retention")  # L14: may leave the unsuccessful list after 5 years
    assert retention is not None
    assert (retention.start_date, retention.due_date) == (date(2026, 4, 20), date(2031, 4, 19))
    assert listing.deadline("listing_expiry").status == "cancelled"  # type: ignore[union-attr]
    assert {d.status for d in moratorium.deadlines} == {"cancelled"}
    assert moratorium.events[-1].data["listing"] == listing.reference
    rows = {row.list_kind: row for row in register_rows(db, world.code)}
    assert rows["listed"].end_date == date(2026, 4, 20)
    assert rows["unsuccessful"].reasons == "Not of community value since the function room closed"


def test_a_sale_after_the_moratorium_removes_the_listing(db: Database, world: World) -> None:
    case_id = list_pub(db, world)
    asset_id = case_summary(db, case_id).asset_id
    assert asset_id is not None
    cycle = moratoria.record_owner_notice(
        db,
        world.owner,
        asset_id,
        received_on=date(2026, 3, 25),
        notice_method="email",
        disposal_type="freehold",
        vacant_possession=True,
        now=later(23),
    )
    deadlines.sweep(db, now=later(80))  # the interim period ends with no bidder
    apply_transition(
        db,
        cycle.case_id,
        "dispose",
        world.owner,
        {"disposal_entered_on": "2026-06-01", "acquirer_name": "Pubco Ltd", "whole_or_part": "whole"},
        now=later(91),
    )

    assert case_summary(db, cycle.case_id).state == "disposed"
    listing = case_summary(db, case_id)
    assert listing.state == "removed"
    assert listing.events[-1].data["disposal_details"] == "Sold to Pubco Ltd (case BDC-MOR-00001)"
    assert register_rows(db, world.code)[0].removal_reason == "Removed after a relevant disposal (reg.2(b))"


def test_an_exempt_disposal_is_recorded_and_the_listing_continues(db: Database, world: World) -> None:
    case_id = list_pub(db, world)
    asset_id = case_summary(db, case_id).asset_id
    assert asset_id is not None
    result = moratoria.record_exempt_disposal(
        db,
        world.officer,
        asset_id,
        disposal_entered_on=date(2026, 4, 1),
        exemption="family",
        details="To the owner's son",
        now=later(31),
    )
    assert result.state == "exempt_disposal_recorded"
    assert case_summary(db, case_id).state == "listed"
    [entry] = register_rows(db, world.code)
    assert entry.exempt_disposals[0]["basis"] == "LA 2011 s.95(5)(d), (7)-(8)"


def test_a_group_that_is_not_a_community_interest_group_is_told_why(db: Database, world: World) -> None:
    cycle = noticed_pub(db, world)
    forum = organisations.register_organisation(
        db,
        world.council_id,
        OrganisationDetails(
            name="Ambridge Neighbourhood Forum", body_type=BodyType.NEIGHBOURHOOD_FORUM, activity_areas=("BDC",)
        ),
    )
    with pytest.raises(GuardFailed, match="neighbourhood forum cannot be a community interest group"):
        moratoria.record_bidder_request(
            db, world.officer, cycle.case_id, forum, received_on=date(2026, 4, 1), now=later(31)
        )
    assert case_summary(db, cycle.case_id).state == "interim_moratorium"


def test_a_group_that_already_asked_to_bid_is_told_so_and_nothing_is_sent_or_counted_again(
    db: Database, world: World
) -> None:
    cycle = noticed_pub(db, world)
    moratoria.record_bidder_request(
        db, world.member, cycle.case_id, world.group_id, received_on=date(2026, 4, 1), now=later(31)
    )
    before = case_summary(db, cycle.case_id)

    with pytest.raises(GuardFailed, match="already asked to be treated as a potential bidder"):
        moratoria.record_bidder_request(
            db, world.member, cycle.case_id, world.group_id, received_on=date(2026, 4, 2), now=later(32)
        )

    after = case_summary(db, cycle.case_id)
    assert (after.state, after.version, len(after.events)) == ("full_moratorium", before.version, len(before.events))


def test_staff_of_one_council_cannot_touch_another_councils_cases(db: Database, world: World) -> None:
    other = make_world(db, code="XDC")
    case_id = nominate_pub(db, world)
    with pytest.raises(PermissionDenied, match="your own council"):
        apply_transition(db, case_id, "consider", other.officer, now=later(1))
    with pytest.raises(PermissionDenied, match="your own group"):
        apply_transition(db, case_id, "withdraw", other.member, now=later(1))


def test_a_second_nomination_of_listed_land_is_refused(db: Database, world: World) -> None:
    list_pub(db, world)
    with pytest.raises(Conflict, match="already listed until the end of Wednesday 19 March 2031"):
        nominate_pub(db, world, received_on=date(2026, 4, 1), now=later(31))


@pytest.mark.postgres
def test_two_officers_acting_at_once_on_one_case_exactly_one_wins(pg_db: Database) -> None:
    world = make_world(pg_db)
    case_id = nominate_pub(pg_db, world)
    apply_transition(pg_db, case_id, "consider", world.officer, now=later(1))
    version = case_summary(pg_db, case_id).version
    decisions = [
        ("list", world.officer, LIST_DATA),
        ("reject", world.other_officer, {"decided_on": "2026-03-20", "grounds": "not_in_area", "reasons": "r"}),
    ] * 4

    def decide(decision: tuple[str, object, dict[str, str]]) -> str:
        trigger, actor, data = decision
        try:
            apply_transition(pg_db, case_id, trigger, actor, data, expected_version=version, now=later(18))  # type: ignore[arg-type]
        except (StaleCase, TransitionNotAllowed):
            return "refused"
        return "applied"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = sorted(pool.map(decide, decisions))

    assert outcomes == ["applied"] + ["refused"] * 7
    summary = case_summary(pg_db, case_id)
    assert [e.kind for e in summary.events].count("transition") == 3  # submit, consider and the one decision
    assert summary.version == version + 1


def test_someone_who_may_not_act_on_a_case_is_told_so_even_on_a_stale_page(db: Database, world: World) -> None:
    """Permission is checked before the version: a stale page must not hide that the action is not theirs."""
    case_id = nominate_pub(db, world)
    seen = case_summary(db, case_id).version
    apply_transition(db, case_id, "consider", world.officer, expected_version=seen, now=later(1))
    neighbour = accounts.create_user(db, "officer@felpersham.example.gov.uk", "Nell Neighbour",
                                     grants=(RoleGrant(Role.OFFICER, council_code="BDN"),))  # fmt: skip
    elsewhere = accounts.actor_for(db, neighbour, Role.OFFICER, "BDN")
    with pytest.raises(PermissionDenied, match="your own council"):
        apply_transition(db, case_id, "list", elsewhere, expected_version=seen, now=later(2))
