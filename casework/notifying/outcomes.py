"""What one try at sending an email came to, and what follows from it: sent, refused, tried again after a wait,
or sent again in doubt.

A mail server that cannot take a message now leaves the delivery retrying,
with the time of its next try; after `RetryPolicy.max_attempts` the delivery
is failed, for officers to see and send again. An email that may have gone
(the connection broke after the message was handed over) is sent again after
`RetryPolicy.resend_wait` with the Message-ID of its first try, so a mailbox
that got both keeps one copy; through GOV.UK Notify, which sets its own
Message-ID, Notify is asked first whether it has it. After `max_resends` such
tries it is left unconfirmed for officers. Claiming and recording the tries is
casework.notifying.deliveries.
"""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from casework.adapters.mail import Email, MailDeliveryUncertain, Mailer, MailerUnavailable, MailRejected, SentLookup
from casework.config import Settings
from casework.models.notification import FAILED, RETRYING, SENT, UNCONFIRMED

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)  # a claim older than this belongs to a worker that died mid-send
MAX_RESENDS = 3  # tries in doubt sent again by themselves; after that, officers decide


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how long apart, a delivery the mail server cannot take now is tried again."""

    max_attempts: int = 20
    first_wait: float = 30.0
    longest_wait: float = 600.0
    resend_wait: float = STALE_AFTER.total_seconds()  # before sending again an email that may have gone
    max_resends: int = MAX_RESENDS

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            settings.send_max_attempts,
            settings.send_retry_seconds,
            settings.send_retry_max_seconds,
            settings.delivery_stale_seconds,
        )

    def wait(self, attempts: int) -> float:
        """Seconds before the next try after `attempts` tries: doubling, capped, half of it random (jitter)."""
        ceiling = min(self.longest_wait, self.first_wait * float(2 ** max(0, attempts - 1)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - spreading retries, not a secret


class RetryLater(Exception):
    """The delivery is recorded as retrying: try it again after `wait` seconds, fenced by `attempts`."""

    def __init__(self, delivery_id: uuid.UUID, attempts: int, wait: float, reason: str) -> None:
        super().__init__(f"delivery {delivery_id}: {reason}; try {attempts + 1} in {wait:.0f}s")
        self.delivery_id = delivery_id
        self.attempts = attempts
        self.wait = wait


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker has claimed (sending), with the email to send and the tries it follows."""

    delivery_id: uuid.UUID
    attempts: int
    email: Email
    in_doubt: int = 0  # earlier tries that may have gone: this one is a resend


@dataclass(frozen=True)
class Tried:
    """What one try came to, as the mailer said it."""

    status: str
    error: str | None = None
    reference: str | None = None
    retryable: bool = False  # the mail server could not take it now: retry, unless out of attempts
    in_doubt: bool = False  # it may have gone: send it again after a wait, with the same Message-ID
    unexpected: BaseException | None = None  # the caller decides whether to raise it


def try_sending(mailer: Mailer, claimed: Claimed) -> Tried:
    """Send the claimed email once, with no transaction open; every failure is read into what it means."""
    try:
        if claimed.in_doubt and isinstance(mailer, SentLookup):  # GOV.UK Notify: ask before a second request
            found = mailer.find(claimed.email.reference)
            if found is not None:
                return Tried(SENT, reference=found)
        reference = mailer.send(claimed.email)
    except MailRejected as exc:
        return Tried(FAILED, error=str(exc))
    except MailerUnavailable as exc:  # it certainly did not go: safe to try again
        return Tried(RETRYING, error=str(exc), retryable=True)
    except MailDeliveryUncertain as exc:  # it may have gone: send again after a wait, never at once
        return Tried(UNCONFIRMED, error=str(exc), in_doubt=True)
    except Exception as exc:  # the same, for anything we did not foresee
        return Tried(UNCONFIRMED, error=f"{type(exc).__name__}: {exc}", unexpected=exc, in_doubt=True)
    return Tried(SENT, reference=reference)


def outcome(
    claimed: Claimed, result: Tried, policy: RetryPolicy, now: datetime
) -> tuple[dict[str, Any], RetryLater | None]:
    """What to store of a send, and a RetryLater if it should be tried again."""
    values: dict[str, Any] = {"status": result.status}
    later = None
    if result.status == SENT:
        values.update(provider_reference=result.reference, sent_at=now)
        if claimed.in_doubt:
            values.update(resent_at=now)
    elif result.in_doubt and claimed.in_doubt < policy.max_resends:
        wait = policy.resend_wait
        error = f"{result.error}. It may have gone: it will be sent again with the same Message-ID"
        later = RetryLater(claimed.delivery_id, claimed.attempts, wait, error)
        values.update(
            status=RETRYING, retry_at=now + timedelta(seconds=wait), in_doubt=claimed.in_doubt + 1,
            last_error=error[:2000],
        )  # fmt: skip
    elif result.retryable and claimed.attempts >= policy.max_attempts:
        values.update(status=FAILED, last_error=f"Gave up after {claimed.attempts} attempts: {result.error}"[:2000])
    elif result.retryable:
        wait = policy.wait(claimed.attempts)
        later = RetryLater(claimed.delivery_id, claimed.attempts, wait, result.error or "")
        values.update(last_error=(result.error or "")[:2000], retry_at=now + timedelta(seconds=wait))
    else:
        values.update(last_error=(result.error or "")[:2000])
    if values["status"] == FAILED:
        log.error("delivery %s failed: %s", claimed.delivery_id, values.get("last_error"))
    return values, later
