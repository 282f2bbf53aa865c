"""Turn outbox messages into deliveries, and send each delivery once.

A delivery is one message to one recipient by one channel, with a unique key
(the message, the channel and the address), so a message planned twice (the
relay and the broker both deliver at least once) still yields one row, and
someone the notice names twice gets it once. Sending claims the row first
(pending -> sending, committed), sends outside any transaction, then records
the result: a task that runs again finds the row already sent and does nothing.

A mail server that cannot take a message now leaves the delivery retrying, with
the time of its next try: one chain of retries per delivery, each try fenced by
the number of attempts it follows, so a replayed or duplicated task cannot start
a second chain; after `RetryPolicy.max_attempts` the delivery is failed, for
officers to see and resend.
"""

from __future__ import annotations

import logging
import random
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from casework import clock, engine, recipients
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
from casework.models import (
    Asset,
    Case,
    CaseEvent,
    Council,
    Deadline,
    Delivery,
    Organisation,
    OutboxMessage,
    RegisterEntry,
    User,
)
from casework.models.base import Base
from casework.models.deadline import PENDING as DEADLINE_PENDING
from casework.models.notification import BY_POST, FAILED, PENDING, RETRYING, SENDING, SENT, UNCONFIRMED
from casework.notices.render import render
from casework.permissions import check_case_access
from casework.recipients import Recipient
from casework.services import outbox
from workflows import registry
from workflows.periods import long_date
from workflows.roles import STAFF_ROLES

log = logging.getLogger(__name__)

RESEND_TOPIC = "delivery.resend"  # an officer asked for a failed delivery to go again
DELIVERING_TOPICS = {"notice.requested", "deadline.reminder", "deadline.overdue"}
STALE_AFTER = timedelta(minutes=15)  # a claim older than this belongs to a worker that died mid-send
INLINE_SENDS = 50  # the first deliveries of a batch are sent by the task that plans them; the rest fan out
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


# --- planning -------------------------------------------------------------------------------------------


def plan_deliveries(
    db: Database, message_id: uuid.UUID, settings: Settings, *, now: datetime | None = None
) -> list[uuid.UUID]:
    """Create the deliveries an outbox message calls for; return those waiting to be sent. One transaction.

    Safe to run any number of times for one message: rows are keyed by
    (message, channel, address) and inserted only if absent. A delivery already
    retrying is not returned: its own chain of retries will send it.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        return _plan(session, message_id, settings, now)


def _plan(session: Session, message_id: uuid.UUID, settings: Settings, now: datetime) -> list[uuid.UUID]:
    return _Planner(session, settings, now).plan([message_id])


class _Planner:
    """Plans a batch of messages in one transaction: the messages in one query, each case's words and recipients
    worked out once however many of the batch's messages are about it, all deliveries in one INSERT."""

    def __init__(self, session: Session, settings: Settings, now: datetime) -> None:
        self.session, self.settings, self.now = session, settings, now
        self._cases: dict[uuid.UUID, tuple[Case, Asset | None, dict[str, Any]]] = {}
        self._recipients: dict[tuple[uuid.UUID, tuple[str, ...]], list[Recipient]] = {}

    def plan(self, message_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        """The deliveries of these messages still to send, in the messages' order."""
        session = self.session
        found = {m.id: m for m in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))}
        waiting: list[uuid.UUID] = []
        rows: list[dict[str, Any]] = []
        planned: list[uuid.UUID] = []
        for message_id in message_ids:
            message = found.get(message_id)
            if message is None:
                raise NotFound(f"There is no outbox message {message_id}")
            if message.topic == RESEND_TOPIC:
                resent = uuid.UUID(message.payload["delivery_id"])
                waiting += (
                    [resent] if session.scalar(select(Delivery.status).where(Delivery.id == resent)) == PENDING else []
                )
                planned.append(message.id)
            elif message.processed_at is not None:  # planned already, with its deliveries: those still waiting
                waiting += session.scalars(
                    select(Delivery.id)
                    .where(Delivery.message_id == message_id, Delivery.status == PENDING)
                    .order_by(Delivery.created_at, Delivery.id)
                )
            else:
                new = self._rows(message)
                rows += new
                waiting += [row["id"] for row in new if row["status"] == PENDING]
                planned.append(message.id)
        if planned:
            session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(planned)).values(processed_at=self.now))
        if not rows:
            return waiting
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        # First planning of each, in this transaction: the key is unique, so a row not inserted was someone else's.
        # One statement for every row (executemany), built once per process rather than once per batch.
        statement = insert(_DELIVERIES).on_conflict_do_nothing(index_elements=["key"]).returning(_DELIVERIES.c.id)
        inserted = set(session.connection().execute(statement, rows).scalars())
        fresh = {row["id"] for row in rows}
        return [d for d in waiting if d not in fresh or d in inserted]

    def _rows(self, message: OutboxMessage) -> list[dict[str, Any]]:
        if message.topic == "account.email":
            return [_account_delivery(self.session, message, self.settings, self.now)]
        if message.topic not in DELIVERING_TOPICS or message.case_id is None or _stale(self.session, message):
            return []
        case, asset, about_case = self._case(message.case_id)
        parties = tuple(message.payload.get("parties", []))
        found = self._recipients.get((case.id, parties))
        if found is None:
            found = self._recipients[(case.id, parties)] = recipients.resolve(self.session, case, parties, asset=asset)
        if any(recipient.only_an_alert for recipient in found) and "register_url" not in about_case:
            about_case["register_url"] = _register_url(self.session, case, self.settings, about_case["council_code"])
        template, subject = _template_and_subject(message)
        context = {**about_case, **_about_message(self.session, case, message.payload, self.now)}
        return [
            _delivery(message, case, recipient, self.settings, template, subject, context, self.now)
            for recipient in found
        ]

    def _case(self, case_id: uuid.UUID) -> tuple[Case, Asset | None, dict[str, Any]]:
        known = self._cases.get(case_id)
        if known is None:
            case = self.session.get_one(Case, case_id)
            asset = self.session.get(Asset, case.asset_id) if case.asset_id else None
            known = self._cases[case_id] = (case, asset, _about_case(self.session, case, asset, self.settings))
        return known


