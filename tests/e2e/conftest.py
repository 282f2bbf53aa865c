"""Real processes for end-to-end tests: Celery worker and beat against the real Redis and PostgreSQL,
delivering to a real SMTP server (aiosmtpd) running in the test process.

Time is controlled, not waited for: every process of a stack reads the clock
file the test sets (CASEWORK_CLOCK_FILE, see casework.clock), and beat asks
for a sweep every second, so moving the clock past a deadline is all it takes
for the stack's own sweep to fire it; nothing depends on how fast a test runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery

from casework import clock
from casework.db import Database
from tests.conftest import require_service
from tests.mailserver import MailServer, start_mail_server
from worker.celery_app import DEADLINES_QUEUE, TASK_ROUTES

REDIS_DEFAULT = "redis://127.0.0.1:6379"
START_REDIS = (
    "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no "
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
ROOT = Path(__file__).resolve().parents[2]
SCENARIO_START = datetime(2026, 4, 1, 10, 5, tzinfo=UTC)  # just after the owner's notice of the scenarios


def wait_until(
    check: Callable[[], object],
    *,
    timeout: float = 60,
    what: str = "the condition",
    evidence: Callable[[], str] | None = None,
    every: float = 0.2,
) -> object:
    """Poll `check`; on timeout fail with `evidence` (a process log, say), so a failure in CI can be read."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    found = f"\n--- evidence ---\n{evidence()[-6000:]}" if evidence else ""
    raise AssertionError(f"timed out after {timeout}s waiting for {what}{found}")


@pytest.fixture
def redis_url(worker_id: str) -> str:
    """A Redis database of its own per xdist worker, emptied before the test."""
    base = os.environ.get("REDIS_URL_FOR_TESTS", REDIS_DEFAULT)
    number = 10 if worker_id == "master" else 11 + int(worker_id.removeprefix("gw"))
    url = f"{base}/{number}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.RedisError as exc:
        require_service("Redis", f"{type(exc).__name__} at {base}", START_REDIS)
    return url


@pytest.fixture
def mail(request: pytest.FixtureRequest) -> Iterator[tuple[MailServer, Controller]]:
    """The SMTP server; parametrize it indirectly with a delay to slow each message down."""
    handler, controller = start_mail_server(delay=getattr(request, "param", 0.0))
    yield handler, controller
    controller.stop()


@dataclass
class Clock:
    """The clock every process started with this file in CASEWORK_CLOCK_FILE reads: set it, and time goes on."""

    path: Path

    def set(self, moment: datetime) -> None:
        clock.set_offset_file(self.path, moment)


def stop_process(process: subprocess.Popen[bytes] | subprocess.Popen[str], sig: int = signal.SIGTERM) -> None:
    """Stop a process started in its own session, and everything it started: `sig` first, SIGKILL if it lingers.

    The whole process group is signalled, and killed once the leader has gone, so no child (a Celery pool
    process, a gunicorn worker) outlives it.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    try:
        process.wait(timeout=20 if sig != signal.SIGKILL else 10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the leader is gone: now its children


@dataclass
class Stack:
    """Worker and beat processes sharing one environment, each in its own process group."""

    env: dict[str, str]
    workdir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, *args: str, ready: str | None = None) -> None:
        log = self.workdir / f"{name}.log"
        with log.open("ab") as out:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", *args],
                cwd=self.workdir,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if ready:
            wait_until(
                lambda: ready in log.read_text(errors="replace"),
                timeout=60,
                what=f"{name} to start",
                evidence=lambda: log.read_text(errors="replace"),
            )

    def worker(self, name: str = "worker", *, queues: str | None = None) -> None:
        """A worker as compose starts one: every queue, or only `queues` (compose's deadlines worker)."""
        chosen = ["--queues", queues] if queues else []
        self.start(
            name,
            "celery",
            "-A",
            "worker.celery_app",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "--without-mingle",
            "--without-gossip",
            "-n",
            f"{name}@%h",
            *chosen,
            ready="ready.",
        )

    def beat(self, name: str = "beat") -> None:
        self.start(
            name,
            "celery",
            "-A",
            "worker.celery_app",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(self.workdir / f"{name}-schedule"),
            ready="beat: Starting",
        )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        stop_process(self.processes.pop(name), sig)

    def stop_all(self) -> None:
        """Stop every process, each escalating to SIGKILL; a failure to stop one never leaves the others running."""
        failures: list[BaseException] = []
        for name in list(self.processes):
            try:
                self.kill(name, signal.SIGTERM)
            except BaseException as exc:  # go on stopping the rest, then say what went wrong
                failures.append(exc)
        if failures:
            raise failures[0]

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    def runs(self, task: str, name: str = "worker") -> int:
        """How many times the worker has finished `task` (worker.sweep_deadlines, say)."""
        return len(re.findall(rf"Task {re.escape(task)}\[[0-9a-f-]+\] succeeded", self.log(name)))

    def twice_more(self, task: str = "worker.sweep_deadlines", name: str = "worker", timeout: float = 60) -> None:
        """Wait until beat's own `task` has run twice more: the second of them began after this call (after a
        change of the clock, say)."""
        before = self.runs(task, name)
        wait_until(
            lambda: self.runs(task, name) >= before + 2,
            timeout=timeout,
            what=f"{task} to run twice more",
            evidence=lambda: self.log(name),
        )


def stack_env(
    database: Database,
    broker: str | None,
    smtp_port: int,
    *,
    clock_file: Path | None = None,
    sweep_seconds: float | None = None,
) -> dict[str, str]:
    """The processes' environment. The broker is named by REDIS_URL, as docker-compose names it."""
    env = {key: value for key, value in os.environ.items() if key not in {"CELERY_BROKER_URL", "REDIS_URL"}}
    env.update(
        DATABASE_URL=database.url.render_as_string(hide_password=False),
        SMTP_URL=f"smtp://127.0.0.1:{smtp_port}",
        BASE_URL="https://casework.example",
        OUTBOX_RELAY_SECONDS="0.5",
        REPLAY_SECONDS="2",
        REPLAY_AFTER_SECONDS="3",
        DELIVERY_STALE_SECONDS="8",
        BROKER_VISIBILITY_TIMEOUT="10",
        PYTHONPATH=str(ROOT),
    )
    if broker:
        env["REDIS_URL"] = broker
    if clock_file is not None:
        env[clock.CLOCK_FILE] = str(clock_file)
    if sweep_seconds is not None:
        env["SWEEP_SECONDS"] = str(sweep_seconds)
    return env


@pytest.fixture
def test_clock(tmp_path: Path) -> Clock:
    """The stack's clock, at the start of the scenarios: 1 April 2026, just after 10:00."""
    controlled = Clock(tmp_path / "clock")
    controlled.set(SCENARIO_START)
    return controlled


@pytest.fixture
def stack(
    pg_db: Database, redis_url: str, mail: tuple[MailServer, Controller], tmp_path: Path, test_clock: Clock
) -> Iterator[Stack]:
    env = stack_env(pg_db, redis_url, mail[1].port, clock_file=test_clock.path, sweep_seconds=1)
    running = Stack(env, tmp_path)
    yield running
    running.stop_all()


@pytest.fixture
def client(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Celery]:
    """Sends tasks to the worker through the same broker and queues, as beat would."""
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)  # Celery prefers the environment to its arguments
    app = Celery("tests", broker=redis_url)
    app.conf.update(
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        task_default_queue=DEADLINES_QUEUE,
        task_routes=TASK_ROUTES,
    )
    yield app
    app.close()
