"""The servers the fault drills stop: Redis and PostgreSQL, never left down.

A drill stops a server only inside `outage(...)`, which first checks that everything needed to start it
again is there (servers.sh check-*: the binary, its folders, a trial start of the very same command), and
then brings it back however the drill ends:

- normally, or on an exception or pytest-timeout's failure: the `finally` of `outage`;
- if that start failed or was interrupted: `restore()`, run at the end of the session and on SIGTERM and
  SIGINT (tests/drills/conftest.py);
- if the drill's process dies outright (SIGKILL, a timeout that exits the process): a watchdog started
  with each outage, in a session of its own, that starts the server when the drill's process is gone;
- and `make drills`, after pytest exits whatever its status, runs `servers.sh restore`.

The commands themselves live in servers.sh, once, for all of these. DRILLS_REDIS_PORT and DRILLS_PGDATA
point the drills at servers of their own (see servers.sh); by default they are the machine's shared ones.

The quick pass (`make test`, tests/drills/conftest.py) stops none of these: its Redis faults strike a
`ThrowawayRedis`, a redis-server it starts on a free port for one test and stops after it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import redis

from tests.conftest import require_service
from tests.mailserver import free_port

SCRIPT = Path(__file__).with_name("servers.sh")
REDIS_PORT = int(os.environ.get("DRILLS_REDIS_PORT", "6379"))
PRIVATE = "DRILLS_REDIS_PORT" in os.environ or "DRILLS_PGDATA" in os.environ

Server = Literal["redis", "postgres"]


class ServerError(Exception):
    """A server could not be checked, started or restarted; the message says why."""


def run(command: str, *args: str, timeout: float = 120) -> str:
    """One servers.sh command; its output, or ServerError with what it said went wrong."""
    done = subprocess.run(
        ["sh", str(SCRIPT), command, *args], capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise ServerError(f"servers.sh {command}: {(done.stderr or done.stdout).strip()}")
    return done.stdout.strip()


@dataclass(frozen=True)
class Watchdog:
    """servers.sh watch: starts the server again if the drill's process dies while the marker file exists."""

    marker: Path
    process: subprocess.Popen[bytes]

    def end(self) -> None:
        self.marker.unlink(missing_ok=True)
        self.process.wait(timeout=10)  # it looks for its marker every second


_DOWN: dict[Server, Watchdog] = {}  # servers a drill stopped and has not yet seen answer again


@contextmanager
def outage(server: Server) -> Iterator[None]:
    """Around the code that stops `server`: refuses to begin unless it can be started again, and starts it after."""
    run(f"check-{server}")
    fd, name = tempfile.mkstemp(prefix=f"drills-{server}-down-")
    os.close(fd)
    marker = Path(name)
    process = subprocess.Popen(
        ["sh", str(SCRIPT), "watch", str(os.getpid()), server, str(marker)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a signal to the drill's process group does not reach it
    )
    _DOWN[server] = Watchdog(marker, process)
    try:
        yield
    finally:
        bring_back(server)


def bring_back(server: Server) -> None:
    run(f"start-{server}")  # does nothing when it already answers
    watchdog = _DOWN.pop(server, None)
    if watchdog is not None:
        watchdog.end()


def restore() -> list[str]:
    """Start every server a drill left stopped; what could not be started, in words."""
    problems = []
    for server in list(_DOWN):
        try:
            bring_back(server)
        except (ServerError, subprocess.TimeoutExpired) as exc:
            problems.append(f"{server}: {exc}")
    return problems


def stopped() -> list[Server]:
    return list(_DOWN)


def require_same_postgres(data_directory: str) -> None:
    """The server the drill's database lives on must be the one servers.sh restarts: never a third one."""
    restarts = run("postgres-data")
    if os.path.realpath(data_directory) != os.path.realpath(restarts):
        raise ServerError(
            f"TEST_DATABASE_URL points at the PostgreSQL server with its data in {data_directory}, but the drills "
            f"would restart the one in {restarts}; set DRILLS_PGDATA to the folder of the server the tests use"
        )


@dataclass
class ThrowawayRedis:
    """A redis-server of one test's own: on a free port, its files in the test's folder, stopped after it.

    The quick pass's broker: restarting it stops nobody else's, and it is no other test's, so the rest of the
    suite can run beside it under xdist.
    """

    folder: Path
    port: int = 0

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            require_service("redis-server", "the binary is not installed", "apt-get install redis-server")
        self.port = self.port or free_port()
        subprocess.run(
            [str(binary), "--daemonize", "yes", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--logfile", str(self.folder / "redis.log")],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while not self.pings():
            if time.monotonic() > deadline:
                raise ServerError(f"a throwaway redis-server on {self.port} did not answer: see {self.folder}")
            time.sleep(0.1)

    def pings(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """Without saving, as the drill's fault does: everything queued in it is lost."""
        with contextlib.suppress(redis.ConnectionError):  # already gone
            redis.Redis(port=self.port, socket_connect_timeout=2).shutdown(nosave=True)
