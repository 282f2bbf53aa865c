"""The worker under faults: killed with kill -9 in the middle of a sweep, and Redis lost with work queued in it."""

from __future__ import annotations

import shutil
import signal
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from sqlalchemy import func, insert, select

from casework.db import Database
from casework.models import Case, CaseEvent, Deadline, Delivery, OutboxMessage
from casework.queries import case_summary
from tests.conftest import require_service
from tests.e2e.conftest import Clock, Stack, stack_env, stop_process, wait_until
from tests.e2e.test_worker import (
    all_done,
    assert_each_email_arrived_once_or_was_a_recorded_resend,
    at,
    delivery_ids_received,
    notice,
    subjects,
)
from tests.factories import World, list_pub, make_world
from tests.integration.test_sweep import list_pub_numbered
from tests.mailserver import MailServer, free_port

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]
INTERIM_END = at("2026-05-12T23:00:00")  # the end of Tuesday 12 May 2026 in London: notices of 1 April
COHORT = 200


def interim_moratoria(db: Database, world: World, n: int) -> list[uuid.UUID]:
    """n moratorium cases on one listed pub, each with its interim end due: bulk inserted, as many as a council
    might have fall due after a bank-holiday weekend. Each one's end emails the pub's two owners."""
    asset_id = case_summary(db, list_pub(db, world)).asset_id
    created = INTERIM_END - timedelta(days=42)
    cases, due = [], []
    for number in range(n):
        case_id = uuid.uuid4()
        cases.append({
            "id": case_id, "council_id": world.council_id, "reference": f"BDC-MOR-{90000 + number}",
            "workflow": "moratorium", "workflow_version": 1, "state": "interim_moratorium", "version": 1,
            "asset_id": asset_id, "facts": {"notice_received_on": "2026-04-01", "disposal_type": "freehold"},
            "created_at": created, "state_changed_at": created,
        })  # fmt: skip
        due.append({
            "id": uuid.uuid4(), "case_id": case_id, "council_id": world.council_id, "timer": "interim_end",
            "rule": "moratorium.interim", "start_date": date(2026, 4, 1), "due_date": date(2026, 5, 12),
            "fires_at": INTERIM_END, "basis": "LA 2011 s.95(3)(a), (6)", "explanation": [], "expiry_kind": "fire",
            "on_expiry": "interim_ends", "status": "pending", "attempts": 0, "created_at": created,
        })  # fmt: skip
    with db.engine.begin() as connection:
        connection.execute(insert(Case), cases)
        connection.execute(insert(Deadline), due)
    return [row["id"] for row in cases]


def fired(db: Database, cases: list[uuid.UUID]) -> int:
    with db.reader() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Deadline)
                .where(Deadline.case_id.in_(cases), Deadline.status == "fired")
            )
            or 0
        )


def test_a_worker_killed_in_the_middle_of_a_sweep_and_restarted_fires_every_deadline_once_and_sends_nothing_twice(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], test_clock: Clock
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    cases = interim_moratoria(pg_db, world, COHORT)
    stack.env["SWEEP_BATCH_SIZE"] = "5"  # many small transactions: the kill lands between two of them
    test_clock.set(INTERIM_END + timedelta(minutes=1))
    stack.beat()
    stack.worker()

    wait_until(
        lambda: fired(pg_db, cases) >= COHORT // 4, timeout=60, every=0.005, what="the sweep to be a quarter done"
    )
    stack.kill("worker")  # kill -9 the whole worker, main process and children, mid-sweep (and mid-send)
    at_the_kill = fired(pg_db, cases)
    assert 0 < at_the_kill < COHORT, "the kill must land in the middle of the sweep"
    received_at_the_kill = len(server.received)
    stack.worker("worker2")  # nobody sends a sweep by hand: beat's own schedule carries on

    wait_until(
        lambda: fired(pg_db, cases) == COHORT and all_done(pg_db),
        timeout=180,
        what="every deadline fired and every email finished after the restart",
        evidence=lambda: stack.log("worker2"),
    )
    assert len(server.received) > received_at_the_kill  # the restarted worker carried on
    with pg_db.reader() as session:
        ends = Counter(session.scalars(select(CaseEvent.case_id).where(CaseEvent.trigger == "interim_ends")))
        statuses = dict(session.execute(select(Delivery.id, Delivery.status)).all())
    assert ends == Counter(dict.fromkeys(cases, 1))  # every deadline fired, none twice
    received = delivery_ids_received(server)
    assert_each_email_arrived_once_or_was_a_recorded_resend(server, pg_db)  # a send the kill cut off goes again
    sent = {str(i) for i, status in statuses.items() if status == "sent"}
    unconfirmed = {str(i) for i, status in statuses.items() if status == "unconfirmed"}
    assert sent <= set(received)  # everything recorded as sent really arrived
    assert set(received) <= sent | unconfirmed  # and nothing arrived that is not accounted for
    assert len(sent) >= 2 * COHORT - 2 * len(unconfirmed)  # both owners told of each end, bar sends cut off


