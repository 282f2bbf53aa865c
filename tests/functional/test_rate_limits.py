"""Issue 18, item 2: rate limits that count. The site as `casework run` starts it (no Redis) lets exactly the limit of
wrong passwords through, however the requests spread over its threads; several gunicorn workers with no store they
share refuse to start and say why; several that share Redis count exactly too."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
import requests

from casework.cli.run import _commands
from tests.conftest import require_service
from tests.functional.test_cli import CASEWORK

pytestmark = pytest.mark.slow
TRIES = 14  # what the probe sent: 14 wrong passwords for one email inside a minute
LIMIT = 5  # web/account/views.py: 5 a minute for one address and email


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """A fresh SQLite site with the demo people, and no Redis: the embedded default (made once: it takes a while)."""
    folder = tmp_path_factory.mktemp("site")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'casework.db'}", "SECRET_KEY": "x" * 40}
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "RATELIMIT_STORAGE_URI"):
        env.pop(name, None)
    for step in (("db", "upgrade"), ("demo-data",)):
        subprocess.run([CASEWORK, *step], cwd=folder, env=env, check=True, capture_output=True, timeout=120)
    return env, folder


@contextmanager
def serve(command: list[str], env: dict[str, str], cwd: Path, url: str) -> Iterator[subprocess.Popen[bytes]]:
    with (cwd / "web.log").open("ab") as log:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:  # not listening yet, or still loading the app
                time.sleep(0.5)
        else:
            raise AssertionError(f"{' '.join(command)} did not answer")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def wrong_passwords_let_through(url: str) -> int:
    """Send TRIES wrong passwords for one email at once, each over its own connection; how many were not a 429."""
    session = requests.Session()
    page = session.get(f"{url}/account/sign-in", timeout=10).text
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match
    form = {"csrf_token": match.group(1), "email": "officer@borsetshire.example.gov.uk", "password": "wrong-guess"}
    cookies = session.cookies.get_dict()

    def attempt(_: int) -> int:
        return requests.post(f"{url}/account/sign-in", data=form, cookies=cookies, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=TRIES) as pool:
        statuses = list(pool.map(attempt, range(TRIES)))
    assert set(statuses) <= {200, 429}, statuses  # 200: the form again, saying the password is wrong
    return sum(status != 429 for status in statuses)


def test_the_site_as_casework_run_starts_it_lets_exactly_five_wrong_passwords_through(
    site: tuple[dict[str, str], Path],
) -> None:
    site_env, tmp_path = site
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serve(_commands("127.0.0.1", port)["web"], site_env, tmp_path, url):
        assert wrong_passwords_let_through(url) == LIMIT


def test_several_web_workers_with_no_shared_store_refuse_to_start_and_say_why(
    site: tuple[dict[str, str], Path],
) -> None:
    site_env, tmp_path = site
    command = [sys.executable, "-m", "gunicorn", "-c", "python:web.gunicorn_config", "--workers", "3",
               "--bind", f"127.0.0.1:{free_port()}", "web.wsgi:application"]  # fmt: skip
    started = subprocess.run(command, cwd=tmp_path, env=site_env, capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "3 web workers would each count rate limits" in started.stderr
    assert "Set REDIS_URL" in started.stderr


def test_several_web_workers_sharing_redis_let_exactly_five_wrong_passwords_through(
    site: tuple[dict[str, str], Path],
) -> None:
    site_env, tmp_path = site
    base = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379")
    store = f"{base}/9"
    try:
        redis.Redis.from_url(store, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        require_service("Redis", f"{type(exc).__name__} at {base}", "redis-server --port 6379")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "gunicorn", "-c", "python:web.gunicorn_config", "--workers", "3",
               "--bind", f"127.0.0.1:{port}", "web.wsgi:application"]  # fmt: skip
    with serve(command, {**site_env, "RATELIMIT_STORAGE_URI": store}, tmp_path, url):
        assert wrong_passwords_let_through(url) == LIMIT
