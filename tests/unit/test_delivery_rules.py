"""The rules behind retries and reminders, with no database: how long to wait, how to say the time left, who is
one recipient, and when a failing deadline is given up on."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from casework.models import Deadline
from casework.notifying.outcomes import RetryPolicy
from casework.notifying.particulars import time_left
from casework.notifying.recipients import Recipient
from casework.services import deadline_retries

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_a_retry_waits_twice_as_long_each_time_up_to_a_ceiling_with_half_of_it_random() -> None:
    policy = RetryPolicy(max_attempts=20, first_wait=30, longest_wait=600)
    for attempts, ceiling in [(1, 30), (2, 60), (3, 120), (5, 480), (6, 600), (19, 600)]:
        waits = [policy.wait(attempts) for _ in range(200)]
        assert ceiling / 2 <= min(waits) and max(waits) <= ceiling
        assert max(waits) - min(waits) > ceiling / 10  # spread out, so retries after an outage do not stampede


@pytest.mark.parametrize(
    ("due", "today", "said"),
    [
        (date(2026, 5, 12), date(2026, 4, 28), "in 14 days"),
        (date(2026, 5, 12), date(2026, 5, 10), "in 2 days"),
        (date(2026, 5, 12), date(2026, 5, 11), "tomorrow"),
        (date(2026, 5, 12), date(2026, 5, 12), "today"),
        (date(2026, 5, 12), date(2026, 5, 13), "that day has passed"),
    ],
)
def test_a_reminder_says_how_long_is_left_as_a_person_would(due: date, today: date, said: str) -> None:
    assert time_left(due, today) == said


def test_one_address_is_one_recipient_whatever_its_case_and_a_letter_is_known_by_name_and_address() -> None:
    assert (
        Recipient("owner", "A", " Shared@Example.COM").identity
        == Recipient("occupier", "B", "shared@example.com").identity
    )
    assert Recipient("owner", "Bull Inns", None, "1 High St").identity == "bull inns|1 high st"
    assert Recipient("owner", "Bull Inns", None, "2 High St").identity != "bull inns|1 high st"


def test_only_someone_told_just_because_they_asked_for_alerts_is_sent_to_the_public_register() -> None:
    assert Recipient("subscribers", "r", "r@example.org", parties=("subscribers",)).only_an_alert
    assert not Recipient("nominator", "m", "m@example.org", parties=("nominator", "subscribers")).only_an_alert


def test_a_failing_deadline_waits_longer_each_time_and_is_given_up_after_its_attempts() -> None:
    deadline = Deadline(id=uuid.uuid4(), status="pending", attempts=0, fires_at=NOW)
    waits = []
    for _ in range(deadline_retries.MAX_ATTEMPTS - 1):
        deadline_retries.record_failure(deadline, "KeyError: 'no_such_timer'", NOW)
        waits.append(deadline.fires_at - NOW)
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
    assert deadline.status == "pending"
    deadline_retries.record_failure(deadline, "KeyError: 'no_such_timer'", NOW)
    assert (deadline.status, deadline.attempts, deadline.last_error) == (
        "failed",
        deadline_retries.MAX_ATTEMPTS,
        "KeyError: 'no_such_timer'",
    )
