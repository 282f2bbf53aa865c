"""The worker as it runs in production: real Celery worker and beat processes, Redis, PostgreSQL and SMTP.

Time is controlled, not waited for: the test sends the sweep task with the
moment to sweep as of, as an operator catching up would.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from sqlalchemy import func, select

from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.models import CaseEvent, Delivery, OutboxMessage
from casework.queries import case_summary
from casework.services import alerts
from tests.conftest import require_service
from tests.e2e.conftest import Stack, stack_env, wait_until
from tests.factories import World, list_pub, make_world, owners_notice
from tests.integration.test_sweep import list_pub_numbered
from tests.mailserver import MailServer, free_port

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]
NOTICE_ON = date(2026, 4, 1)
UUID_IN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def notice(db: Database, world: World, listing: uuid.UUID | None = None, *, method: str = "email") -> uuid.UUID:
    """The owner's notice of sale on 1 April 2026, on `listing` (a pub listed for the purpose if none)."""
    listing = listing or list_pub(db, world)
    return owners_notice(
        db, world, listing, received_on=NOTICE_ON, now=datetime(2026, 4, 1, 10, tzinfo=UTC), method=method
    )


def subjects(server: MailServer, address: str) -> list[str]:
    return [received.subject for received in server.to(address)]


def settled(db: Database) -> bool:
    """Every delivery has reached an end: sent, failed, unconfirmed or waiting for a letter."""
    with db.reader() as session:
        open_ = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status.in_(["pending", "retrying", "sending"]))
        )
        total = session.scalar(select(func.count()).select_from(Delivery))
    return bool(total) and open_ == 0


def test_an_owners_notice_alerts_subscribers_and_the_nominator_at_once(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller]
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    alerts.subscribe(pg_db, world.code, "resident@example.org", category="pub")
    stack.worker()
    stack.beat()

    notice(pg_db, world)

    expected = "Owner intends to sell listed land: the moratorium has started (BDC-MOR-00001)"
    for address in ("resident@example.org", "friends@example.org", "member@bdc.example.org"):
        wait_until(lambda a=address: expected in subjects(server, a), timeout=60, what=f"the alert to {address}")
    wait_until(lambda: settled(pg_db), timeout=60, what="every delivery to finish")
    counts = Counter((r.subject, tuple(r.recipients)) for r in server.received)
    assert max(counts.values()) == 1  # nobody got anything twice


def test_the_interim_period_ends_and_the_case_moves_on_with_the_right_emails(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    cycle = notice(pg_db, world)
    stack.worker()
    stack.beat()

    client.send_task("worker.sweep_deadlines", kwargs={"now": "2026-05-12T22:59:00+00:00"})  # 23:59 BST, the 12th
    client.send_task("worker.sweep_deadlines", kwargs={"now": "2026-05-12T23:00:00+00:00"})  # midnight in London

    wait_until(
        lambda: case_summary(pg_db, cycle).state == "owner_free",
        timeout=90,  # the beat's own sweep comes round every minute, should a busy machine delay these two
        what="the interim period to end",
        evidence=lambda: stack.log("worker"),
    )
    ended = "The interim moratorium has ended (BDC-MOR-00001)"
    wait_until(lambda: ended in subjects(server, "owner@bdc.example.com"), timeout=60, what="the owner's email")
    wait_until(lambda: ended in subjects(server, "friends@example.org"), timeout=60, what="the nominator's email")
    with pg_db.reader() as session:
        fired = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.trigger == "interim_ends"))
    assert fired == 1


