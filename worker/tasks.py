"""Celery entry points: parse the arguments, call one casework service, let typed errors decide retry or drop."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from celery import Task
from sqlalchemy.exc import OperationalError

from casework.adapters.mail import MailerUnavailable
from casework.services import deadlines, digests, notifications, outbox
from worker.celery_app import celery_app, database, mailer, settings

log = logging.getLogger(__name__)
logging.getLogger("transitions").setLevel(logging.WARNING)  # it logs every state entry at INFO

_RETRY = {"retry_backoff": 5, "retry_backoff_max": 600, "retry_jitter": True}


def _dispatch(message_id: uuid.UUID) -> None:
    celery_app.send_task("worker.dispatch_message", kwargs={"message_id": str(message_id)})


def _send(delivery_id: uuid.UUID) -> None:
    celery_app.send_task("worker.send_delivery", kwargs={"delivery_id": str(delivery_id)})


def _publish(topic: str, message_id: uuid.UUID, payload: dict[str, Any]) -> None:
    _dispatch(message_id)


@celery_app.task(name="worker.relay_outbox")
def relay_outbox() -> int:
    """Beat, every few seconds: hand newly committed outbox rows to the broker."""
    return outbox.relay_pending(database(), _publish)


@celery_app.task(
    name="worker.dispatch_message",
    acks_late=True,  # safe: planning is keyed by message, recipient and channel
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    max_retries=10,
    **_RETRY,
)
def dispatch_message(message_id: str) -> int:
    """Turn one outbox message into deliveries and queue each one."""
    planned = notifications.plan_deliveries(database(), uuid.UUID(message_id), settings())
    for delivery_id in planned:
        _send(delivery_id)
    return len(planned)


class _RecordsFailure(Task):
    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Retries exhausted (or an unexpected error): record it where officers will see it."""
        delivery_id = kwargs.get("delivery_id") or (args[0] if args else None)
        if delivery_id:
            notifications.record_failure(database(), uuid.UUID(delivery_id), f"{type(exc).__name__}: {exc}")


@celery_app.task(
    name="worker.send_delivery",
    base=_RecordsFailure,
    acks_late=True,  # safe: the delivery row is claimed before sending, so a rerun sends nothing
    reject_on_worker_lost=True,
    autoretry_for=(MailerUnavailable, OperationalError),
    max_retries=8,
    **_RETRY,
)
def send_delivery(delivery_id: str) -> str:
    """Send one delivery by email or GOV.UK Notify, once."""
    return notifications.deliver(database(), uuid.UUID(delivery_id), mailer())


@celery_app.task(name="worker.sweep_deadlines")
def sweep_deadlines(now: str | None = None, batch_size: int = 200) -> dict[str, int]:
    """Beat, every minute: fire due deadlines and queue due reminders. `now` lets an operator sweep as of a time."""
    report = deadlines.sweep(database(), now=datetime.fromisoformat(now) if now else None, batch_size=batch_size)
    if report.total or report.failed or report.reminders:
        log.info("sweep: %s", report)
    return {"fired": report.fired, "escalated": report.escalated, "reminders": report.reminders}


@celery_app.task(name="worker.replay_unfinished")
def replay_unfinished() -> int:
    """Beat, every few minutes: re-queue messages and deliveries whose task was lost (a broker restart, say)."""
    config = settings()
    older_than = timedelta(seconds=config.replay_after_seconds)
    messages = outbox.unprocessed(database(), older_than=older_than)
    for message_id in messages:
        _dispatch(message_id)
    stuck = notifications.unfinished(
        database(), older_than=older_than, stale_after=timedelta(seconds=config.delivery_stale_seconds)
    )
    for delivery_id in stuck:
        _send(delivery_id)
    return len(messages) + len(stuck)


@celery_app.task(name="worker.send_officer_digests")
def send_officer_digests() -> int:
    """Beat, every morning: each officer's deadlines for the week ahead, overdue decisions and stuck letters."""
    planned = digests.send_daily_digests(database(), settings())
    for delivery_id in planned:
        _send(delivery_id)
    return len(planned)