def _stale(session: Session, message: OutboxMessage) -> bool:
    """A reminder whose deadline has since been met, cancelled or passed: it would only mislead."""
    if message.topic != "deadline.reminder" or not message.payload.get("deadline_id"):
        return False
    deadline = session.get(Deadline, uuid.UUID(message.payload["deadline_id"]))
    return deadline is None or deadline.status != DEADLINE_PENDING


def delivery_key(message_id: uuid.UUID, channel: str, recipient: Recipient) -> str:
    """The one-delivery rule: one per message, channel and address (for a letter: name and address)."""
    return f"{message_id}:{channel}:{recipient.identity}"[:300]


def _delivery(
    message: OutboxMessage,
    case: Case,
    recipient: Recipient,
    settings: Settings,
    template: str,
    subject: str,
    context: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    unsubscribe = (
        f"{settings.base_url}/alerts/unsubscribe/{recipient.unsubscribe_token}" if recipient.unsubscribe_token else None
    )
    personal = {**context, "unsubscribe_url": unsubscribe}
    if recipient.only_an_alert and context.get("register_url"):
        # Someone who only asked for alerts may have no account: send them to the page anyone can open.
        personal.update(case_url=context["register_url"], link_text="See the register entry")
    rendered = render(template, subject, personal)
    channel = ("notify" if settings.notify_api_key else "email") if recipient.email else "post"
    address = recipient.email or recipient.address or "(no address known)"
    return {
        "id": uuid.uuid4(),
        "key": delivery_key(message.id, channel, recipient),
        "council_id": case.council_id,
        "case_id": case.id,
        "message_id": message.id,
        "channel": channel,
        "parties": list(recipient.parties or (recipient.party,)),
        "recipient": address[:320],
        "recipient_name": recipient.name,
        "template": template,
        "subject": rendered.subject[:300],
        "body_text": rendered.text,
        "body_html": rendered.html,
        "unsubscribe_url": unsubscribe,
        "status": PENDING if recipient.email else BY_POST,
        "attempts": 0,
        "created_at": now,
    }


def _account_delivery(session: Session, message: OutboxMessage, settings: Settings, now: datetime) -> dict[str, Any]:
    """An email about the user's own account (a password reset): not about any case."""
    user = session.get_one(User, uuid.UUID(message.payload["user_id"]))
    subject = str(message.payload["title"])
    context = {
        "service_name": settings.service_name,
        "council_name": settings.service_name,
        "link": message.payload["link"],
    }
    rendered = render(str(message.payload["template"]), subject, context)
    channel = "notify" if settings.notify_api_key else "email"
    return {
        "id": uuid.uuid4(),
        "key": f"{message.id}:{channel}:{user.email.lower()}"[:300],
        "council_id": None,
        "case_id": None,
        "message_id": message.id,
        "channel": channel,
        "parties": ["account"],
        "recipient": user.email,
        "recipient_name": user.name,
        "template": str(message.payload["template"]),
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
        "unsubscribe_url": None,
        "status": PENDING,
        "attempts": 0,
        "created_at": now,
    }


def _template_and_subject(message: OutboxMessage) -> tuple[str, str]:
    payload = message.payload
    if message.topic == "deadline.reminder":
        return "reminder", f"Reminder: {payload['label']}"
    if message.topic == "deadline.overdue":
        return "overdue", f"Overdue: {payload['label']}"
    return str(payload["template"]), str(payload["title"])


_REASON_FIELDS = ("reasons", "proposed_modification", "missing_items", "eoi_reasons", "modification")


def _reasons(session: Session, payload: Mapping[str, Any], facts: Mapping[str, Any]) -> str | None:
    """The reasons given with the action that sent this notice, not whatever reasons the case recorded earlier."""
    event = session.get(CaseEvent, uuid.UUID(payload["event_id"])) if payload.get("event_id") else None
    source: Mapping[str, Any] = event.data if event is not None else facts
    return next((str(source[name]) for name in _REASON_FIELDS if source.get(name)), None)


def _long(value: Any) -> str:
    return long_date(date.fromisoformat(value)) if isinstance(value, str) and value else ""


def _applicant_name(session: Session, case: Case) -> str:
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    return organisation.name if organisation else "the group"


def time_left(due: date, today: date) -> str:
    """How long until the end of `due`, as a reminder says it: today, tomorrow, in 7 days."""
    days = (due - today).days
    if days < 0:
        return "that day has passed"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def _register_url(session: Session, case: Case, settings: Settings, council_code: str) -> str | None:
    """The public register entry for the case's land: the page a resident can open without signing in."""
    if case.asset_id is None:
        return None
    reference = session.scalars(
        select(RegisterEntry.reference)
        .where(RegisterEntry.asset_id == case.asset_id)
        .order_by(RegisterEntry.end_date.is_not(None), RegisterEntry.list_kind, RegisterEntry.entry_date.desc())
    ).first()
    return f"{settings.base_url}/register/{council_code}/{reference}" if reference else None


def _about_case(session: Session, case: Case, asset: Asset | None, settings: Settings) -> dict[str, Any]:
    """What every notice about the case says: its council, land, facts and pending dates."""
    council = session.get_one(Council, case.council_id)
    defn = registry.get(case.workflow, case.workflow_version)
    pending = session.scalars(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.status == DEADLINE_PENDING)
        .order_by(Deadline.due_date)
    ).all()
    facts = case.facts
    timers = {t.name: t.label for t in defn.timers}
    return {
        "service_name": settings.service_name,
        "council_name": council.name,
        "council_code": council.code,
        "reference": case.reference,
        "asset": asset.name if asset else None,
        "address": asset.address if asset else None,
        "nominator": facts.get("nominating_group") or "a community group",
        "applicant": _applicant_name(session, case),
        "service": facts.get("service_name") or facts.get("service") or "the service",
        "expected_decision_by": _long(facts.get("expected_decision_by")),
        "validation_date": _long(facts.get("validation_date")),
        "representations_close_on": _long(facts.get("representations_close_on")),
        "offer_period_ends_on": _long(facts.get("offer_period_ends_on")),
        "amount": facts.get("amount_awarded"),
        "group": (facts.get("interested_groups") or [facts.get("cig_name") or "a community interest group"])[-1],
        "notice_date": long_date(date.fromisoformat(facts["notice_received_on"]))
        if facts.get("notice_received_on")
        else "",
        "case_url": f"{settings.base_url}/cases/{case.reference}",
        "dates": [
            {
                "label": timers[d.timer],
                "due": long_date(d.due_date),
                "time": d.due_time.strftime("%H:%M") if d.due_time else None,
                "basis": d.basis,
            }
            for d in pending
            if d.timer in timers
        ],
    }


