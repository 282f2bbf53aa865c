"""Send each delivery once: claim it, send it with no transaction open, record what became of it.

Sending claims the row first (pending -> sending, committed), so a task that
runs again finds it claimed or sent and does nothing. A try the mail server
could not take now leaves the delivery retrying: one chain of retries per
delivery, each try fenced by the number of attempts it follows, so a replayed
or duplicated task cannot start a second chain. What each try came to, and
what follows from it, is casework.notifying.outcomes; planning the deliveries
is casework.notifying.notifications.

A worker claims one delivery at a time (SKIP LOCKED on PostgreSQL; on SQLite
the claiming UPDATE is atomic by itself), recording each send in the
transaction that claims the next, so a worker killed mid-send leaves at most
one email in doubt, sent again later with its first Message-ID
(casework.notifying.resending).
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from casework import clock
from casework.adapters.mail import Email, Mailer
from casework.db import Database
from casework.errors import NotFound
from casework.models import Delivery
from casework.models.base import Base
from casework.models.notification import FAILED, PENDING, RETRYING, SENDING
from casework.notifying.outcomes import Claimed, RetryLater, RetryPolicy, Tried, outcome, try_sending

log = logging.getLogger(__name__)


@dataclass
class Dispatched:
    """What one message's task did: the deliveries it sent, those left to queue, and the retries to schedule."""

    statuses: dict[uuid.UUID, str] = field(default_factory=dict)
    queue: list[uuid.UUID] = field(default_factory=list)
    retries: list[RetryLater] = field(default_factory=list)


def _claim(session: Session, delivery_id: uuid.UUID, expected_attempts: int | None, now: datetime) -> Claimed | None:
    """pending -> sending (or retrying -> sending, for the try that follows `expected_attempts`); None if not ours."""
    retrying = Delivery.status == RETRYING
    if expected_attempts is not None:
        retrying = and_(retrying, Delivery.attempts == expected_attempts)
    row = session.execute(
        update(Delivery)
        # Never a row another worker claimed: if that worker died mid-send, the email may have gone.
        .where(Delivery.id.in_(_lockable(Delivery.id == delivery_id, or_(Delivery.status == PENDING, retrying))))
        .values(status=SENDING, claimed_at=now, attempts=Delivery.attempts + 1, retry_at=None)
        .returning(*_CLAIMED_COLUMNS)
    ).first()
    return _claimed(row) if row is not None else None


def _lockable(*conditions: Any) -> Any:
    """The ids of rows meeting `conditions` that no other transaction holds: a claim skips a row another worker is
    claiming (SKIP LOCKED on PostgreSQL) rather than waiting for it; SQLite renders no lock (its writes are one at a
    time, so the claiming UPDATE is atomic by itself)."""
    return select(Delivery.id).where(*conditions).with_for_update(skip_locked=True)


_CLAIMED_COLUMNS = (
    Delivery.id,
    Delivery.attempts,
    Delivery.recipient,
    Delivery.recipient_name,
    Delivery.subject,
    Delivery.body_text,
    Delivery.body_html,
    Delivery.unsubscribe_url,
    Delivery.email_message_id,
    Delivery.in_doubt,
)


def _claimed(row: Any) -> Claimed:
    email = Email(row[2], row[3], row[4], row[5], row[6], str(row[0]), row[7], row[8])
    return Claimed(row[0], row[1], email, row[9])


def _record(session: Session, claimed: Claimed, result: Tried, policy: RetryPolicy, now: datetime) -> RetryLater | None:
    values, later = outcome(claimed, result, policy, now)
    session.execute(
        update(Delivery)
        # Fenced by the claim: a send so slow that its claim was taken for a dead worker's does not overwrite the
        # resend's outcome (the resend carries the same Message-ID).
        .where(Delivery.id == claimed.delivery_id, Delivery.status == SENDING, Delivery.attempts == claimed.attempts)
        .values(**values)
    )
    return later


_DELIVERIES = Base.metadata.tables[Delivery.__tablename__]


