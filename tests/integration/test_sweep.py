"""The deadline sweep: every deadline fires exactly once, late or early, alone or with other sweepers."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from casework.db import Database
from casework.errors import Conflict, InvalidInput, PermissionDenied
from casework.models import CaseEvent, Deadline, OutboxMessage, Reminder
from casework.queries import case_summary
from casework.queries.case_page import case_page
from casework.services import councils, deadline_retries, deadlines, nominations
from casework.services.case_transitions import apply_transition
from tests.factories import World, list_pub, make_world, nominate_pub, owners_notice, pub_nomination

pytestmark = pytest.mark.integration


def moment(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=hour)


def notice(db: Database, world: World, listing: uuid.UUID, received: date) -> uuid.UUID:
    at_noon = datetime.combine(received, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    return owners_notice(db, world, listing, received_on=received, now=at_noon, method="post")


def outbox_topics(db: Database, case_id: uuid.UUID) -> Counter[str]:
    with db.reader() as session:
        return Counter(session.scalars(select(OutboxMessage.topic).where(OutboxMessage.case_id == case_id)))


def test_an_undecided_nomination_is_escalated_as_overdue_once(db: Database) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world, received_on=date(2026, 3, 2))  # decision due Sunday 26 April 2026

    assert deadlines.sweep(db, now=moment("2026-04-26", 22)).escalated == 0  # 23:00 BST, still the 26th
    report = deadlines.sweep(db, now=moment("2026-04-26", 23))  # midnight in London
    assert report.escalated == 1
    assert deadlines.sweep(db, now=moment("2026-05-30")).escalated == 0

    summary = case_summary(db, case_id)
    assert summary.state == "nomination_received"  # no statutory consequence: the council must still decide
    assert [e.summary for e in summary.events if e.kind == "deadline_overdue"] == [
        "Overdue: Decide the nomination by Sunday 26 April 2026"
    ]
    assert outbox_topics(db, case_id)["deadline.overdue"] == 1


def test_a_deadline_that_passed_while_no_sweeper_ran_fires_once_when_one_comes_back(db: Database) -> None:
    world = make_world(db)
    listing = list_pub(db, world)
    cycle = notice(db, world, listing, date(2026, 4, 1))  # interim ends Tuesday 12 May 2026

    report = deadlines.sweep(db, now=moment("2026-09-01"))  # nothing ran for months
    again = deadlines.sweep(db, now=moment("2026-09-01"))

    assert (report.fired, again.fired, again.total) == (1, 0, 0)
    summary = case_summary(db, cycle)
    assert summary.state == "owner_free"
    transitions = [e for e in summary.events if e.kind == "transition"]
    assert [e.trigger for e in transitions] == ["give_notice", "interim_ends"]
    assert transitions[-1].data["due"] == "2026-05-12"


def test_the_listing_expires_after_five_years_and_its_moratorium_lapses(db: Database) -> None:
    world = make_world(db)
    listing = list_pub(db, world, decided_on=date(2026, 3, 20))  # listed until the end of 19 March 2031
    assert case_summary(db, listing).deadline("listing_expiry").due_date == date(2031, 3, 19)  # type: ignore[union-attr]
    with db.transaction() as session:  # move the last notice into the final months of the listing
        session.execute(update(Deadline).where(Deadline.case_id == listing).values(status="fired"))
    cycle = notice(db, world, listing, date(2026, 4, 1))
    with db.transaction() as session:
        session.execute(
            update(Deadline)
            .where(Deadline.case_id == listing, Deadline.timer == "listing_expiry")
            .values(status="pending", fires_at=moment("2026-04-20"))
        )

    report = deadlines.sweep(db, now=moment("2026-04-20", 1))

    assert report.fired == 1  # the expiry; the lapse is its consequence, not a deadline
    assert case_summary(db, listing).state == "expired"
    lapsed = case_summary(db, cycle)
    assert lapsed.state == "lapsed"
    assert {d.status for d in lapsed.deadlines if d.timer != "interim_end"} == {"cancelled"}


def test_reminders_go_at_their_offsets_once_and_stop_when_the_case_moves_on(db: Database) -> None:
    world = make_world(db)
    listing = list_pub(db, world)
    cycle = notice(db, world, listing, date(2026, 4, 1))  # interim ends 12 May: reminders 28 Apr, 5 May, 11 May

    with db.reader() as session:
        planned = session.scalars(select(Reminder.days_before).where(Reminder.case_id == cycle)).all()
    assert sorted(planned) == [1, 7, 14, 28]  # the interim end at 14, 7 and 1 days; the protected end at 28

    assert deadlines.sweep(db, now=moment("2026-04-28", 6)).reminders == 0  # 07:00 BST: not yet 08:00
    assert deadlines.sweep(db, now=moment("2026-04-28", 7)).reminders == 1
    assert deadlines.sweep(db, now=moment("2026-04-28", 9)).reminders == 0
    apply_transition(
        db, cycle, "dispose_to_cig", world.owner,
        {"disposal_entered_on": "2026-05-01", "acquirer_name": "Friends of the Bull", "whole_or_part": "whole",
         "acquirer_is_cig": True},
        now=moment("2026-05-01", 10),
    )  # fmt: skip
    assert deadlines.sweep(db, now=moment("2026-05-11", 12)).reminders == 0
    with db.reader() as session:
        statuses = Counter(session.scalars(select(Reminder.status).where(Reminder.case_id == cycle)))
        payload = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "deadline.reminder")).one()
    assert statuses == Counter({"cancelled": 3, "sent": 1})
    assert (payload["days_before"], payload["due"], payload["parties"]) == (
        14,
        "2026-05-12",
        ["owner", "nominator", "subscribers"],
    )


def test_a_broken_deadline_is_left_pending_with_its_error_and_the_rest_still_fire(db: Database) -> None:
    world = make_world(db)
    first, second = list_pub(db, world), None
    second = nominate_pub(db, world, name="The Cat and Fiddle", uprn="100012345999")
    with db.transaction() as session:
        session.execute(
            update(Deadline)
            .where(Deadline.case_id == first, Deadline.timer == "review_request_window")
            .values(timer="no_such_timer")
        )

    report = deadlines.sweep(db, now=moment("2026-12-01"))

    assert (report.failed, report.escalated, report.closed) == (1, 1, 0)
    with db.reader() as session:
        broken = session.scalars(select(Deadline).where(Deadline.timer == "no_such_timer")).one()
    assert (broken.status, broken.attempts) == ("pending", 1)
    assert broken.last_error is not None and "no_such_timer" in broken.last_error
    assert case_summary(db, second).events[-1].kind == "deadline_overdue"


def test_a_deadline_that_keeps_failing_is_tried_less_often_then_given_up_and_an_officer_can_try_it_again(
    db: Database,
) -> None:
    world = make_world(db)
    listing = list_pub(db, world)
    with db.transaction() as session:
        session.execute(
            update(Deadline)
            .where(Deadline.case_id == listing, Deadline.timer == "review_request_window")
            .values(timer="no_such_timer")
        )

    def broken() -> Deadline:
        with db.reader() as session:
            return session.scalars(select(Deadline).where(Deadline.case_id == listing, Deadline.attempts > 0)).one()

    now = moment("2026-12-01")
    waits = []
    for attempt in range(1, deadline_retries.MAX_ATTEMPTS + 1):
        assert deadlines.sweep(db, now=now).failed == 1
        if attempt < deadline_retries.MAX_ATTEMPTS:
            waits.append(broken().fires_at - now)
            assert deadlines.sweep(db, now=broken().fires_at - timedelta(seconds=1)).failed == 0  # not before
            now = broken().fires_at
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]  # doubling, at most an hour
    given_up = broken()
    assert (given_up.status, given_up.attempts) == ("failed", deadline_retries.MAX_ATTEMPTS)
    assert deadlines.sweep(db, now=now + timedelta(days=30)).failed == 0  # no more tries by itself
    [problem] = case_page(db, world.officer, "BDC-ACV-00001").problems
    assert (problem.kind, problem.given_up, problem.action) == ("deadline", True, "Try again")
    assert "could not be applied after 8 attempts" in problem.what and "no_such_timer" in (problem.error or "")

    with pytest.raises(PermissionDenied):
        deadline_retries.retry(db, world.member, given_up.id, now=now)
    with db.transaction() as session:  # the cause is put right...
        session.execute(update(Deadline).where(Deadline.id == given_up.id).values(timer="review_request_window"))
    assert deadline_retries.retry(db, world.officer, given_up.id, now=now) == "Owner may ask for a review"
    with pytest.raises(Conflict):
        deadline_retries.retry(db, world.officer, given_up.id, now=now)
    assert deadlines.sweep(db, now=now).closed == 1  # ...and the next sweep applies it
    assert case_page(db, world.officer, "BDC-ACV-00001").problems == ()
    summaries = [e.summary for e in case_summary(db, listing).events]
    assert any(s.startswith("Asked for \u201cOwner may ask for a review\u201d to be applied again") for s in summaries)


def test_the_days_a_council_sets_decide_when_reminders_go_for_deadlines_set_afterwards(db: Database) -> None:
    world = make_world(db)
    listing = list_pub(db, world)
    before = notice(db, world, listing, date(2026, 4, 1))
    councils.set_reminder_offsets(
        db, world.admin, {"moratorium__interim_end": [10, 3], "moratorium__protected_end": []}
    )
    with pytest.raises(
        InvalidInput,
        match=r"Interim moratorium ends\u201d \(community right to bid: disposal moratorium\) must be between 1 and",
    ):
        councils.set_reminder_offsets(db, world.admin, {"moratorium__interim_end": [0]})
    with pytest.raises(PermissionDenied):
        councils.set_reminder_offsets(db, world.officer, {"moratorium__interim_end": [5]})
    other = list_pub(db, world, name="The Cat and Fiddle", uprn="100012345999")
    after = notice(db, world, other, date(2026, 4, 1))

    def planned(case_id: uuid.UUID) -> list[int]:
        with db.reader() as session:
            return sorted(session.scalars(select(Reminder.days_before).where(Reminder.case_id == case_id)))

    assert planned(before) == [1, 7, 14, 28]  # armed before the change: the workflow's own days
    assert planned(after) == [3, 10]  # the interim end at 10 and 3 days; none at all for the protected end
    assert deadlines.sweep(db, now=moment("2026-04-28", 7)).reminders == 1  # 14 days before: the first case only
    assert deadlines.sweep(db, now=moment("2026-05-02", 7)).reminders == 1  # 10 days before: the second
    assert deadlines.sweep(db, now=moment("2026-05-05", 7)).reminders == 1  # 7: the first
    assert deadlines.sweep(db, now=moment("2026-05-09", 7)).reminders == 1  # 3: the second


ROUNDS = 4
NOMINATIONS_PER_ROUND = 24


def _nominations_due_in_rounds(db: Database, world: World) -> list[datetime]:
    """NOMINATIONS_PER_ROUND undecided nominations per round, each round's decisions falling due a week apart."""
    rounds = []
    for round_number in range(ROUNDS):
        received = date(2026, 3, 2) + timedelta(weeks=round_number)
        when = datetime.combine(received, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
        for n in range(NOMINATIONS_PER_ROUND):  # paper nominations the officer records, each received that day
            pub = pub_nomination(name=f"The Bull {round_number}-{n}", uprn=f"2000000{round_number:02d}{n:03d}")
            nominations.nominate(db, world.officer, world.council_id, world.group_id, pub, received_on=received,
                                 now=when)  # fmt: skip
        rounds.append(moment((received + timedelta(weeks=8)).isoformat()))  # the day after the decision was due
    return rounds


def _three_sweepers_at_once(db: Database, now: datetime) -> list[deadlines.SweepReport]:
    """Three sweepers released together by a barrier, in small batches so they contend for the same rows."""
    barrier = threading.Barrier(3)
    reports: list[deadlines.SweepReport] = []

    def sweeper() -> None:
        barrier.wait()
        reports.append(deadlines.sweep(db, now=now, batch_size=2))

    threads = [threading.Thread(target=sweeper) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reports.append(deadlines.sweep(db, now=now))  # anything skipped as busy goes on the next run
    return reports


@pytest.mark.postgres
def test_three_sweepers_at_once_fire_every_deadline_exactly_once(pg_db: Database) -> None:
    """Each round, three sweepers race for the same due deadlines: each is acted on once, never twice or not at all.

    Acting twice shows as a second event for the same deadline (an escalation), or as a deadline first fired and
    then cancelled when its trigger no longer applied (a moratorium moved on by the first sweeper).
    """
    world = make_world(pg_db)
    cycles = [notice(pg_db, world, list_pub_numbered(pg_db, world, n), date(2026, 4, 1)) for n in range(6)]
    rounds = _nominations_due_in_rounds(pg_db, world)
    rounds[-1] = max(rounds[-1], moment("2026-09-01"))  # the last round also takes the moratoria's interim ends

    for now in rounds:
        with pg_db.reader() as session:
            due = set(
                session.scalars(select(Deadline.id).where(Deadline.status == "pending", Deadline.fires_at <= now))
            )
        assert len(due) >= NOMINATIONS_PER_ROUND
        reports = _three_sweepers_at_once(pg_db, now)

        fired = [deadline_id for report in reports for deadline_id in report.fired_ids]
        assert sorted(map(str, fired)) == sorted(map(str, due))  # each once, none missed
        assert sum(report.cancelled + report.failed for report in reports) == 0
        with pg_db.reader() as session:
            statuses = Counter(session.scalars(select(Deadline.status).where(Deadline.id.in_(due))))
            acted = Counter(
                event.data["deadline_id"]
                for event in session.scalars(
                    select(CaseEvent).where(CaseEvent.kind.in_(["transition", "deadline_overdue"]))
                )
                if "deadline_id" in event.data
            )
        assert statuses == Counter({"fired": len(due)})
        assert all(count == 1 for count in acted.values())
    with pg_db.reader() as session:
        per_case = Counter(session.scalars(select(CaseEvent.case_id).where(CaseEvent.trigger == "interim_ends")))
    assert per_case == Counter(dict.fromkeys(cycles, 1))


def list_pub_numbered(db: Database, world: World, n: int) -> uuid.UUID:
    return list_pub(db, world, name=f"The Bull {n}", uprn=f"1000000000{n:02d}")