def _about_message(session: Session, case: Case, payload: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """What this notice adds: the reasons given with its action, and a reminder's deadline and time left."""
    due = payload.get("due")
    return {
        "reasons": _reasons(session, payload, case.facts),
        "label": payload.get("label", ""),
        "due": long_date(date.fromisoformat(due)) if due else "",
        "due_time": f", before {payload['due_time']}" if payload.get("due_time") else "",
        # Counted when the email is written, not from the reminder's offset: a reminder sent late says so.
        "left": time_left(date.fromisoformat(due), clock.london_date(now)) if due else "",
        "basis": payload.get("basis"),
    }


# --- sending --------------------------------------------------------------------------------------------


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


def plan_and_send(
    db: Database,
    message_ids: Sequence[uuid.UUID],
    settings: Settings,
    mailer: Mailer,
    *,
    policy: RetryPolicy | None = None,
    now: datetime | None = None,
    inline: int = INLINE_SENDS,
) -> Dispatched:
    """Plan a batch of messages' deliveries and send the first `inline` of them; the rest are for the caller to
    queue (`deliver_many`, elsewhere).

    The batch is planned in one transaction, which also claims the first few
    deliveries. If planning any message fails, each is planned again on its own,
    and one that fails is counted on the message (the replay tries it later, then
    gives up) while the rest go on. Sending is then as `deliver_many`: a notice
    to one person costs two commits, and ten to ten people two as well.
    """
    policy = policy or RetryPolicy()
    moment = now or clock.utcnow()
    try:
        with db.transaction() as session:
            pending = _Planner(session, settings, moment).plan(message_ids)
            here, queue = pending[:inline], pending[inline:]
            claimed = _claim_many(session, here[:CLAIM_AT_ONCE], moment)
    except OperationalError:
        raise  # the database itself: the caller retries the whole batch
    except Exception:
        if len(message_ids) == 1:
            log.exception("outbox message %s could not be turned into deliveries", message_ids[0])
            outbox.record_failure(db, message_ids[0], _error(), now=moment)
            return Dispatched()
        pending = []
        for message_id in message_ids:  # one by one, so that one bad message does not hold up the others
            pending += plan_and_send(db, [message_id], settings, mailer, policy=policy, now=now, inline=0).queue
        return _deliver(db, pending[:inline], mailer, policy, now, None, pending[inline:])
    return _deliver(db, here, mailer, policy, now, claimed, queue)


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
    return _deliver(db, list(delivery_ids), mailer, policy or RetryPolicy(), now, None, [])


def _deliver(
    db: Database,
    ids: list[uuid.UUID],
    mailer: Mailer,
    policy: RetryPolicy,
    now: datetime | None,
    claimed: list[_Claimed] | None,
    queue: list[uuid.UUID],
) -> Dispatched:
    done = Dispatched(queue=queue)
    chunks = [ids[start : start + CLAIM_AT_ONCE] for start in range(0, len(ids), CLAIM_AT_ONCE)]
    if claimed is None:  # nothing claimed yet: the first chunk is claimed on its own
        if not chunks:
            return done
        with db.transaction() as session:
            claimed = _claim_many(session, chunks[0], now or clock.utcnow())
    for index in range(max(1, len(chunks))):
        results = [(each, _send(mailer, each.email)) for each in claimed]
        following = chunks[index + 1] if index + 1 < len(chunks) else []
        if not results and not following:
            break
        try:
            with db.transaction() as session:
                _record_all(session, results, policy, now or clock.utcnow(), done)
                claimed = _claim_many(session, following, now or clock.utcnow())
        except Exception:
            if results:  # the sends must not be forgotten with the next claims
                with db.transaction() as session:
                    _record_all(session, results, policy, now or clock.utcnow(), Dispatched())
            raise
    return done


def _claim_many(session: Session, delivery_ids: Sequence[uuid.UUID], now: datetime) -> list[_Claimed]:
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


def _error() -> str:
    kind, value, _ = sys.exc_info()
    return f"{kind.__name__ if kind else 'Error'}: {value}"


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
