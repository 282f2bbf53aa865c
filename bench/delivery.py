"""B5: a notification delivered by the Celery worker through Redis to an SMTP server, against raw Redis.

Why: every statutory notice leaves through this path, and PERFORMANCE.md §6.1
asks what Celery, the database bookkeeping that makes each email go exactly
once, and SMTP cost over the broker moving bytes.

Ours: a real worker process (`celery -A worker.celery_app worker --concurrency=2`,
prefork, `worker_prefetch_multiplier=1`, `acks_late`, INFO logging as `casework run`
and docker-compose start it), Redis database 8 as broker, PostgreSQL as the
database (SQLite if PostgreSQL is not running). Each notification is one outbox
message (`notice.requested` to the owner of a listed pub), written before the
round: the bench process relays them as beat's relay task does (one transaction
claims them and sends `worker.dispatch_messages` for each 50), and the worker
plans each batch (renders the emails, inserts the delivery rows) and sends the
emails in the same task, claiming one delivery at a time (each transaction records
the send before and claims the next), over one SMTP connection to an aiosmtpd
server in the bench process. Timed from the relay's start until the SMTP server has
received every email of the round.

Baseline: redis-py moving the same payload (the outbox message's JSON) with one
LPUSH per message from the bench process and two consumer processes (the
worker's concurrency) doing BRPOP and decoding it. Interleaved ABBA; the ratio
is ours/baseline in messages per second (higher is better).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from celery import Celery
from sqlalchemy import insert

from bench.harness import Result, interleaved, postgres_database, summarise, timed
from bench.web import free_port
from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.models import Asset, AssetParty, Case, OutboxMessage
from casework.services import councils
from casework.services.outbox import relay_pending

ROOT = Path(__file__).resolve().parents[1]
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")
NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
QUEUE, DONE = "bench:b5:messages", "bench:b5:done"
CONSUMERS = 2  # the worker's --concurrency


class Inbox:
    """An aiosmtpd handler that counts what it receives."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        with self._lock:
            self.count += 1
        return "250 Message accepted"

    def wait_for(self, count: int, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.count < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"expected {count} emails, the SMTP server has {self.count}")
            time.sleep(0.002)


class Outbox:
    """A listed pub with an owner who has an email address, and outbox messages telling them something."""

    def __init__(self, db: Database) -> None:
        self.db = db
        upgrade_to_head(db)
        self.council_id = councils.create_council(db, "BEN", "Benchmark Council")
        self.asset_id, self.case_id = uuid.uuid4(), uuid.uuid4()
        with db.engine.begin() as connection:
            connection.execute(insert(Asset), [{
                "id": self.asset_id, "council_id": self.council_id, "reference": "BEN-A-1", "name": "The Bull",
                "address": "1 High Street, Benchester", "postcode": "BN1 1AA", "title_numbers": [], "category": "pub",
                "parishes": [], "offered_for_transfer": False, "created_at": NOW,
            }])  # fmt: skip
            connection.execute(insert(AssetParty), [{
                "id": uuid.uuid4(), "asset_id": self.asset_id, "kind": "owner", "name": "Borchester Brewery",
                "email": "owner@brewery.example.com", "current": True, "created_at": NOW,
            }])  # fmt: skip
            connection.execute(insert(Case), [{
                "id": self.case_id, "council_id": self.council_id, "reference": "BEN-MOR-0000001",
                "workflow": "moratorium", "workflow_version": 1, "state": "owner_free", "version": 2,
                "asset_id": self.asset_id, "facts": {"notice_received_on": "2026-04-20", "disposal_type": "freehold"},
                "created_at": NOW, "state_changed_at": NOW,
            }])  # fmt: skip
        self.payload = {
            "case_id": str(self.case_id), "reference": "BEN-MOR-0000001", "template": "interim_ended",
            "title": "The interim moratorium has ended", "basis": "LA 2011 s.95(3)(a)", "parties": ["owner"],
        }  # fmt: skip

    def messages(self, n: int) -> list[uuid.UUID]:
        """n outbox messages waiting for the relay (bulk inserted: writing them is not what this times)."""
        ids = [uuid.uuid4() for _ in range(n)]
        rows = [{"id": message_id, "council_id": self.council_id, "case_id": self.case_id,
                 "topic": "notice.requested", "payload": self.payload, "created_at": NOW, "dispatched_at": None}
                for message_id in ids]  # fmt: skip
        with self.db.engine.begin() as connection:
            connection.execute(insert(OutboxMessage), rows)
        return ids


def _consume(url: str) -> None:
    """A baseline consumer process: BRPOP and decode until told to stop, then say so."""
    client = redis.Redis.from_url(url, socket_timeout=30)
    while True:
        popped = client.brpop([QUEUE], timeout=5)
        if popped is None:
            continue
        body = popped[1]
        if body == b"STOP":
            client.lpush(DONE, b"1")
            continue
        if body == b"EXIT":
            return
        json.loads(body)


