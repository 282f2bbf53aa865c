"""Send each delivery once: claim it, send it with no transaction open, record what became of it.

Sending claims the row first (pending -> sending, committed), so a task that
runs again finds it claimed or sent and does nothing. A mail server that cannot
take a message now leaves the delivery retrying, with the time of its next try:
one chain of retries per delivery, each try fenced by the number of attempts it
follows, so a replayed or duplicated task cannot start a second chain; after
`RetryPolicy.max_attempts` the delivery is failed, for officers to see and send
again. Planning the deliveries is casework.services.notifications.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from casework import clock, engine
from casework.actors import Actor
from casework.adapters.mail import (
    Email,
    MailDeliveryUncertain,
    Mailer,
    MailerUnavailable,
    MailRejected,
    ProviderStatus,
    StatusSource,
)
from casework.config import Settings
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.models import Case, Delivery
from casework.models.base import Base
from casework.models.notification import FAILED, PENDING, RETRYING, SENDING, SENT, UNCONFIRMED
from casework.permissions import check_case_access
from workflows.roles import STAFF_ROLES

log = logging.getLogger(__name__)

RESEND_TOPIC = "delivery.resend"  # an officer asked for a failed delivery to go again
STALE_AFTER = timedelta(minutes=15)  # a claim older than this belongs to a worker that died mid-send
CLAIM_AT_ONCE = 10  # deliveries claimed in one transaction, then sent one after another
PROVIDER_FINAL = {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}
PROVIDER_FAILED = {"permanent-failure", "temporary-failure", "technical-failure"}


@dataclass(frozen=True)
class RetryPolicy:
    """How often, and how long apart, a delivery the mail server cannot take now is tried again."""

    max_attempts: int = 20
    first_wait: float = 30.0
    longest_wait: float = 600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(settings.send_max_attempts, settings.send_retry_seconds, settings.send_retry_max_seconds)

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


@dataclass(frozen=True)
class _Result:
    status: str
    error: str | None = None
    reference: str | None = None
    retryable: bool = False  # the mail server could not take it now: retry, unless out of attempts
    unexpected: BaseException | None = None  # the caller decides whether to raise it


def _claim(session: Session, delivery_id: uuid.UUID, expected_attempts: int | None, now: datetime) -> _Claimed | None:
    """pending -> sending (or retrying -> sending, for the try that follows `expected_attempts`); None if not ours."""
    retrying = Delivery.status == RETRYING
    if expected_attempts is not None:
        retrying = and_(retrying, Delivery.attempts == expected_attempts)
    row = session.execute(
        update(Delivery)
        # Never a row another worker claimed: if that worker died mid-send, the email may have gone.
        .where(Delivery.id == delivery_id, or_(Delivery.status == PENDING, retrying))
        .values(status=SENDING, claimed_at=now, attempts=Delivery.attempts + 1, retry_at=None)
        .returning(*_CLAIMED_COLUMNS)
    ).first()
    return _claimed(row) if row is not None else None


_CLAIMED_COLUMNS = (
    Delivery.id,
    Delivery.attempts,
    Delivery.recipient,
    Delivery.recipient_name,
    Delivery.subject,
    Delivery.body_text,
    Delivery.body_html,
    Delivery.unsubscribe_url,
)


def _claimed(row: Any) -> _Claimed:
    email = Email(row[2], row[3], row[4], row[5], row[6], str(row[0]), row[7])
    return _Claimed(row[0], row[1], email)


def _send(mailer: Mailer, email: Email) -> _Result:
    try:
        reference = mailer.send(email)
    except MailRejected as exc:
        return _Result(FAILED, error=str(exc))
    except MailerUnavailable as exc:  # it certainly did not go: safe to try again
        return _Result(RETRYING, error=str(exc), retryable=True)
    except MailDeliveryUncertain as exc:  # it may have gone: never send again automatically, tell the officers
        return _Result(UNCONFIRMED, error=str(exc))
    except Exception as exc:  # the same, for anything we did not foresee
        return _Result(UNCONFIRMED, error=f"{type(exc).__name__}: {exc}", unexpected=exc)
    return _Result(SENT, reference=reference)


def _outcome(
    claimed: _Claimed, result: _Result, policy: RetryPolicy, now: datetime
) -> tuple[dict[str, Any], RetryLater | None]:
    """What to store of a send, and a RetryLater if it should be tried again."""
    values: dict[str, Any] = {"status": result.status}
    later = None
    if result.status == SENT:
        values.update(provider_reference=result.reference, sent_at=now)
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
    session.execute(update(Delivery).where(Delivery.id == claimed.delivery_id).values(**values))
    return later


_DELIVERIES = Base.metadata.tables[Delivery.__tablename__]


def _store(session: Session, outcomes: list[tuple[uuid.UUID, dict[str, Any]]]) -> None:
    """The outcomes of a chunk of sends, one statement (executemany) for each shape of outcome."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for delivery_id, values in outcomes:
        shapes.setdefault(tuple(sorted(values)), []).append({"stored_id": delivery_id, **values})
    for keys, params in shapes.items():
        statement = (
            update(_DELIVERIES)
            .where(_DELIVERIES.c.id == bindparam("stored_id"))
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
    result = _send(mailer, claimed.email)
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
    """Send waiting deliveries, a few claimed at a time: each transaction records the sends before it and claims the
    next few, so commits are few, and a crash leaves at most CLAIM_AT_ONCE claimed but unrecorded (unconfirmed: they
    may have gone; never sent again by themselves)."""
    return send_claimed(db, list(delivery_ids), mailer, policy or RetryPolicy(), now, None, [])


def send_claimed(
    db: Database,
    ids: list[uuid.UUID],
    mailer: Mailer,
    policy: RetryPolicy,
    now: datetime | None,
    claimed: list[_Claimed] | None,
    queue: list[uuid.UUID],
) -> Dispatched:
    """Send `ids` (those of them in `claimed` already claimed, or none if None) a chunk at a time, leaving `queue`
    for the caller; each transaction records the chunk before it and claims the next."""
    done = Dispatched(queue=queue)
    chunks = [ids[start : start + CLAIM_AT_ONCE] for start in range(0, len(ids), CLAIM_AT_ONCE)]
    if claimed is None:  # nothing claimed yet: the first chunk is claimed on its own
        if not chunks:
            return done
        with db.transaction() as session:
            claimed = claim_some(session, chunks[0], now or clock.utcnow())
    for index in range(max(1, len(chunks))):
        results = [(each, _send(mailer, each.email)) for each in claimed]
        following = chunks[index + 1] if index + 1 < len(chunks) else []
        if not results and not following:
            break
        try:
            with db.transaction() as session:
                _record_all(session, results, policy, now or clock.utcnow(), done)
                claimed = claim_some(session, following, now or clock.utcnow())
        except Exception:
            if results:  # the sends must not be forgotten with the next claims
                with db.transaction() as session:
                    _record_all(session, results, policy, now or clock.utcnow(), Dispatched())
            raise
    return done


def claim_some(session: Session, delivery_ids: Sequence[uuid.UUID], now: datetime) -> list[_Claimed]:
    """pending -> sending for each of `delivery_ids` still pending, in their order; those another worker took are
    left out."""
    if not delivery_ids:
        return []
    rows = session.execute(
        update(Delivery)
        .where(Delivery.id.in_(delivery_ids), Delivery.status == PENDING)
        .values(status=SENDING, claimed_at=now, attempts=Delivery.attempts + 1, retry_at=None)
        .returning(*_CLAIMED_COLUMNS)
    ).all()
    found = {row[0]: row for row in rows}
    return [_claimed(found[delivery_id]) for delivery_id in delivery_ids if delivery_id in found]


def _record_all(
    session: Session, results: list[tuple[_Claimed, _Result]], policy: RetryPolicy, now: datetime, done: Dispatched
) -> None:
    outcomes = []
    for claimed, result in results:
        values, later = _outcome(claimed, result, policy, now)
        outcomes.append((claimed.delivery_id, values))
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
) -> list[tuple[uuid.UUID, int | None]]:
    """Deliveries whose task was lost (a broker restart, say): (id, the attempts its next try follows), to queue.

    A pending delivery waiting longer than `older_than`; a retrying one whose
    next try is `older_than` overdue (its chain of retries died). A delivery
    claimed so long ago that its worker must have died mid-send is marked
    unconfirmed instead: it may have gone, so it is not sent again, and officers
    are shown it. One transaction.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        session.execute(
            update(Delivery)
            .where(Delivery.status == SENDING, Delivery.claimed_at < now - stale_after)
            .values(status=UNCONFIRMED, last_error="The worker stopped while sending; it may or may not have been sent")
        )
        waiting = session.execute(
            select(Delivery.id, Delivery.status, Delivery.attempts).where(
                or_(
                    and_(Delivery.status == PENDING, Delivery.created_at < now - older_than),
                    and_(Delivery.status == RETRYING, Delivery.retry_at < now - older_than),
                )
            )
        ).all()
        return [(row.id, row.attempts if row.status == RETRYING else None) for row in waiting]


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
        case = session.scalars(select(Case).where(Case.id == case.id).with_for_update()).one()
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
        engine.record_event(
            session, case, actor, now=now, kind="delivery_resent",
            summary=f"Asked for the {was} email to {delivery.recipient} to be sent again: {delivery.subject}",
            data={"delivery_id": str(delivery.id), "was": was, "last_error": delivery.last_error},
        )  # fmt: skip
        engine.enqueue(
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
