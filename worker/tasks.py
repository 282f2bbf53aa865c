"""Celery entry points: parse the arguments, call one casework service, let typed errors decide retry or drop."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from celery import Task
from sqlalchemy.exc import OperationalError

from casework.adapters.mail import StatusSource
from casework.adapters.notify_letters import letters_for
from casework.notifying import deliveries, digests, notifications, receipts, resending
from casework.notifying.letters import sending as letters
from casework.notifying.letters import statuses as letter_statuses
from casework.notifying.outcomes import RetryLater, RetryPolicy
from casework.register import jobs as register_jobs
from casework.services import deadlines, outbox
from worker.celery_app import celery_app, database, mailer, settings

log = logging.getLogger(__name__)
logging.getLogger("transitions").setLevel(logging.WARNING)  # it logs every state entry at INFO

_RETRY = {"retry_backoff": 5, "retry_backoff_max": 600, "retry_jitter": True}


@cache
def policy() -> RetryPolicy:
    return RetryPolicy.from_settings(settings())


FAN_OUT = 20  # deliveries per task when a message has more than its planning task sends itself


def _dispatch(message_ids: Sequence[uuid.UUID]) -> None:
    celery_app.send_task("worker.dispatch_messages", kwargs={"message_ids": [str(i) for i in message_ids]})


def _send(delivery_id: uuid.UUID, after_attempts: int | None = None, countdown: float | None = None) -> None:
    kwargs: dict[str, Any] = {"delivery_id": str(delivery_id)}
    if after_attempts is not None:
        kwargs["after_attempts"] = after_attempts
    celery_app.send_task("worker.send_delivery", kwargs=kwargs, countdown=countdown)


@celery_app.task(name="worker.relay_outbox")
def relay_outbox() -> int:
    """Beat, every few seconds: hand newly committed outbox rows to the broker, a batch per task."""
    return outbox.relay_pending(database(), _dispatch)


class _RecordsPlanningFailure(Task):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Planning failed for good this time (the database kept failing): count it on each message, which the
        replay tries later, then gives up. (A message that cannot be planned is counted by the service itself.)"""
        ids = kwargs.get("message_ids") or ([kwargs["message_id"]] if kwargs.get("message_id") else list(args[:1]))
        for message_id in ids if isinstance(ids, list) else [ids]:
            outbox.record_failure(database(), uuid.UUID(str(message_id)), f"{type(exc).__name__}: {exc}")


_PLANNING = {
    "base": _RecordsPlanningFailure,
    "acks_late": True,  # safe: planning is keyed by message, channel and address; sending claims each row first
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "max_retries": 5,
    **_RETRY,
}


@celery_app.task(name="worker.dispatch_messages", **_PLANNING)
def dispatch_messages(message_ids: list[str]) -> int:
    """Turn a batch of outbox messages into deliveries in one transaction, send the first ones here and queue the
    rest in tasks of their own."""
    return _plan_and_send([uuid.UUID(i) for i in message_ids])


@celery_app.task(name="worker.dispatch_message", **_PLANNING)
def dispatch_message(message_id: str) -> int:
    """One message (the replay's, or one queued before messages went in batches)."""
    return _plan_and_send([uuid.UUID(message_id)])


def _plan_and_send(message_ids: list[uuid.UUID]) -> int:
    done = notifications.plan_and_send(database(), message_ids, settings(), mailer(), policy=policy())
    for start in range(0, len(done.queue), FAN_OUT):
        chunk = done.queue[start : start + FAN_OUT]
        celery_app.send_task("worker.send_deliveries", kwargs={"delivery_ids": [str(i) for i in chunk]})
    for later in done.retries:
        _send(later.delivery_id, later.attempts, countdown=later.wait)
    return len(done.statuses) + len(done.queue)


@celery_app.task(
    name="worker.send_deliveries",
    acks_late=True,  # safe: each delivery is claimed before it is sent
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=5,
    **_RETRY,
)
def send_deliveries(delivery_ids: list[str]) -> int:
    """A share of a large notice's deliveries (an alert to many subscribers, say)."""
    done = deliveries.deliver_many(database(), [uuid.UUID(i) for i in delivery_ids], mailer(), policy=policy())
    for later in done.retries:
        _send(later.delivery_id, later.attempts, countdown=later.wait)
    return len(done.statuses)


