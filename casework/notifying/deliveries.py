"""Send each delivery once: claim it, send it with no transaction open, record what became of it.

Sending claims the row first (pending -> sending, committed), so a task that
runs again finds it claimed or sent and does nothing. A mail server that cannot
take a message now leaves the delivery retrying, with the time of its next try:
one chain of retries per delivery, each try fenced by the number of attempts it
follows, so a replayed or duplicated task cannot start a second chain; after
`RetryPolicy.max_attempts` the delivery is failed, for officers to see and send
again. Planning the deliveries is casework.notifying.notifications.

A worker claims one delivery at a time (SKIP LOCKED on PostgreSQL; on SQLite
the claiming UPDATE is atomic by itself), recording each send in the
transaction that claims the next, so a worker killed mid-send leaves at most
one email in doubt. An email in doubt (its worker died, or the connection broke
after the message was handed over) is sent again after a wait
(`RetryPolicy.resend_wait`, DELIVERY_STALE_SECONDS) with the Message-ID of its
first try, fixed when it was planned, so a mailbox that got both keeps one copy;
through GOV.UK Notify, which sets its own Message-ID, Notify is asked first
whether it has it. After `max_resends` such tries it is left unconfirmed for
officers. GOV.UK Notify's answers arrive by polling and by its callbacks.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.adapters.mail import (
    Email,
    MailDeliveryUncertain,
    Mailer,
    MailerUnavailable,
    MailRejected,
    ProviderStatus,
    SentLookup,
    StatusSource,
)
from casework.config import Settings
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.models import Case, Delivery
from casework.models.base import Base
from casework.models.notification import FAILED, PENDING, RETRYING, SENDING, SENT, UNCONFIRMED
from casework.permissions import check_case_access
from casework.transitions import locks
from casework.transitions.outbox import enqueue
from casework.transitions.trail import record_event
from workflows.roles import STAFF_ROLES

log = logging.getLogger(__name__)

RESEND_TOPIC = "delivery.resend"  # an officer asked for a failed delivery to go again
STALE_AFTER = timedelta(minutes=10)  # a claim older than this belongs to a worker that died mid-send
MAX_RESENDS = 3  # tries in doubt sent again by themselves; after that, officers decide
PROVIDER_FINAL = {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}
PROVIDER_FAILED = {"permanent-failure", "temporary-failure", "technical-failure"}


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


@dataclass
class Dispatched:
    """What one message's task did: the deliveries it sent, those left to queue, and the retries to schedule."""

    statuses: dict[uuid.UUID, str] = field(default_factory=dict)
    queue: list[uuid.UUID] = field(default_factory=list)
    retries: list[RetryLater] = field(default_factory=list)


@dataclass(frozen=True)
class _Claimed:
    delivery_id: uuid.UUID
    attempts: int
    email: Email
    in_doubt: int = 0  # earlier tries that may have gone: this one is a resend


@dataclass(frozen=True)
class _Result:
    status: str
    error: str | None = None
    reference: str | None = None
    retryable: bool = False  # the mail server could not take it now: retry, unless out of attempts
    in_doubt: bool = False  # it may have gone: send it again after a wait, with the same Message-ID
    unexpected: BaseException | None = None  # the caller decides whether to raise it


def _claim(session: Session, delivery_id: uuid.UUID, expected_attempts: int | None, now: datetime) -> _Claimed | None:
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


def _claimed(row: Any) -> _Claimed:
    email = Email(row[2], row[3], row[4], row[5], row[6], str(row[0]), row[7], row[8])
    return _Claimed(row[0], row[1], email, row[9])


def _send(mailer: Mailer, claimed: _Claimed) -> _Result:
    try:
        if claimed.in_doubt and isinstance(mailer, SentLookup):  # GOV.UK Notify: ask before a second request
            found = mailer.find(claimed.email.reference)
            if found is not None:
                return _Result(SENT, reference=found)
        reference = mailer.send(claimed.email)
    except MailRejected as exc:
        return _Result(FAILED, error=str(exc))
    except MailerUnavailable as exc:  # it certainly did not go: safe to try again
        return _Result(RETRYING, error=str(exc), retryable=True)
    except MailDeliveryUncertain as exc:  # it may have gone: send again after a wait, never at once
        return _Result(UNCONFIRMED, error=str(exc), in_doubt=True)
    except Exception as exc:  # the same, for anything we did not foresee
        return _Result(UNCONFIRMED, error=f"{type(exc).__name__}: {exc}", unexpected=exc, in_doubt=True)
    return _Result(SENT, reference=reference)


