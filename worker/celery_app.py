"""The Celery application. Run with `celery -A worker.celery_app worker` and (one) `celery -A worker.celery_app beat`.

Broker: CELERY_BROKER_URL or REDIS_URL when set; otherwise kombu's filesystem
transport under var/broker, so a fresh machine runs worker and beat with no
servers at all. Deadlines never ride the broker: beat only nudges the sweep.

Two queues, so that a backlog of email never holds up a statutory deadline:
`deadlines` (sweeps, the outbox relay, replays, digests: small and quick) and
`mail` (planning and sending deliveries). A worker started without `-Q` takes
both; a busy one still alternates between them. The queue Celery calls
`celery` is still read, for messages queued before the two existed.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_process_init, worker_process_shutdown
from kombu import Queue

from casework.adapters.mail import Mailer
from casework.adapters.mailers import mailer_for
from casework.config import Settings
from casework.db import Database

EMBEDDED_BROKER_DIR = Path("var") / "broker"
DEADLINES_QUEUE = "deadlines"
MAIL_QUEUE = "mail"
LEGACY_QUEUE = "celery"  # Celery's default name: read so that nothing queued before the split is stranded
QUEUES = (DEADLINES_QUEUE, MAIL_QUEUE, LEGACY_QUEUE)
TASK_ROUTES = {
    "worker.dispatch_messages": {"queue": MAIL_QUEUE},
    "worker.dispatch_message": {"queue": MAIL_QUEUE},
    "worker.send_deliveries": {"queue": MAIL_QUEUE},
    "worker.send_delivery": {"queue": MAIL_QUEUE},
    "worker.check_provider_statuses": {"queue": MAIL_QUEUE},
    "worker.prepare_letters": {"queue": MAIL_QUEUE},
    "worker.check_letter_statuses": {"queue": MAIL_QUEUE},
}  # everything else (sweeps, relay, replay, digests) goes to DEADLINES_QUEUE, the default


def broker_options(settings: Settings) -> dict[str, Any]:
    url = settings.broker_url or settings.redis_url
    if url:
        options: dict[str, Any] = {
            "broker_url": url,
            # Redis re-delivers unacknowledged messages after this; keep every retry countdown well below it.
            "broker_transport_options": {"visibility_timeout": settings.broker_visibility_timeout},
        }
        if url.startswith(("redis://", "rediss://")):
            options["broker_transport"] = "worker.broker:Transport"  # rides out a Redis restart: worker/broker.py
        return options
    queue = EMBEDDED_BROKER_DIR / "queue"
    processed = EMBEDDED_BROKER_DIR / "processed"
    control = EMBEDDED_BROKER_DIR / "control"  # kombu's exchange bindings; its default is ./control
    for folder in (queue, processed, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "broker_url": "filesystem://",
        "broker_transport_options": {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(processed),
            "control_folder": str(control),
            "store_processed": False,
        },
    }


def create_celery(settings: Settings) -> Celery:
    app = Celery("casework", include=["worker.tasks"])
    app.conf.update(
        **broker_options(settings),
        task_ignore_result=True,  # nothing reads results; the truth lives in the database
        task_acks_late=False,  # opted into per task, only where the task is safe to run twice
        worker_prefetch_multiplier=1,  # a worker does not hoard messages another could run
        task_time_limit=300,
        task_soft_time_limit=240,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # keep trying through a broker restart
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_max_tasks_per_child=10_000,
        worker_hijack_root_logger=False,
        timezone="Europe/London",
        enable_utc=True,
        task_queues=[Queue(name) for name in QUEUES],
        task_default_queue=DEADLINES_QUEUE,
        task_routes=TASK_ROUTES,
        beat_schedule=beat_schedule(settings),
    )
    return app


def beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    """Beat only nudges: each task reads the database for what is due, by the app's clock (casework.clock)."""
    schedule: dict[str, dict[str, Any]] = {
        "relay-outbox": {"task": "worker.relay_outbox", "schedule": settings.relay_seconds},
        "sweep-deadlines": {"task": "worker.sweep_deadlines", "schedule": settings.sweep_seconds},
        "replay-unfinished": {"task": "worker.replay_unfinished", "schedule": settings.replay_seconds},
        "register-imports": {"task": "worker.load_register_imports", "schedule": settings.relay_seconds},
        "officer-digests": {"task": "worker.send_officer_digests", "schedule": crontab(hour=7, minute=0)},
        "prepare-letters": {"task": "worker.prepare_letters", "schedule": settings.relay_seconds},
    }
    if settings.notify_api_key:
        schedule["provider-statuses"] = {
            "task": "worker.check_provider_statuses",
            "schedule": settings.provider_status_seconds,
        }
        schedule["letter-statuses"] = {
            "task": "worker.check_letter_statuses",
            "schedule": settings.provider_status_seconds,
        }
    return schedule


@cache
def settings() -> Settings:
    return Settings.from_env()


@cache
def database() -> Database:
    return Database(settings().database_url)


@cache
def mailer() -> Mailer:
    return mailer_for(settings())


@worker_process_init.connect
def _fresh_engine_per_child(**_: object) -> None:
    # A forked child must not reuse its parent's pooled connections (nor its mail server's).
    database.cache_clear()
    mailer.cache_clear()


@worker_process_shutdown.connect
def _goodbye_to_the_mail_server(**_: object) -> None:
    if mailer.cache_info().currsize:
        close = getattr(mailer(), "close", None)
        if close is not None:
            close()


celery_app = create_celery(settings())