@contextmanager
def celery_worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "worker.celery_app", "worker", "--loglevel=INFO",
             "--concurrency=2", "--without-mingle", "--without-gossip", "-n", f"bench{os.getpid()}@%h"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {log}")
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _database() -> tuple[Database, str]:
    db = postgres_database("b5")
    if db is not None:
        return db, "postgresql"
    path = ROOT / "var" / "bench" / "b5.db"  # no PostgreSQL here: SQLite instead
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    return Database(f"sqlite:///{path}"), "sqlite"


class RawRedis:
    """The baseline: LPUSH from this process, BRPOP in CONSUMERS processes; a round ends when each says done."""

    def __init__(self, client: redis.Redis, body: bytes) -> None:
        self.client, self.body = client, body
        spawn = multiprocessing.get_context("spawn")
        self.consumers = [spawn.Process(target=_consume, args=(REDIS,), daemon=True) for _ in range(CONSUMERS)]
        for consumer in self.consumers:
            consumer.start()

    def run(self, n: int) -> float:
        def move() -> None:
            for _ in range(n):
                self.client.lpush(QUEUE, self.body)
            for _ in range(CONSUMERS):
                self.client.lpush(QUEUE, b"STOP")
            for _ in range(CONSUMERS):
                if self.client.brpop([DONE], timeout=60) is None:
                    raise RuntimeError("a baseline consumer did not finish")

        return timed(move)

    def close(self) -> None:
        for _ in self.consumers:
            self.client.lpush(QUEUE, b"EXIT")
        for consumer in self.consumers:
            consumer.join(timeout=10)


def _measure(outbox: Outbox, inbox: Inbox, baseline: RawRedis, env: dict[str, str], workdir: Path, *,
             ops: int, rounds: int) -> tuple[list[float], list[float]]:  # fmt: skip
    client = Celery("bench", broker=REDIS)
    client.conf.update(task_ignore_result=True, broker_connection_retry_on_startup=True)
    with celery_worker(env, workdir / "b5-worker.log"), client.connection_for_write() as connection:
        producer = client.amqp.Producer(connection)  # one connection for the whole run, as the relay holds one

        def publish(message_ids: Sequence[uuid.UUID]) -> None:  # as worker.tasks hands a batch to the broker
            client.send_task("worker.dispatch_messages", kwargs={"message_ids": [str(i) for i in message_ids]},
                             producer=producer, queue="mail")  # fmt: skip

        def ours(n: int) -> float:
            outbox.messages(n)
            target = inbox.count + n

            def run() -> None:
                while relay_pending(outbox.db, publish):
                    pass
                inbox.wait_for(target)

            return timed(run)

        return interleaved(ours, baseline.run, ops=ops, rounds=rounds)


def b5(workdir: Path, *, ops: int = 200, rounds: int = 7) -> Result | None:
    try:
        broker = redis.Redis.from_url(REDIS, socket_connect_timeout=2, socket_timeout=90)
        broker.flushdb()
    except redis.RedisError as exc:
        print(f"Redis is not available at {REDIS} ({type(exc).__name__}): B5 skipped")
        return None
    db, backend = _database()
    outbox, inbox = Outbox(db), Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(DATABASE_URL=db.url.render_as_string(hide_password=False), CELERY_BROKER_URL=REDIS,
               SMTP_URL=f"smtp://127.0.0.1:{smtp.port}", PYTHONPATH=str(ROOT))  # fmt: skip
    baseline = RawRedis(broker, json.dumps(outbox.payload).encode())
    try:
        ours_t, base_t = _measure(outbox, inbox, baseline, env, workdir, ops=ops, rounds=rounds)
    finally:
        baseline.close()
        smtp.stop()
        broker.flushdb()
        db.dispose()
    time_ratio, spread, ours_us, base_us = summarise(ours_t, base_t)
    ratio = 1 / time_ratio
    per_second = 1e6 / ours_us
    return Result(
        "B5", f"a notice through Celery, Redis and SMTP ({backend}): {per_second:.0f} vs raw Redis "
        f"{1e6 / base_us:.0f} msgs/s (ratio = ours/baseline msgs/s, higher is better)",
        ratio, (1 / spread[1], 1 / spread[0]), ours_us, base_us, ">= 0.25x raw msgs/s (must 0.10x); >= 300/s",
        ratio >= 0.25 and per_second >= 300,
        {"messages_per_second": round(per_second), "baseline_per_second": round(1e6 / base_us), "ops_per_round": ops,
         "rounds": rounds, "database": backend, "emails_received": inbox.count,
         "tasks": "one per 50 messages (dispatch_messages), relayed as beat's relay does"},
    )  # fmt: skip