def test_reminders_arrive_at_their_offsets_and_only_once(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    notice(pg_db, world)  # the interim moratorium ends on Tuesday 12 May 2026: reminders on 28 April, 5 and 11 May
    stack.worker()
    stack.beat()
    wait_until(lambda: settled(pg_db), timeout=60, what="the notice emails")
    reminder = "Reminder: Interim moratorium ends (BDC-MOR-00001)"

    def reminders() -> int:
        return subjects(server, "owner@bdc.example.com").count(reminder)

    for moment, expected in [
        ("2026-04-28T06:59:00+00:00", 0),  # 07:59 BST: not yet
        ("2026-04-28T07:00:00+00:00", 1),  # 14 days before, at 08:00
        ("2026-04-28T07:00:00+00:00", 1),  # the same sweep again sends nothing new
        ("2026-05-05T07:00:00+00:00", 2),  # 7 days before
        ("2026-05-11T07:30:00+00:00", 3),  # 1 day before
    ]:
        client.send_task("worker.sweep_deadlines", kwargs={"now": moment})
        wait_until(lambda: settled(pg_db), timeout=60, what="the sweep's emails")
        if expected:
            wait_until(lambda n=expected: reminders() >= n, timeout=60, what=f"reminder {expected}")
        assert reminders() == expected, moment


def delivery_ids_received(server: MailServer) -> Counter[str]:
    """How many times each delivery reached the SMTP server, read from the Message-ID we give every email."""
    found: Counter[str] = Counter()
    for received in server.received:
        match = UUID_IN.search(str(received.message["Message-ID"]))
        assert match, received.message["Message-ID"]
        found[match.group(0)] += 1
    return found


def pubs_with_notices(db: Database, world: World, count: int) -> list[uuid.UUID]:
    return [notice(db, world, list_pub_numbered(db, world, n), method="post") for n in range(count)]


@pytest.mark.parametrize("mail", [0.15], indirect=True)
def test_a_worker_killed_mid_batch_and_restarted_leaves_nothing_unfired_and_sends_nothing_twice(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    cycles = pubs_with_notices(pg_db, world, 5)
    stack.worker()
    stack.beat()
    client.send_task("worker.sweep_deadlines", kwargs={"now": "2026-06-01T00:00:00+00:00", "batch_size": 1})
    wait_until(lambda: len(server.received) >= 15, timeout=90, what="the batch to be under way")

    stack.kill("worker")  # kill -9 the whole worker: main process and children, mid-send
    in_flight = len(server.received)
    stack.worker("worker2")
    client.send_task("worker.sweep_deadlines", kwargs={"now": "2026-06-01T00:00:00+00:00"})

    wait_until(lambda: settled(pg_db), timeout=120, what="every delivery to finish after the restart")
    assert len(server.received) > in_flight  # the restarted worker carried on
    with pg_db.reader() as session:
        fired = Counter(session.scalars(select(CaseEvent.case_id).where(CaseEvent.trigger == "interim_ends")))
        statuses = dict(session.execute(select(Delivery.id, Delivery.status)).all())
    assert fired == Counter(dict.fromkeys(cycles, 1))  # every deadline fired, none twice
    received = delivery_ids_received(server)
    assert max(received.values()) == 1  # no email reached the server twice
    sent = {str(i) for i, status in statuses.items() if status == "sent"}
    unconfirmed = {str(i) for i, status in statuses.items() if status == "unconfirmed"}
    assert sent <= set(received)  # everything recorded as sent really arrived
    assert set(received) <= sent | unconfirmed  # and nothing arrived that is not accounted for


@pytest.mark.parametrize("mail", [0.1], indirect=True)
def test_a_redis_restart_loses_nothing(pg_db: Database, mail: tuple[MailServer, Controller], tmp_path: Path) -> None:
    """Our own Redis, with no persistence at all, killed and restarted with work queued in it: every email
    still goes, once. The database is the truth: the outbox keeps what was not yet relayed, and the replay
    re-queues deliveries whose broker message died with Redis."""
    server, controller = mail
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        require_service("redis-server", "the binary is not installed", "apt-get install redis-server")
    port = free_port()

    def start_redis() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [
                str(redis_server),
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_until(lambda: _pings(port), timeout=20, what="redis-server to start")
        return process

    redis_process = start_redis()
    stack = Stack(stack_env(pg_db, f"redis://127.0.0.1:{port}/0", controller.port), tmp_path)
    try:
        world = make_world(pg_db)
        listings = [list_pub_numbered(pg_db, world, n) for n in range(4)]
        stack.worker()
        stack.beat()
        for listing in listings[:3]:
            notice(pg_db, world, listing, method="post")
        wait_until(lambda: len(server.received) >= 10, timeout=60, what="a backlog of emails under way")

        os.killpg(redis_process.pid, signal.SIGKILL)  # the queued messages die with it
        redis_process.wait()
        notice(pg_db, world, listings[3], method="post")  # recorded while the broker is down: it waits in the outbox
        redis_process = start_redis()

        expected = "Owner intends to sell listed land: the moratorium has started"
        wait_until(lambda: settled(pg_db) and _relayed(pg_db), timeout=180, what="every delivery to finish")
        alerts_to_nominator = sorted(s for s in subjects(server, "friends@example.org") if s.startswith(expected))
        assert alerts_to_nominator == [f"{expected} (BDC-MOR-0000{n})" for n in (1, 2, 3, 4)]
        received = delivery_ids_received(server)
        assert max(received.values()) == 1
        with pg_db.reader() as session:
            statuses = dict(session.execute(select(Delivery.id, Delivery.status)).all())
        assert {str(i) for i, status in statuses.items() if status == "sent"} <= set(received)
    finally:
        stack.stop_all()
        os.killpg(redis_process.pid, signal.SIGKILL)
        redis_process.wait()


def _pings(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _relayed(db: Database) -> bool:
    with db.reader() as session:
        waiting = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.dispatched_at.is_(None))
        )
    return waiting == 0


def test_the_same_journey_runs_on_the_embedded_default_with_no_redis(
    mail: tuple[MailServer, Controller], tmp_path: Path
) -> None:
    """`casework run` as `make run` starts it: web, worker and beat on SQLite and the filesystem broker."""
    server, controller = mail
    database = Database(f"sqlite:///{tmp_path / 'var' / 'casework.db'}")
    upgrade_to_head(database)
    world = make_world(database)
    cycle = notice(database, world)
    env = {key: value for key, value in stack_env(database, None, controller.port).items() if "REDIS" not in key}
    port = free_port()
    runner = subprocess.Popen(
        [sys.executable, "-m", "casework.cli.__main__", "run", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    lines: list[str] = []
    assert runner.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(line.decode() for line in runner.stdout), daemon=True)
    reader.start()
    try:
        expected = "Owner intends to sell listed land: the moratorium has started (BDC-MOR-00001)"
        wait_until(lambda: expected in subjects(server, "friends@example.org"), timeout=90, what="the alert")
        assert case_summary(database, cycle).state == "interim_moratorium"
        assert (tmp_path / "var" / "broker" / "queue").is_dir()
        ready = f"casework is ready at http://127.0.0.1:{port}"
        wait_until(lambda: any(ready in line for line in lines), timeout=60, what="the ready message")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/register/BDC/BDC-ACV-00001", timeout=5) as page:
            assert "Interim moratorium ends" in page.read().decode()
    finally:
        os.killpg(runner.pid, signal.SIGTERM)  # what Ctrl-C does
        runner.wait(timeout=60)
        reader.join(timeout=10)
        runner.stdout.close()
        database.dispose()
    output = "".join(lines)
    assert runner.returncode == 0, output
    assert "Started web, worker, beat" in output
    assert "officer@borsetshire.example.gov.uk" not in output  # no demo data here, so no demo sign-ins offered
