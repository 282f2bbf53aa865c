"""Real processes for end-to-end tests: Celery worker and beat against the real Redis and PostgreSQL,
delivering to a real SMTP server (aiosmtpd) running in the test process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery

from casework.db import Database
from tests.conftest import require_service
from tests.mailserver import MailServer, start_mail_server

REDIS_DEFAULT = "redis://127.0.0.1:6379"
START_REDIS = (
    "redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save '' --appendonly no "
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)
ROOT = Path(__file__).resolve().parents[2]


def wait_until(
    check: Callable[[], object],
    *,
    timeout: float = 60,
    what: str = "the condition",
    evidence: Callable[[], str] | None = None,
) -> object:
    """Poll `check`; on timeout fail with `evidence` (a process log, say), so a failure in CI can be read."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
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
            wait_until(lambda: ready in log.read_text(errors="replace"), timeout=60, what=f"{name} to start")

    def worker(self, name: str = "worker") -> None:
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
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM if self.processes[name].poll() is None else signal.SIGKILL)

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")


def stack_env(database: Database, broker: str | None, smtp_port: int) -> dict[str, str]:
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
        env["CELERY_BROKER_URL"] = broker
    return env


@pytest.fixture
def stack(pg_db: Database, redis_url: str, mail: tuple[MailServer, Controller], tmp_path: Path) -> Iterator[Stack]:
    running = Stack(stack_env(pg_db, redis_url, mail[1].port), tmp_path)
    yield running
    running.stop_all()


@pytest.fixture
def client(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Celery]:
    """Sends tasks to the worker through the same broker, as beat would: here, to control the time of a sweep."""
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)  # Celery prefers the environment to its arguments
    app = Celery("tests", broker=redis_url)
    app.conf.update(task_ignore_result=True, broker_connection_retry_on_startup=True)
    yield app
    app.close()