def _outcome(
    claimed: _Claimed, result: _Result, policy: RetryPolicy, now: datetime
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


def _record(
    session: Session, claimed: _Claimed, result: _Result, policy: RetryPolicy, now: datetime
) -> RetryLater | None:
    values, later = _outcome(claimed, result, policy, now)
    session.execute(
        update(Delivery)
        # Fenced by the claim: a send so slow that its claim was taken for a dead worker's does not overwrite the
        # resend's outcome (the resend carries the same Message-ID).
        .where(Delivery.id == claimed.delivery_id, Delivery.status == SENDING, Delivery.attempts == claimed.attempts)
        .values(**values)
    )
    return later


_DELIVERIES = Base.metadata.tables[Delivery.__tablename__]


def _store(session: Session, outcomes: list[tuple[_Claimed, dict[str, Any]]]) -> None:
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
    result = _send(mailer, claimed)
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
    current: _Claimed | None,
    mailer: Mailer,
    policy: RetryPolicy,
    now: datetime | None,
    done: Dispatched,
) -> Dispatched:
    """Send `current` (claimed already) and then each of `waiting` that no other worker took, one at a time: the
    transaction that records a send claims the next, so one commit per email and never two claims unrecorded."""
    while current is not None:
        result = _send(mailer, current)
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


def claim_next(session: Session, waiting: deque[uuid.UUID], now: datetime) -> _Claimed | None:
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
    session: Session, results: list[tuple[_Claimed, _Result]], policy: RetryPolicy, now: datetime, done: Dispatched
) -> None:
    outcomes = []
    for claimed, result in results:
        values, later = _outcome(claimed, result, policy, now)
        outcomes.append((claimed, values))
        _recorded(done, claimed, later, result)
        if result.unexpected is not None:
            log.error("delivery %s may or may not have gone: %s", claimed.delivery_id, result.error)
    if outcomes:
        _store(session, outcomes)


def _recorded(done: Dispatched, claimed: _Claimed, later: RetryLater | None, result: _Result) -> None:
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


def unfinished(
    db: Database,
    *,
    now: datetime | None = None,
    older_than: timedelta = timedelta(minutes=5),
    stale_after: timedelta = STALE_AFTER,
    max_resends: int = MAX_RESENDS,
) -> list[tuple[uuid.UUID, int | None]]:
    """Deliveries whose task was lost (a broker restart, say): (id, the attempts its next try follows), to queue.

    A pending delivery waiting longer than `older_than`; a retrying one whose
    next try is `older_than` overdue (its chain of retries died); and one claimed
    `stale_after` ago and never recorded, whose worker must have died mid-send:
    it may have gone, so it is sent again with the same Message-ID (counted in
    `in_doubt`, shown to officers as resent), up to `max_resends` times; after
    that it is marked unconfirmed, for officers to decide. One transaction.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        stale = and_(Delivery.status == SENDING, Delivery.claimed_at < now - stale_after)
        again = session.execute(
            update(Delivery)
            .where(stale, Delivery.in_doubt < max_resends)
            .values(status=RETRYING, retry_at=now, in_doubt=Delivery.in_doubt + 1, last_error=STOPPED_MID_SEND)
            .returning(Delivery.id, Delivery.attempts)
        ).all()
        session.execute(
            update(Delivery)
            .where(stale)
            .values(
                status=UNCONFIRMED,
                last_error=f"The worker stopped while sending it, {max_resends + 1} times: it may or may not have gone",
            )
        )
        waiting = session.execute(
            select(Delivery.id, Delivery.status, Delivery.attempts).where(
                or_(
                    and_(Delivery.status == PENDING, Delivery.created_at < now - older_than),
                    and_(Delivery.status == RETRYING, Delivery.retry_at < now - older_than),
                )
            )
        ).all()
        resends = [(row.id, int(row.attempts)) for row in again]
        return resends + [(row.id, row.attempts if row.status == RETRYING else None) for row in waiting]


STOPPED_MID_SEND = "The worker stopped while sending it: it may have gone, so it is sent again with the same Message-ID"


# --- what officers do about it --------------------------------------------------------------------------


def resend(db: Database, actor: Actor, delivery_id: uuid.UUID, *, now: datetime | None = None) -> str:
    """An officer sends a failed (or unconfirmed, once checked) delivery again; returns who to. One transaction.

    The delivery starts over (pending, no attempts); the worker picks it up
    through the outbox, and the case's trail records who asked.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        delivery = session.get(Delivery, delivery_id)
        case = session.get(Case, delivery.case_id) if delivery is not None and delivery.case_id else None
        if actor.role not in STAFF_ROLES:
            raise PermissionDenied("Only council staff can send a letter or email again")
        if delivery is None or case is None:
            raise NotFound("There is no such letter or email")
        check_case_access(session, actor, case)
        case = locks.lock_case(session, case.id)
        session.refresh(delivery, with_for_update=True)
        if delivery.status not in (FAILED, UNCONFIRMED):
            status = delivery.status.replace("_", " ")
            raise Conflict(f"The email to {delivery.recipient} is {status}: there is nothing to send again")
        was = delivery.status
        delivery.status = PENDING
        delivery.attempts = 0
        delivery.retry_at = None
        delivery.claimed_at = None
        delivery.provider_status = None
        delivery.in_doubt = 0  # the same Message-ID still: a mailbox that had it after all keeps one copy
        record_event(
            session, case, actor, now=now, kind="delivery_resent",
            summary=f"Asked for the {was} email to {delivery.recipient} to be sent again: {delivery.subject}",
            data={"delivery_id": str(delivery.id), "was": was, "last_error": delivery.last_error},
        )  # fmt: skip
        enqueue(
            session, RESEND_TOPIC, {"delivery_id": str(delivery.id)}, now=now,
            council_id=case.council_id, case_id=case.id,
        )  # fmt: skip
        return delivery.recipient


