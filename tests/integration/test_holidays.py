"""Whose holidays count: a proclaimed bank holiday moves Tribunal limits, a council's own closure day never does."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from casework.db import Database
from casework.errors import Conflict, PermissionDenied
from casework.models import Deadline
from casework.queries import case_summary
from casework.services import holidays
from casework.services.case_transitions import apply_transition
from tests.factories import World, make_world, nominate_pub
from workflows.periods.calendars import PROCLAIMED

pytestmark = pytest.mark.integration
NOW = datetime(2026, 5, 20, 12, tzinfo=UTC)


def reviewed(db: Database, world: World, sent_on: str, *, name: str, uprn: str) -> uuid.UUID:
    """A listing upheld on review, whose decision was sent on `sent_on`: the Tribunal window runs 28 days."""
    case_id = nominate_pub(db, world, name=name, uprn=uprn)
    apply_transition(db, case_id, "consider", world.officer, now=NOW - timedelta(days=60))
    apply_transition(
        db,
        case_id,
        "list",
        world.officer,
        {
            "decided_on": "2026-03-20",
            "entry_date": "2026-03-20",
            "inclusion_notice_given_on": "2026-03-20",
            "community_value_basis": "current_use",
            "reasons": "r",
        },
        now=NOW - timedelta(days=59),
    )
    apply_transition(
        db,
        case_id,
        "request_review",
        world.owner,
        {"review_request_received_on": "2026-04-01"},
        now=NOW - timedelta(days=49),
    )
    apply_transition(
        db,
        case_id,
        "uphold_listing",
        world.reviewer,
        {"review_decided_on": sent_on, "review_decision_sent_on": sent_on, "reasons": "Stands"},
        now=NOW,
    )
    return case_id


def tribunal_due(db: Database, case_id: uuid.UUID) -> date:
    deadline = case_summary(db, case_id).deadline("tribunal_appeal_window")
    assert deadline is not None
    return deadline.due_date


def test_a_council_closure_day_never_moves_a_tribunal_appeal_window(db: Database) -> None:
    """GRC Rules r.12(3) name the Tribunal's non-working days; a council's own closure day is not one of them."""
    world = make_world(db)
    case_id = reviewed(db, world, "2026-05-01", name="The Bull", uprn="100000000001")  # STATUTE.md §10 #13
    assert tribunal_due(db, case_id) == date(2026, 5, 29)

    moved = holidays.add_holiday(
        db, world.admin, world.council_id, date(2026, 5, 29), "Council staff closure day", now=NOW
    )

    assert moved == []
    assert tribunal_due(db, case_id) == date(2026, 5, 29)
    deadline = case_summary(db, case_id).deadline("tribunal_appeal_window")
    assert deadline is not None
    assert any("a council's own closure days never move this date" in step for step in deadline.explanation)
    assert not any(event.kind == "deadline_moved" for event in case_summary(db, case_id).events)


def test_a_proclaimed_bank_holiday_moves_the_tribunal_deadlines_that_land_on_it_and_nothing_else(db: Database) -> None:
    world = make_world(db)
    other = make_world(db, code="XDC")
    on_the_day = reviewed(db, world, "2026-05-18", name="The Bull", uprn="100000000001")  # due Monday 15 June
    rolled_onto_it = reviewed(db, world, "2026-05-16", name="The Swan", uprn="100000000002")  # Sat 13 June -> 15th
    later = reviewed(db, world, "2026-05-19", name="The Cat", uprn="100000000003")  # Tuesday 16 June
    elsewhere = reviewed(db, other, "2026-05-18", name="The Plough", uprn="100000000004")  # another council
    already_fired = reviewed(db, world, "2026-05-18", name="The Crown", uprn="100000000005")
    with db.transaction() as session:
        session.execute(
            update(Deadline)
            .where(Deadline.case_id == already_fired, Deadline.timer == "tribunal_appeal_window")
            .values(status="fired")
        )
    expiry_before = case_summary(db, on_the_day).deadline("listing_expiry")
    assert [tribunal_due(db, c) for c in (on_the_day, rolled_onto_it, later)] == [
        date(2026, 6, 15),
        date(2026, 6, 15),
        date(2026, 6, 16),
    ]

    moved = holidays.add_holiday(
        db, world.admin, world.council_id, date(2026, 6, 15), "Royal jubilee", kind=PROCLAIMED, now=NOW
    )

    assert sorted((m.case_reference, m.old_due, m.new_due) for m in moved) == [
        (case_summary(db, on_the_day).reference, date(2026, 6, 15), date(2026, 6, 16)),
        (case_summary(db, rolled_onto_it).reference, date(2026, 6, 15), date(2026, 6, 16)),
    ]
    assert tribunal_due(db, later) == date(2026, 6, 16)
    assert tribunal_due(db, elsewhere) == date(2026, 6, 15)
    assert tribunal_due(db, already_fired) == date(2026, 6, 15)
    assert case_summary(db, on_the_day).deadline("listing_expiry") == expiry_before  # calendar days never move
    event = case_summary(db, on_the_day).events[-1]
    assert event.kind == "deadline_moved"
    assert event.summary == (
        "Owner may appeal to the Tribunal: due date moved from Monday 15 June 2026 to Tuesday 16 June 2026 "
        "(holiday added: Royal jubilee on Monday 15 June 2026)"
    )
    deadline = case_summary(db, on_the_day).deadline("tribunal_appeal_window")
    assert deadline is not None
    assert any("proclaimed under the Banking and Financial Dealings Act 1971" in step for step in deadline.explanation)

    back = holidays.remove_holiday(db, world.admin, world.council_id, date(2026, 6, 15), now=NOW)
    assert len(back) == 2 and tribunal_due(db, on_the_day) == date(2026, 6, 15)


def test_only_an_admin_of_the_council_may_add_a_holiday_and_only_once(db: Database) -> None:
    world = make_world(db)
    with pytest.raises(PermissionDenied):
        holidays.add_holiday(db, world.officer, world.council_id, date(2026, 6, 15), "Jubilee", now=NOW)
    holidays.add_holiday(db, world.admin, world.council_id, date(2026, 6, 15), "Jubilee", now=NOW)
    with pytest.raises(Conflict, match="already a holiday"):
        holidays.add_holiday(db, world.admin, world.council_id, date(2026, 6, 15), "Again", now=NOW)


def test_a_review_decided_after_a_bank_holiday_was_entered_counts_it_and_not_a_closure_day(db: Database) -> None:
    world = make_world(db)
    holidays.add_holiday(db, world.admin, world.council_id, date(2026, 6, 15), "Jubilee", kind=PROCLAIMED, now=NOW)
    holidays.add_holiday(db, world.admin, world.council_id, date(2026, 6, 16), "Staff training day", now=NOW)
    case_id = reviewed(db, world, "2026-05-18", name="The Bull", uprn="100000000001")
    assert tribunal_due(db, case_id) == date(2026, 6, 16)