def _store(session: Session, outcomes: list[tuple[Claimed, dict[str, Any]]]) -> None:
    """The outcomes of sends, one statement (executemany) for each shape of outcome, each fenced by its claim."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for claimed, values in outcomes:
        shapes.setdefault(tuple(sorted(values)), []).append(
            {"stored_id": claimed.delivery_id, "claimed_attempts": claimed.attempts, **values}
        )
    for keys, params in shapes.items():
        statement = (
            update(_DELIVERIES)
            .where(
                _DELIVERIES.c.id == bindparam("stored_id"),
                _DELIVERIES.c.status == SENDING,
                _DELIVERIES.c.attempts == bindparam("claimed_attempts"),
            )
            .values({key: bindparam(key) for key in keys})
        )
        session.connection().execute(statement, params)


def deliver(
    db: Database,
    delivery_id: uuid.UUID,
    mailer: Mailer,
    *,
    policy: RetryPolicy | None = None,
    expected_attempts: int | None = None,
    now: datetime | None = None,
) -> str:
    """Send one delivery unless it has gone already, or is not this try's to send; returns its status afterwards.

    Claims the row in one transaction, sends with no transaction open, and
    records the outcome in another. Raises RetryLater (after recording the
    delivery as retrying) when the mail server could not take it now; a refusal
    is final; an outcome nobody can be sure of is left unconfirmed for officers.
    """
    policy = policy or RetryPolicy()
    with db.transaction() as session:
        claimed = _claim(session, delivery_id, expected_attempts, now or clock.utcnow())
        if claimed is None:
            status = session.scalar(select(Delivery.status).where(Delivery.id == delivery_id))
            if status is None:
                raise NotFound(f"There is no delivery {delivery_id}")
            return status  # sent already, another worker has it, or another try is due later
    result = try_sending(mailer, claimed)
    with db.transaction() as session:
        later = _record(session, claimed, result, policy, now or clock.utcnow())
    if later is not None:
        raise later
    if result.unexpected is not None:
        raise result.unexpected
    return FAILED if result.retryable else result.status


def deliver_many(
    db: Database,
    delivery_ids: Sequence[uuid.UUID],
    mailer: Mailer,
    *,
    policy: RetryPolicy | None = None,
    now: datetime | None = None,
) -> Dispatched:
    """Send waiting deliveries one at a time: each transaction records the send before it and claims the next, so a
    crash leaves at most one claimed but unrecorded (in doubt: sent again after the wait, same Message-ID)."""
    return send_claimed(db, list(delivery_ids), mailer, policy or RetryPolicy(), now)


def send_claimed(
    db: Database,
    ids: list[uuid.UUID],
    mailer: Mailer,
    policy: RetryPolicy,
    now: datetime | None,
    queue: list[uuid.UUID] | None = None,
) -> Dispatched:
    """Claim the first of `ids` still waiting, then send them one by one (`send_from`), leaving `queue` for the
    caller."""
    waiting = deque(ids)
    current = None
    if waiting:
        with db.transaction() as session:
            current = claim_next(session, waiting, now or clock.utcnow())
    return send_from(db, waiting, current, mailer, policy, now, Dispatched(queue=queue or []))


def send_from(
    db: Database,
    waiting: deque[uuid.UUID],
    current: Claimed | None,
    mailer: Mailer,
    policy: RetryPolicy,
    now: datetime | None,
    done: Dispatched,
) -> Dispatched:
    """Send `current` (claimed already) and then each of `waiting` that no other worker took, one at a time: the
    transaction that records a send claims the next, so one commit per email and never two claims unrecorded."""
    while current is not None:
        result = try_sending(mailer, current)
        try:
            with db.transaction() as session:
                _record_all(session, [(current, result)], policy, now or clock.utcnow(), done)
                following = claim_next(session, waiting, now or clock.utcnow())
        except Exception:  # the send must not be forgotten with the next claim
            with db.transaction() as session:
                _record_all(session, [(current, result)], policy, now or clock.utcnow(), Dispatched())
            raise
        current = following
    return done


def claim_next(session: Session, waiting: deque[uuid.UUID], now: datetime) -> Claimed | None:
    """pending -> sending for the first of `waiting` still pending and not being claimed by another worker, taken
    off `waiting` with those before it (another worker's); None when none is left."""
    while waiting:
        delivery_id = waiting.popleft()
        row = session.execute(
            update(Delivery)
            .where(Delivery.id.in_(_lockable(Delivery.id == delivery_id, Delivery.status == PENDING)))
            .values(status=SENDING, claimed_at=now, attempts=Delivery.attempts + 1, retry_at=None)
            .returning(*_CLAIMED_COLUMNS)
        ).first()
        if row is not None:
            return _claimed(row)
    return None


def _record_all(
    session: Session, results: list[tuple[Claimed, Tried]], policy: RetryPolicy, now: datetime, done: Dispatched
) -> None:
    outcomes = []
    for claimed, result in results:
        values, later = outcome(claimed, result, policy, now)
        outcomes.append((claimed, values))
        _recorded(done, claimed, later, result)
        if result.unexpected is not None:
            log.error("delivery %s may or may not have gone: %s", claimed.delivery_id, result.error)
    if outcomes:
        _store(session, outcomes)


def _recorded(done: Dispatched, claimed: Claimed, later: RetryLater | None, result: Tried) -> None:
    if later is not None:
        done.retries.append(later)
        done.statuses[claimed.delivery_id] = RETRYING
    else:
        done.statuses[claimed.delivery_id] = FAILED if result.retryable else result.status


def record_failure(db: Database, delivery_id: uuid.UUID, error: str) -> None:
    """Retries are exhausted: mark the delivery failed, so officers see it and can act. One transaction.

    A delivery already sent, or already flagged as unconfirmed, keeps that status.
    """
    with db.transaction() as session:
        delivery = session.get(Delivery, delivery_id)
        if delivery is None:
            return
        if delivery.status in (PENDING, RETRYING, SENDING):
            delivery.status = FAILED
            delivery.last_error = f"Gave up after retrying: {error}"[:2000]
    log.error("delivery %s failed for good: %s", delivery_id, error)
