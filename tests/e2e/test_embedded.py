"""`make run` on a fresh machine: no Redis, no mail server. The same journey through the embedded default.

The test does what `make run` does (`casework db upgrade`, `casework demo-data`,
`casework run`) in an empty folder, with no broker, database or mail settings:
SQLite in var/casework.db, kombu's filesystem broker in var/broker, and email
written as files in var/mail. Only the clock is the test's (CASEWORK_CLOCK_FILE).
"""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import pytest

from casework import clock
from casework.db import Database
from casework.queries import case_summary
from tests.e2e.conftest import ROOT, SCENARIO_START, Clock, stop_process, wait_until
from tests.e2e.test_worker import at
from tests.factories import confirmed_alert, list_pub, make_world, owners_notice
from tests.mailserver import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]
CASEWORK = shutil.which("casework", path=str(Path(sys.executable).parent)) or "casework"


@dataclass(frozen=True)
class Sent:
    to: str
    subject: str
    text: str


def mail_in(folder: Path) -> list[Sent]:
    """The emails the file mailer has written, as a person opening var/mail would read them."""
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        found.append(Sent(str(message["To"].addresses[0].addr_spec), str(message["Subject"]).strip(), text))
    return found


def subjects_to(folder: Path, address: str) -> list[str]:
    return [sent.subject for sent in mail_in(folder) if sent.to == address]


@pytest.fixture
def fresh(tmp_path: Path) -> dict[str, str]:
    """An environment with nothing configured but the clock: as on a fresh clone."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SMTP_URL", "NOTIFY_API_KEY", "MAIL_DIR"}
    }
    Clock(tmp_path / "clock").set(SCENARIO_START)
    env.update({clock.CLOCK_FILE: str(tmp_path / "clock"), "SWEEP_SECONDS": "1", "PYTHONPATH": str(ROOT)})
    env.update(OUTBOX_RELAY_SECONDS="0.5")
    return env


@pytest.fixture
def running(fresh: dict[str, str], tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], list[str], int]]:
    for step in (["db", "upgrade"], ["demo-data"]):  # as `make run` does, before it starts the service
        done = subprocess.run(
            [CASEWORK, *step], cwd=tmp_path, env=fresh, capture_output=True, text=True, timeout=180, check=False
        )
        assert done.returncode == 0, done.stderr
    port = free_port()
    runner = subprocess.Popen(
        [CASEWORK, "run", "--port", str(port)],
        cwd=tmp_path,
        env=fresh,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    assert runner.stdout is not None
    reader = threading.Thread(target=lambda: lines.extend(runner.stdout or []), daemon=True)
    reader.start()
    yield runner, lines, port
    stop_process(runner)  # SIGTERM, as Ctrl-C in `make run`; SIGKILL if anything lingers
    reader.join(timeout=10)
    runner.stdout.close()


def test_make_run_on_a_fresh_machine_alerts_reminds_and_ends_the_interim_moratorium_with_no_redis(
    running: tuple[subprocess.Popen[str], list[str], int], tmp_path: Path
) -> None:
    runner, lines, port = running
    mail = tmp_path / "var" / "mail"
    database = Database(f"sqlite:///{tmp_path / 'var' / 'casework.db'}")
    tick = Clock(tmp_path / "clock")
    try:
        world = make_world(database, code="TST")  # a council of our own beside the demo one
        confirmed_alert(database, world.code, "resident@example.org", category="pub")
        listing = list_pub(database, world, uprn=None)
        cycle = owners_notice(
            database, world, listing, received_on=at("2026-04-01T10:00:00").date(), now=at("2026-04-01T10:00:00")
        )

        alert = "Owner intends to sell listed land: the moratorium has started (TST-MOR-00001)"
        for address in ("resident@example.org", "friends@example.org", "member@tst.example.org"):
            wait_until(lambda a=address: alert in subjects_to(mail, a), timeout=90, what=f"the alert to {address}")
        assert case_summary(database, cycle).state == "interim_moratorium"

        reminder = "Reminder: Interim moratorium ends (TST-MOR-00001)"
        tick.set(at("2026-04-28T07:00:00"))  # 14 days before the end, at 08:00 in London
        for address in ("owner@tst.example.com", "friends@example.org", "resident@example.org"):
            wait_until(
                lambda a=address: reminder in subjects_to(mail, a), timeout=60, what=f"the reminder to {address}"
            )
        [told] = [s for s in mail_in(mail) if s.subject == reminder and s.to == "friends@example.org"]
        assert "by the end of Tuesday 12 May 2026 (in 14 days)." in told.text

        tick.set(at("2026-05-12T23:00:00"))  # midnight in London: the interim moratorium is over
        wait_until(lambda: case_summary(database, cycle).state == "owner_free", timeout=60, what="the interim end")
        ended = "The interim moratorium has ended (TST-MOR-00001)"
        wait_until(lambda: ended in subjects_to(mail, "owner@tst.example.com"), timeout=60, what="the owner's email")
        assert subjects_to(mail, "resident@example.org").count(reminder) == 1

        ready = f"casework is ready at http://127.0.0.1:{port}"
        wait_until(lambda: any(ready in line for line in lines), timeout=60, what="the ready message")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/register/TST/TST-ACV-00001", timeout=5) as page:
            assert "The Bull" in page.read().decode()
    finally:
        database.dispose()
    os.killpg(runner.pid, signal.SIGTERM)  # what Ctrl-C does
    assert runner.wait(timeout=60) == 0, "".join(lines)
    output = "".join(lines)
    assert "Started web, worker, beat" in output
    assert "officer@borsetshire.example.gov.uk" in output  # the demo data's sign-ins are offered
    assert (tmp_path / "var" / "broker" / "queue").is_dir() and (tmp_path / "var" / "broker" / "control").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clock", "var"]  # nothing written outside var/