# --- proof of service from GOV.UK Notify ----------------------------------------------------------------


def check_provider_statuses(
    db: Database, source: StatusSource, *, now: datetime | None = None, limit: int = 200
) -> int:
    """Ask the provider what became of sent emails it has not yet given a final answer on; returns how many changed.

    GOV.UK Notify keeps a notification's status for 7 days, so only emails sent
    since then are asked about. A final failure (the address does not exist, the
    inbox is full, Notify's own failure) makes the delivery failed, for officers.
    """
    now = now or clock.utcnow()
    with db.reader() as session:
        rows = session.execute(
            select(Delivery.id, Delivery.provider_reference)
            .where(
                Delivery.channel == "notify",
                Delivery.status == SENT,
                Delivery.provider_reference.is_not(None),
                Delivery.sent_at > now - timedelta(days=7),
                or_(Delivery.provider_status.is_(None), Delivery.provider_status.not_in(sorted(PROVIDER_FINAL))),
            )
            .order_by(Delivery.sent_at)
            .limit(limit)
        ).all()
    answers: list[tuple[uuid.UUID, ProviderStatus]] = []
    for delivery_id, reference in rows:
        try:
            answer = source.status(str(reference))
        except MailerUnavailable as exc:
            log.warning("could not ask about delivery %s: %s", delivery_id, exc)
            break  # the provider is unreachable: ask again next time
        if answer is not None:
            answers.append((delivery_id, answer))
    changed = 0
    with db.transaction() as session:
        for delivery_id, answer in answers:
            values: dict[str, Any] = {"provider_status": answer.status[:40], "provider_checked_at": now}
            if answer.status in PROVIDER_FAILED:
                values.update(status=FAILED, last_error=f"GOV.UK Notify could not deliver it: {answer.status}")
            result = session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.status == SENT)
                .where(or_(Delivery.provider_status.is_(None), Delivery.provider_status != answer.status))
                .values(**values)
            )
            changed += cast(CursorResult[Any], result).rowcount
    return changed


@dataclass(frozen=True)
class ProviderCallback:
    """GOV.UK Notify's delivery receipt, as its callback sends it: its own id for the notification, our reference
    (the delivery id), the address, its status and when it was created, sent and completed."""

    notification_id: str
    reference: str | None
    to: str
    status: str
    notification_type: str
    created_at: datetime | None = None
    sent_at: datetime | None = None
    completed_at: datetime | None = None


def record_callback(db: Database, callback: ProviderCallback, *, now: datetime | None = None) -> str:
    """What GOV.UK Notify called back to say became of an email; returns the delivery's status after. One
    transaction.

    The email is found by our reference or Notify's id, and must be to the
    address the callback names. A final failure makes it failed, for officers; a
    "delivered" (or "sending") for an email in doubt is proof that Notify had it,
    so it is recorded sent and not sent again. An email still being sent keeps
    its status (the worker records it a moment later); the answer is kept.
    """
    now = now or clock.utcnow()
    found = [Delivery.provider_reference == callback.notification_id]
    reference = _uuid(callback.reference)
    if reference is not None:
        found.append(Delivery.id == reference)
    with db.transaction() as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.channel == "notify", or_(*found)).with_for_update()
        ).first()
        if delivery is None or delivery.recipient.lower() != callback.to.strip().lower():
            raise NotFound("There is no email with that id, reference and address")
        delivery.provider_status = callback.status[:40]
        delivery.provider_checked_at = now
        in_doubt = delivery.status == UNCONFIRMED or (delivery.status == RETRYING and delivery.in_doubt > 0)
        if callback.status in PROVIDER_FAILED and (delivery.status == SENT or in_doubt):
            delivery.status = FAILED
            delivery.last_error = f"GOV.UK Notify could not deliver it: {callback.status}"
        elif callback.status in {"sending", "delivered"} and in_doubt:
            delivery.status = SENT
            delivery.sent_at = callback.sent_at or now
            delivery.retry_at = None
        if delivery.status != SENDING:
            delivery.provider_reference = callback.notification_id[:300]
        log.info("GOV.UK Notify says delivery %s is %s", delivery.id, callback.status)
        return delivery.status


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text)) if text else None
    except ValueError:
        return None