@dataclass
class PrivateRedis:
    """A redis-server of our own with no persistence at all, to kill and start again."""

    binary: str
    port: int
    folder: Path
    servers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.servers.append(
            subprocess.Popen(
                [*command, "--dir", str(self.folder)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
        wait_until(lambda: _pings(self.port), timeout=20, what="redis-server to start")

    def kill(self) -> None:
        stop_process(self.servers[-1], signal.SIGKILL)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """Stopped in its own teardown, which runs even when stopping the stack that uses it fails."""
    binary = shutil.which("redis-server")
    if binary is None:
        require_service("redis-server", "the binary is not installed", "apt-get install redis-server")
    server = PrivateRedis(str(binary), free_port(), tmp_path)
    server.start()
    yield server
    for process in server.servers:
        stop_process(process, signal.SIGKILL)


@pytest.fixture
def private_stack(
    pg_db: Database, private_redis: PrivateRedis, mail: tuple[MailServer, Controller], tmp_path: Path, test_clock: Clock
) -> Iterator[Stack]:
    stack = Stack(stack_env(pg_db, private_redis.url, mail[1].port, clock_file=test_clock.path), tmp_path)
    yield stack
    stack.stop_all()


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


@pytest.mark.parametrize("mail", [0.1], indirect=True)
def test_a_redis_restart_loses_nothing(
    pg_db: Database, mail: tuple[MailServer, Controller], private_redis: PrivateRedis, private_stack: Stack
) -> None:
    """Our own Redis, with no persistence at all, killed and restarted with work queued in it: every email
    still goes, once. The database is the truth: the outbox keeps what was not yet relayed, and the replay
    re-queues deliveries whose broker message died with Redis."""
    server, _ = mail
    world = make_world(pg_db)
    listings = [list_pub_numbered(pg_db, world, n) for n in range(4)]
    private_stack.worker()
    private_stack.beat()
    for listing in listings[:3]:
        notice(pg_db, world, listing, method="post")
    wait_until(lambda: len(server.received) >= 10, timeout=60, what="a backlog of emails under way")

    private_redis.kill()  # the queued messages die with it
    notice(pg_db, world, listings[3], method="post")  # recorded while the broker is down: it waits in the outbox
    private_redis.start()

    restarts = []

    def as_compose_would() -> bool:
        """Celery's worker can exit on a broker that comes back (kombu 5.7.0, see README): compose's
        `restart: unless-stopped` starts it again, and so do we, counting it."""
        worker = f"worker{len(restarts) or ''}"
        if private_stack.processes[worker].poll() is not None:
            restarts.append(private_stack.log(worker)[-2000:])
            private_stack.worker(f"worker{len(restarts)}")
        return _relayed(pg_db) and all_done(pg_db)

    expected = "Owner intends to sell listed land: the moratorium has started"
    wait_until(as_compose_would, timeout=180, what="every delivery to finish")
    assert len(restarts) <= 1, restarts
    alerts_to_nominator = sorted(s for s in subjects(server, "friends@example.org") if s.startswith(expected))
    assert alerts_to_nominator == [f"{expected} (BDC-MOR-0000{n})" for n in (1, 2, 3, 4)]
    received = delivery_ids_received(server)
    assert_each_email_arrived_once_or_was_a_recorded_resend(server, pg_db)
    with pg_db.reader() as session:
        statuses = dict(session.execute(select(Delivery.id, Delivery.status)).all())
    assert {str(i) for i, status in statuses.items() if status == "sent"} <= set(received)
