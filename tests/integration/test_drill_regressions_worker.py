"""Regressions from the timers-under-faults drill (tests/drills/test_timers_under_faults.py): the worker and Redis.

While the drill was written, a Celery worker once exited on a Redis restart with unacknowledged tasks in flight
(kombu's Redis transport: `AttributeError: 'NoneType' object has no attribute 'hostname'`), and the drill only
restarted it, as compose's `restart: unless-stopped` would. A worker must ride out a broker restart by itself:
worker/celery_app.py retries the broker connection for ever, at start-up and after losing it. This test restarts
a Redis of its own (never the shared one), both ways it goes down in production, with emails being sent, and
checks that the very same worker process carries on, and that every email still goes, once.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest
import redis
from sqlalchemy import select

from casework.db import Database
from casework.models import Delivery
from tests.conftest import require_service
from tests.e2e.conftest import Stack, stack_env, wait_until
from tests.e2e.test_worker import (
    assert_each_email_arrived_once_or_was_a_recorded_resend,
    delivery_ids_received,
    notice,
    settled,
)
from tests.factories import make_world
from tests.integration.test_sweep import list_pub_numbered
from tests.mailserver import free_port, start_mail_server

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]


def _pings(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.timeout(300)
def test_a_worker_rides_out_redis_restarts_with_tasks_in_flight_and_every_email_goes_once(
    pg_db: Database, tmp_path: Path
) -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        require_service("redis-server", "the binary is not installed", "apt-get install redis-server")
    port = free_port()

    def start_redis() -> None:
        subprocess.run(
            [str(binary), "--daemonize", "yes", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path), "--logfile", str(tmp_path / "redis.log")],
            check=True,
        )  # fmt: skip
        wait_until(lambda: _pings(port), timeout=20, what="our redis-server to start")

    server, controller = start_mail_server(delay=0.05)  # slow: the restarts land while emails are going out
    start_redis()
    stack = Stack(stack_env(pg_db, f"redis://127.0.0.1:{port}/0", controller.port), tmp_path)
    try:
        world = make_world(pg_db)
        stack.worker()
        stack.beat()
        worker = stack.processes["worker"]
        for n, down in enumerate(("shutdown", "sigkill")):
            for listing in (list_pub_numbered(pg_db, world, 2 * n + k) for k in range(2)):
                notice(pg_db, world, listing, method="post")
            before = len(server.received)
            wait_until(lambda b=before: len(server.received) >= b + 3, timeout=60, what="emails under way")
            if down == "shutdown":  # stopped by its operator, without saving: what it held is lost
                redis.Redis(port=port).shutdown(nosave=True)
            else:  # killed outright
                os.kill(int(redis.Redis(port=port).info()["process_id"]), signal.SIGKILL)
            wait_until(lambda: not _pings(port), timeout=10, what="redis-server to stop")
            start_redis()
            after = len(server.received)
            wait_until(lambda a=after: len(server.received) > a, timeout=90, what="an email after the restart",
                       evidence=lambda: stack.log("worker"))  # fmt: skip
            assert worker.poll() is None, stack.log("worker")[-4000:]

        wait_until(
            lambda: settled(pg_db), timeout=180, what="every delivery to finish", evidence=lambda: stack.log("worker")
        )
        assert worker.poll() is None, stack.log("worker")[-4000:]  # the same process throughout: never restarted
        with pg_db.reader() as session:
            rows = session.execute(select(Delivery.id, Delivery.status)).all()
        received = delivery_ids_received(server)
        assert_each_email_arrived_once_or_was_a_recorded_resend(server, pg_db)
        assert {str(row.id) for row in rows if row.status == "sent"} <= set(received)  # what was sent, arrived
        assert Counter(row.status for row in rows).keys() <= {"sent", "unconfirmed", "by_post"}  # none left or failed
    finally:
        try:
            stack.stop_all()
        finally:
            if _pings(port):
                redis.Redis(port=port).shutdown(nosave=True)
            controller.stop()
