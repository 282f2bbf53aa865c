"""Reminders of the asset transfer, transfer request and right-to-challenge deadlines, on SQLite and PostgreSQL:
each goes out once, at 08:00 on its day, to the parties its timer names, and stops when the case moves on."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from casework.db import Database
from casework.models import OutboxMessage
from casework.queries import case_summary
from casework.services import asset_transfers, deadlines
from casework.services.case_transitions import apply_transition
from tests.integration.test_asset_transfer import Setup, advertise, moment, pass_eoi, setup, step
from tests.integration.test_transfer_request_reviews_and_appeals import in_contract
from tests.integration.test_transfer_requests_and_challenges import challenge_world, express, scotland
from workflows.periods import LONDON

pytestmark = pytest.mark.integration


def at_eight(day: str) -> datetime:
    """08:00 in England on `day`, when reminders fall due."""
    return datetime.fromisoformat(f"{day}T08:00").replace(tzinfo=LONDON).astimezone(UTC)


def reminded(db: Database, case_id: uuid.UUID) -> list[tuple[str, int, list[str]]]:
    with db.reader() as session:
        sent = session.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.case_id == case_id, OutboxMessage.topic == "deadline.reminder")
            .order_by(OutboxMessage.created_at)
        ).all()
    return [(p["timer"], p["days_before"], p["parties"]) for p in sent]


def business_case_invited(db: Database, s: Setup) -> uuid.UUID:
    """Passed on Wednesday 1 April: the business case is due by Wednesday 29 April (the policy's 4 weeks)."""
    case_id = asset_transfers.start_application(
        db, s.world.member, s.asset, s.world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="Library",
        tenure_sought="lease", now=moment("2026-03-02"),
    ).case_id  # fmt: skip
    advertise(db, s.world.officer, case_id)
    step(db, case_id, "submit_eoi", s.world.member, {"eoi_received_on": "2026-03-20", "activities": "a",
         "community_benefit": "b", "track_record": "c", "running_costs_plan": "d", "tenure_sought": "lease"},
         "2026-03-20")  # fmt: skip
    pass_eoi(db, s.world.officer, case_id, "2026-04-01")
    return case_id


def test_a_business_case_is_reminded_14_and_7_days_before_and_not_again_once_it_has_arrived(db: Database) -> None:
    s = setup(db)
    case_id = business_case_invited(db, s)
    deadlines.sweep(db, now=at_eight("2026-04-15").replace(hour=6))  # 07:00 in England: not yet
    assert reminded(db, case_id) == []
    deadlines.sweep(db, now=at_eight("2026-04-15"))
    deadlines.sweep(db, now=at_eight("2026-04-15"))  # a second sweeper at the same moment sends nothing more
    deadlines.sweep(db, now=at_eight("2026-04-22"))
    both = ["applicant", "officer"]
    assert reminded(db, case_id) == [("business_case", 14, both), ("business_case", 7, both)]
    step(db, case_id, "submit_business_case", s.world.member, {"business_case_received_on": "2026-04-23",
         "business_plan": "Plan", "funding": "Lottery", "governance": "Board"}, "2026-04-23")  # fmt: skip
    deadlines.sweep(db, now=at_eight("2026-04-28"))
    assert [r for r in reminded(db, case_id) if r[0] == "business_case"] == [
        ("business_case", 14, both), ("business_case", 7, both)
    ]  # fmt: skip


def test_the_contract_period_and_then_the_no_contract_appeal_window_are_reminded(db: Database) -> None:
    officer, member, school = scotland(db)
    case_id = in_contract(db, officer, member, school)  # contract due 30 November; appeal window to 11 December
    for day in ("2026-11-02", "2026-11-23"):
        deadlines.sweep(db, now=at_eight(day))
    deadlines.sweep(db, now=moment("2026-12-01", 1))  # the contract period ends with no contract
    assert case_summary(db, case_id).state == "contract_expired"
    deadlines.sweep(db, now=at_eight("2026-12-04"))
    assert reminded(db, case_id) == [
        ("contract", 28, ["officer", "applicant"]),
        ("contract", 7, ["officer", "applicant"]),
        ("no_contract_appeal", 7, ["applicant"]),
    ]


def test_the_notice_of_when_a_challenge_will_be_decided_is_reminded_until_it_is_given(db: Database) -> None:
    world = challenge_world(db)
    case_id = express(db, world, "libraries", "2026-04-10")  # notice due 30 May, decision by 10 July
    deadlines.sweep(db, now=at_eight("2026-05-23"))
    assert reminded(db, case_id) == [("decision_period_notice", 7, ["officer"])]
    apply_transition(db, case_id, "notify_decision_period", world.officer, {"decision_period_notified_on":
                     "2026-05-25", "expected_decision_by": "2026-07-01"}, now=moment("2026-05-25"))  # fmt: skip
    deadlines.sweep(db, now=at_eight("2026-05-29"))  # the 1-day reminder is not needed any more
    deadlines.sweep(db, now=at_eight("2026-06-26"))
    assert reminded(db, case_id) == [("decision_period_notice", 7, ["officer"]), ("decision_due", 14, ["officer"])]