class _RecordsFailure(Task):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Retries exhausted (or an unexpected error): record it where officers will see it."""
        delivery_id = kwargs.get("delivery_id") or (args[0] if args else None)
        if delivery_id:
            deliveries.record_failure(database(), uuid.UUID(delivery_id), f"{type(exc).__name__}: {exc}")


@celery_app.task(
    bind=True,
    name="worker.send_delivery",
    base=_RecordsFailure,
    acks_late=True,  # safe: the delivery row is claimed before sending, so a rerun sends nothing
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),  # the database, briefly away; the mail server's own retries are below
    max_retries=100,  # a backstop only: the delivery's own attempts (RetryPolicy) decide when to give up
    **_RETRY,
)
def send_delivery(self: Task, delivery_id: str, after_attempts: int | None = None) -> str:
    """Send one delivery by email or GOV.UK Notify, once; `after_attempts` fences a retry to its own chain."""
    try:
        return deliveries.deliver(
            database(), uuid.UUID(delivery_id), mailer(), policy=policy(), expected_attempts=after_attempts
        )
    except RetryLater as later:
        raise self.retry(
            kwargs={"delivery_id": delivery_id, "after_attempts": later.attempts},
            countdown=later.wait,
            max_retries=None,
        ) from None


@celery_app.task(name="worker.sweep_deadlines")
def sweep_deadlines(now: str | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Beat: fire due deadlines and queue due reminders, as of the app's clock. `now` lets an operator sweep as of
    a time."""
    report = deadlines.sweep(
        database(),
        now=datetime.fromisoformat(now) if now else None,
        batch_size=batch_size or settings().sweep_batch_size,
    )
    if report.total or report.failed or report.reminders:
        log.info("sweep: %s", report)
    return {"fired": report.fired, "escalated": report.escalated, "reminders": report.reminders}


@celery_app.task(name="worker.replay_unfinished")
def replay_unfinished() -> int:
    """Beat, every few minutes: re-queue messages and deliveries whose task was lost (a broker restart, say)."""
    config = settings()
    older_than = timedelta(seconds=config.replay_after_seconds)
    messages = outbox.unprocessed(database(), older_than=older_than)
    for start in range(0, len(messages), 50):
        _dispatch(messages[start : start + 50])
    stuck = resending.unfinished(
        database(), older_than=older_than, stale_after=timedelta(seconds=config.delivery_stale_seconds)
    )
    for delivery_id, after_attempts in stuck:
        _send(delivery_id, after_attempts)
    return len(messages) + len(stuck)


@celery_app.task(name="worker.send_officer_digests")
def send_officer_digests() -> int:
    """Beat, every morning: each officer's deadlines for the week ahead, overdue decisions and stuck letters."""
    planned = digests.send_daily_digests(database(), settings())
    for delivery_id in planned:
        _send(delivery_id)
    return len(planned)


@celery_app.task(name="worker.check_provider_statuses")
def check_provider_statuses() -> int:
    """Beat, with GOV.UK Notify: ask what became of each email sent, for proof of service."""
    source = mailer()
    if not isinstance(source, StatusSource):
        return 0
    return receipts.check_provider_statuses(database(), source)


@celery_app.task(name="worker.load_register_imports")
def load_register_imports() -> int:
    """Beat, every few seconds: load the registers admins asked to import (all rows or none), counting progress."""
    return register_jobs.run_queued(database())


@celery_app.task(name="worker.prepare_letters")
def prepare_letters() -> int:
    """Beat, every few seconds: make the PDFs of letters planned since, and with GOV.UK Notify send them."""
    config = settings()
    done = letters.prepare(database(), letters_for(config.notify_api_key, config.notify_base_url))
    return done.rendered + done.sent


@celery_app.task(name="worker.check_letter_statuses")
def check_letter_statuses() -> int:
    """Beat, with GOV.UK Notify: ask what became of each letter sent (printed, posted, failed), for proof of service."""
    config = settings()
    sender = letters_for(config.notify_api_key, config.notify_base_url)
    return letter_statuses.check_statuses(database(), sender) if sender is not None else 0
