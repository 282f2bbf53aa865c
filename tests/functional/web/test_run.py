"""`casework run` (what `make run` ends with): web, worker and beat start, and once the web answers it says where
it is and how to sign in as each demo role; Ctrl-C (SIGINT) stops all three."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from casework.demo.people import PASSWORD, USERS
from tests.functional.test_cli import CASEWORK

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def read_until(process: subprocess.Popen[str], marker: str, timeout: float) -> str:
    """Everything the process printed until `marker` had been printed and the paragraph after it ended."""
    assert process.stdout is not None
    out, deadline = [], time.monotonic() + timeout
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while time.monotonic() < deadline:
        if not selector.select(timeout=1):
            continue
        line = process.stdout.readline()
        if not line:
            break
        out.append(line)
        text = "".join(out)
        if marker in text and text.rstrip(" ").endswith("\n\n"):
            return text
    return "".join(out)


def test_casework_run_says_how_to_sign_in_as_each_role_and_stops_everything_on_ctrl_c(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'casework.db'}", "PYTHONUNBUFFERED": "1"}
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "SECRET_KEY", "SMTP_URL"):
        env.pop(name, None)  # the embedded broker and a random key, as on a fresh machine
    for step in (("db", "upgrade"), ("demo-data",)):
        subprocess.run([CASEWORK, *step], cwd=tmp_path, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    process = subprocess.Popen(
        [CASEWORK, "run", "--port", str(port)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        printed = read_until(process, "casework is ready at", timeout=90)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        finally:
            assert process.stdout is not None
            process.stdout.close()

    assert f"casework is ready at http://127.0.0.1:{port}" in printed, printed[-3000:]
    assert f"password for each: {PASSWORD}" in printed
    for email, _, role in USERS:
        assert f"{role.value:17} {email}" in printed
    assert f"Sign in at http://127.0.0.1:{port}/account/sign-in" in printed
