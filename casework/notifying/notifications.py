"""Turn outbox messages into deliveries: who each notice goes to, by which channel, in which words.

A delivery is one message to one recipient by one channel, with a unique key
(the message, the channel and the address), so a message planned twice (the
relay and the broker both deliver at least once) still yields one row, and
someone the notice names twice gets it once, recorded as served in every
capacity the notice names them. Each row is casework.notifying.delivery_rows;
the particulars it states, casework.notifying.particulars; sending them,
casework.notifying.deliveries.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections import deque
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from casework import clock
from casework.adapters.mail import Mailer
from casework.config import Settings
from casework.db import Database
from casework.errors import NotFound
from casework.models import Asset, Case, Council, Deadline, Delivery, OutboxMessage
from casework.models.base import Base
from casework.models.deadline import PENDING as DEADLINE_PENDING
from casework.models.notification import PENDING
from casework.notifying import recipients
from casework.notifying.deliveries import Dispatched, claim_next, send_claimed, send_from
from casework.notifying.delivery_rows import account_delivery, case_delivery
from casework.notifying.letters import sending as letters
from casework.notifying.outcomes import RetryPolicy
from casework.notifying.particulars import about_case, about_message, register_url
from casework.notifying.recipients import Recipient
from casework.notifying.resending import RESEND_TOPIC
from casework.services import outbox

log = logging.getLogger(__name__)


DELIVERING_TOPICS = {"notice.requested", "deadline.reminder", "deadline.overdue"}
INLINE_SENDS = 50  # the first deliveries of a batch are sent by the task that plans them; the rest fan out
_DELIVERIES = Base.metadata.tables[Delivery.__tablename__]


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
        self._letters: dict[uuid.UUID, dict[str, Any]] = {}  # by delivery id: the letter of each delivery by post

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
        letters.insert_letters(session, [self._letters[i] for i in inserted if i in self._letters])
        fresh = {row["id"] for row in rows}
        return [d for d in waiting if d not in fresh or d in inserted]

    def _rows(self, message: OutboxMessage) -> list[dict[str, Any]]:
        if message.topic == "account.email":
            return [account_delivery(self.session, message, self.settings, self.now)]
        if message.topic not in DELIVERING_TOPICS or message.case_id is None or _stale(self.session, message):
            return []
        case, asset, about_case = self._case(message.case_id)
        parties = tuple(message.payload.get("parties", []))
        found = self._recipients.get((case.id, parties))
        if found is None:
            found = self._recipients[(case.id, parties)] = recipients.resolve(self.session, case, parties, asset=asset)
        if any(recipient.only_an_alert for recipient in found) and "register_url" not in about_case:
            about_case["register_url"] = register_url(self.session, case, self.settings, about_case["council_code"])
        template, subject = _template_and_subject(message)
        context = {**about_case, **about_message(self.session, case, message.payload, self.now)}
        rows = []
        for recipient in found:
            row = case_delivery(message, case, recipient, self.settings, template, subject, context, self.now)
            if row["channel"] == "post":
                council = self.session.get_one(Council, case.council_id)
                self._letters[row["id"]] = letters.letter_row(
                    row, name=recipient.name, address=recipient.address, template=template, subject=subject,
                    context=context, return_address=council.address, now=self.now,
                )  # fmt: skip
            rows.append(row)
        return rows

    def _case(self, case_id: uuid.UUID) -> tuple[Case, Asset | None, dict[str, Any]]:
        known = self._cases.get(case_id)
        if known is None:
            case = self.session.get_one(Case, case_id)
            asset = self.session.get(Asset, case.asset_id) if case.asset_id else None
            known = self._cases[case_id] = (case, asset, about_case(self.session, case, asset, self.settings))
        return known


def _stale(session: Session, message: OutboxMessage) -> bool:
    """A reminder whose deadline has since been met, cancelled or passed: it would only mislead."""
    if message.topic != "deadline.reminder" or not message.payload.get("deadline_id"):
        return False
    deadline = session.get(Deadline, uuid.UUID(message.payload["deadline_id"]))
    return deadline is None or deadline.status != DEADLINE_PENDING


def _template_and_subject(message: OutboxMessage) -> tuple[str, str]:
    payload = message.payload
    if message.topic == "deadline.reminder":
        return "reminder", f"Reminder: {payload['label']}"
    if message.topic == "deadline.overdue":
        return "overdue", f"Overdue: {payload['label']}"
    return str(payload["template"]), str(payload["title"])


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

    The batch is planned in one transaction, which also claims the first
    delivery. If planning any message fails, each is planned again on its own,
    and one that fails is counted on the message (the replay tries it later, then
    gives up) while the rest go on. Sending is then as `deliver_many`, one email
    at a time: a notice to one person costs two commits, and each email more one.
    """
    policy = policy or RetryPolicy()
    moment = now or clock.utcnow()
    try:
        with db.transaction() as session:
            pending = _Planner(session, settings, moment).plan(message_ids)
            here, queue = deque(pending[:inline]), pending[inline:]
            claimed = claim_next(session, here, moment)
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
        return send_claimed(db, pending[:inline], mailer, policy, now, pending[inline:])
    return send_from(db, here, claimed, mailer, policy, now, Dispatched(queue=queue))


def _error() -> str:
    kind, value, _ = sys.exc_info()
    return f"{kind.__name__ if kind else 'Error'}: {value}"
