"""Drill: statutory timers under faults (issue 7).

A deadline that fires twice sends a council's letters twice and writes two audit events that say the
law happened twice; one that never fires lets a moratorium run on that should have ended. The
design (PERFORMANCE.md §4.3-4.5) says neither can happen: deadlines are rows swept with SKIP LOCKED,
beat only nudges, a crash before commit loses nothing and one after commit cannot repeat. Unit and
e2e tests show each mechanism once; this drill leans on all of them at the same time, for twenty
rounds, with the faults production will see: three sweepers racing each other and a Celery worker
killed with SIGKILL mid-batch, a second beat started by mistake, Redis restarting with work queued
in it, and PostgreSQL restarting under the sweepers.

Every round builds its own cases with deadlines already due by the real clock (so beat's own sweeps
may join in), keeps the set of due deadline ids as the oracle, and counts afterwards from what was
stored and what the SMTP server received: deadlines fired twice (two events naming one deadline),
deadlines missed (due but not fired once the restarted worker has swept), and emails that reached
the server twice for one message and recipient.
"""

from __future__ import annotations

import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from casework.db import Database
from casework.models import CaseEvent, Deadline, Delivery, OutboxMessage
from casework.services import deadlines
from tests.conftest import START_POSTGRES, require_service
from tests.drills.conftest import Figures
from tests.e2e import conftest as e2e
from tests.e2e.conftest import START_REDIS, Stack, stack_env
from tests.factories import World, list_pub, make_world, nominate_pub, owners_notice
from tests.mailserver import MailServer, Received, start_mail_server

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]

DRILL = "timers under faults"
ROUNDS = 20
NOMINATIONS = 12  # per round: each has its decision deadline due (escalated: an email to the officers)
SALES = 4  # per round: listed pubs with an owner's notice; each has its review window and interim moratorium due
BATCH = 5  # small batches, so the sweepers interleave and a kill lands inside one
SWEEPERS = 3
REDIS_URL = "redis://127.0.0.1:6379/9"  # the drills' own database: the e2e tests use 10-15
REDIS_CLI = "redis-cli"
BEAT_SWEEP = "Sending due task sweep-deadlines"
WORKER_SWEEP_RAISED = re.compile(r"Task worker\.sweep_deadlines\[[0-9a-f-]+\] raised")
OPEN_DELIVERY = ("pending", "retrying", "sending")
UUID_IN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# --- fixtures: our own Redis database, mail server and processes --------------------------------------------


@pytest.fixture
def redis_url() -> str:
    """Instead of the end-to-end tests' databases, the drill's own (their `client` fixture then uses it)."""
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.RedisError as exc:
        require_service("Redis", f"{type(exc).__name__} at {REDIS_URL}", START_REDIS)
    return REDIS_URL


@pytest.fixture
def mail() -> Iterator[tuple[MailServer, Controller]]:
    server, controller = start_mail_server(delay=0.01)  # slow enough that a kill can land mid-send
    yield server, controller
    controller.stop()


@pytest.fixture
def stack(pg_db: Database, redis_url: str, mail: tuple[MailServer, Controller], tmp_path: Path) -> Iterator[Stack]:
    env = stack_env(pg_db, redis_url, mail[1].port)
    env["DELIVERY_STALE_SECONDS"] = "3"  # a send orphaned by a kill is flagged unconfirmed sooner: rounds stay short
    running = Stack(env, tmp_path)
    yield running
    running.stop_all()


client = e2e.client  # sends sweeps to the worker through the broker, as beat does, on `redis_url` (ours)


# --- the cases and the oracle ---------------------------------------------------------------------------------


@dataclass
class Cohort:
    """One round's cases and the deadlines of theirs that were due when the round began: the oracle."""

    case_ids: list[uuid.UUID]
    due: set[uuid.UUID]


def build_cohort(db: Database, world: World, batch: int) -> Cohort:
    """Nominations left undecided past 8 weeks, and listed pubs whose interim moratorium has run out."""
    now = datetime.now(UTC)
    case_ids = [
        nominate_pub(db, world, now=now - timedelta(days=70), name=f"The Plough {batch}-{n}", uprn=_uprn(batch, n))
        for n in range(NOMINATIONS)
    ]
    for n in range(SALES):
        listing = list_pub(
            db,
            world,
            decided_on=(now - timedelta(days=120)).date(),
            now=now - timedelta(days=130),
            name=f"The Swan {batch}-{n}",
            uprn=_uprn(batch, NOMINATIONS + n),
        )
        sold = now - timedelta(days=50)
        case_ids += [listing, owners_notice(db, world, listing, received_on=sold.date(), now=sold)]
    with db.reader() as session:
        due = set(
            session.scalars(
                select(Deadline.id).where(
                    Deadline.case_id.in_(case_ids),
                    Deadline.fires_at <= now,
                    Deadline.status != "cancelled",  # the listing's own decision deadline, met by listing it
                )
            )
        )
    assert len(due) == NOMINATIONS + 2 * SALES, "every case should have brought its due deadlines"
    return Cohort(case_ids, due)


def _uprn(batch: int, n: int) -> str:
    return f"9{batch:04d}{n:07d}"  # twelve digits, unique per case


def fire_counts(db: Database, ids: set[uuid.UUID]) -> Counter[uuid.UUID]:
    """How many audit events name each deadline: one is right, none is a miss, two is a duplicate."""
    with db.reader() as session:
        events = session.scalars(select(CaseEvent.data).where(CaseEvent.data["deadline_id"].is_not(None))).all()
    named = Counter(uuid.UUID(str(data["deadline_id"])) for data in events)
    return Counter({deadline_id: named[deadline_id] for deadline_id in ids})


@dataclass(frozen=True)
class Tally:
    twice: int
    missed: int


def tally(db: Database, due: set[uuid.UUID]) -> Tally:
    counts = fire_counts(db, due)
    with db.reader() as session:
        not_fired = set(session.scalars(select(Deadline.id).where(Deadline.id.in_(due), Deadline.status != "fired")))
    missed = {i for i, n in counts.items() if n == 0} | not_fired
    return Tally(twice=sum(n - 1 for n in counts.values() if n > 1), missed=len(missed))


# --- the emails, counted at the SMTP server -------------------------------------------------------------------


@dataclass(frozen=True)
class MailTally:
    twice: int  # extra copies of one message to one recipient
    lost: int  # recorded as sent but never received
    unconfirmed: int  # a worker died mid-send: not sent again, shown to officers


def mail_tally(db: Database, server: MailServer) -> MailTally:
    with server.lock:
        received = list(server.received)
    with db.reader() as session:
        rows = session.execute(select(Delivery.id, Delivery.message_id, Delivery.status)).all()
    message_of = {str(row.id): str(row.message_id) for row in rows}
    delivered = [(delivery_id(item), item) for item in received]
    per_message = Counter(
        (message_of.get(delivery, delivery), recipient.lower())
        for delivery, item in delivered
        for recipient in item.recipients
    )
    arrived = {delivery for delivery, _ in delivered}
    return MailTally(
        twice=sum(n - 1 for n in per_message.values() if n > 1),
        lost=sum(1 for row in rows if row.status == "sent" and str(row.id) not in arrived),
        unconfirmed=sum(1 for row in rows if row.status == "unconfirmed"),
    )


def delivery_id(item: Received) -> str:
    """The delivery an email came from: we build every Message-ID from the delivery id."""
    match = UUID_IN.search(str(item.message["Message-ID"]))
    assert match, item.message["Message-ID"]
    return match.group(0)


def settled(db: Database) -> bool:
    """Every outbox message planned and every delivery at an end (sent, failed, unconfirmed, by post)."""
    try:
        with db.reader() as session:
            open_ = session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status.in_(OPEN_DELIVERY)))
            unplanned = session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.processed_at.is_(None))
            )
    except OperationalError:  # PostgreSQL restarting
        return False
    return open_ == 0 and unplanned == 0


def poll(check: Callable[[], bool], timeout: float, interval: float = 0.2) -> bool:
    """Like wait_until, but says whether it happened instead of failing: the drill counts, then asserts."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False


# --- sweeping: three in the test process, one in the worker ---------------------------------------------------


@dataclass
class Sweepers:
    """SWEEPERS threads each running the sweep until one completes, as `casework sweep` would; with `keep_going`,
    again and again until stopped, as `casework sweep --every 1` would, so a fault cannot miss them."""

    db: Database
    keep_going: bool = False
    reports: list[deadlines.SweepReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    recovered_at: list[float] = field(default_factory=list)  # monotonic time of each sweep that followed an error
    threads: list[threading.Thread] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def start(self) -> None:
        barrier = threading.Barrier(SWEEPERS)
        self.threads = [threading.Thread(target=self._run, args=(barrier,)) for _ in range(SWEEPERS)]
        for thread in self.threads:
            thread.start()

    def _run(self, barrier: threading.Barrier) -> None:
        barrier.wait()
        failed = False
        give_up = time.monotonic() + 240
        while time.monotonic() < give_up:
            try:
                report = deadlines.sweep(self.db, batch_size=BATCH)
            except Exception as exc:  # PostgreSQL went away mid-batch: the batch rolled back; sweep again
                self.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
                failed = True
                time.sleep(0.25)
                continue
            self.reports.append(report)
            if failed:
                self.recovered_at.append(time.monotonic())
                failed = False
            if not self.keep_going or self.stopping.is_set():
                return
            time.sleep(0.1)

    def stop(self) -> None:
        self.stopping.set()
        self.join()

    def running(self) -> bool:
        return any(thread.is_alive() for thread in self.threads)

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=180)
        assert not self.running(), "a sweeper is stuck"


def send_sweep(client: Celery) -> str:
    task_id = str(uuid.uuid4())
    client.send_task("worker.sweep_deadlines", kwargs={"batch_size": BATCH}, task_id=task_id)
    return task_id


def sweep_outcome(stack: Stack, name: str, task_id: str) -> str | None:
    log = stack.log(name)
    if f"[{task_id}] succeeded" in log:
        return "succeeded"
    if f"[{task_id}] raised" in log:
        return "raised"
    return None


def sweep_done(stack: Stack, name: str, task_id: str, outcome: str | None = None) -> bool:
    found = sweep_outcome(stack, name, task_id)
    return found is not None and outcome in (None, found)


@dataclass
class Supervised:
    """The worker under a supervisor: started again if it exits, as the compose file's `restart: unless-stopped`
    does. `exits` counts how often that was needed: a worker should never die of a broker or database fault."""

    stack: Stack
    name: str
    exits: int = 0

    def alive(self) -> bool:
        process = self.stack.processes.get(self.name)
        return process is not None and process.poll() is None

    def restart_if_exited(self) -> None:
        if self.alive():
            return
        self.stack.processes.pop(self.name, None)
        self.exits += 1
        self.name = f"{self.name}-restarted"
        self.stack.worker(self.name)


def answered_or_exited(worker: Supervised, task_id: str) -> bool:
    return sweep_done(worker.stack, worker.name, task_id) or not worker.alive()


def worker_sweeps_once(worker: Supervised, client: Celery, *, attempts: int = 6) -> bool:
    """Ask the worker to sweep until a sweep succeeds (one that hit a restarting database is asked again)."""
    for _ in range(attempts):
        worker.restart_if_exited()
        try:
            task_id = send_sweep(client)
        except Exception:  # the broker is not back yet
            time.sleep(0.5)
            continue
        poll(partial(answered_or_exited, worker, task_id), timeout=30)
        if sweep_done(worker.stack, worker.name, task_id, "succeeded"):
            return True
    return False


def fired_so_far(db: Database, due: set[uuid.UUID]) -> int:
    try:
        with db.reader() as session:
            return int(
                session.scalar(
                    select(func.count()).select_from(Deadline).where(Deadline.id.in_(due), Deadline.status != "pending")
                )
                or 0
            )
    except OperationalError:
        return 0


def until_part_fired(db: Database, cohort: Cohort, sweepers: Sweepers, fraction: float) -> None:
    """Wait until `fraction` of the cohort has fired (or the sweepers are done): the moment to strike."""
    target = int(len(cohort.due) * fraction)
    poll(lambda: fired_so_far(db, cohort.due) >= target or not sweepers.running(), timeout=60, interval=0.02)


def until_emails_under_way(server: MailServer, count: int) -> None:
    """Wait until `count` more emails have arrived (the sweep's escalations and notices): the moment to strike."""
    start = len(server.received)
    poll(lambda: len(server.received) >= start + count, timeout=30, interval=0.01)


def sending_now(db: Database) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sending")) or 0)


# --- figures --------------------------------------------------------------------------------------------------


def per_round(values: list[int]) -> str:
    return f"{sum(values)} (per round: {' '.join(str(v) for v in values)})"


def seconds(values: list[float]) -> str:
    if not values:
        return "none"
    return f"median {statistics.median(values):.1f}, max {max(values):.1f} over {len(values)}"


@dataclass
class Outcome:
    """What one faulted run left behind, counted after recovery."""

    due: int
    twice: int
    missed: int
    mail: MailTally
    recovery: float | None
    worker_exits: int = 0


def record_outcome(
    figures: Figures,
    fault: str,
    outcome: Outcome,
    recovery: str = "seconds from the fault to the next successful sweep",
) -> None:
    figures.record(DRILL, f"{fault}: deadlines due", outcome.due, "report", True)
    figures.record(DRILL, f"{fault}: deadlines fired twice", outcome.twice, "0", outcome.twice == 0)
    figures.record(DRILL, f"{fault}: deadlines missed", outcome.missed, "0", outcome.missed == 0)
    figures.record(DRILL, f"{fault}: emails sent twice", outcome.mail.twice, "0", outcome.mail.twice == 0)
    figures.record(
        DRILL, f"{fault}: emails recorded sent, never received", outcome.mail.lost, "0", not outcome.mail.lost
    )
    figures.record(DRILL, f"{fault}: emails left unconfirmed", outcome.mail.unconfirmed, "report", True)
    recovered = outcome.recovery is not None
    value = f"{outcome.recovery:.1f}" if outcome.recovery is not None else "did not recover"
    figures.record(DRILL, f"{fault}: {recovery}", value, "recovers", recovered)
    # Not asserted: when it happens it is a defect in kombu's Redis transport (see the regression note in the
    # report of issue 7), and the deployment's restart policy covers it; recovery above is asserted.
    figures.record(
        DRILL,
        f"{fault}: worker exits (restarted as compose would)",
        outcome.worker_exits,
        "0",
        not outcome.worker_exits,
    )


def assert_clean(outcome: Outcome) -> None:
    assert outcome.recovery is not None, "no successful sweep after the fault"
    assert (outcome.twice, outcome.missed, outcome.mail.twice, outcome.mail.lost) == (0, 0, 0, 0), outcome


# --- the drills -----------------------------------------------------------------------------------------------


@pytest.mark.timeout(600)
def test_twenty_rounds_of_racing_sweepers_and_a_killed_worker_fire_every_deadline_once_and_email_once(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery, figures: Figures
) -> None:
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    rng = random.Random(7)  # noqa: S311 - where in the batch to strike, not a secret
    worker = Supervised(stack, "worker0")
    stack.worker(worker.name)
    stack.beat()
    due: list[int] = []
    twice: list[int] = []
    missed: list[int] = []
    emails_twice: list[int] = []
    recoveries: list[float] = []
    sweep_errors: list[str] = []
    mid_sweep = mid_send = 0
    for r in range(ROUNDS):
        cohort = build_cohort(pg_db, world, r)
        poll(lambda: settled(pg_db), timeout=90)  # the cases' own emails first: the kill should hit the sweep's
        sweepers = Sweepers(pg_db)
        worker_task = send_sweep(client)
        sweepers.start()
        if r % 2:  # odd rounds strike while the sweep's emails are going out, even ones inside the sweep
            until_emails_under_way(server, rng.randint(1, 8))
        else:
            until_part_fired(pg_db, cohort, sweepers, rng.uniform(0.1, 0.6))
        killed_at = time.monotonic()
        stack.kill(worker.name)  # SIGKILL to the whole process group: the main process and its children
        mid_sweep += sweep_outcome(stack, worker.name, worker_task) is None
        mid_send += sending_now(pg_db)
        sweepers.join()
        worker.name = f"worker{r + 1}"
        stack.worker(worker.name)
        recovered = worker_sweeps_once(worker, client)
        if recovered:
            recoveries.append(time.monotonic() - killed_at)
        counted = tally(pg_db, cohort.due)
        poll(lambda: settled(pg_db), timeout=90)
        before = sum(emails_twice)
        due.append(len(cohort.due))
        twice.append(counted.twice)
        missed.append(counted.missed)
        emails_twice.append(mail_tally(pg_db, server).twice - before)
        sweep_errors += sweepers.errors
    final_mail = mail_tally(pg_db, server)
    logs = [log.read_text(errors="replace") for log in stack.workdir.glob("worker*.log")]
    sweeps_raised = sum(len(WORKER_SWEEP_RAISED.findall(log)) for log in logs)

    figures.record(DRILL, "rounds (3 sweepers + a worker killed -9 mid-batch)", ROUNDS, "20", ROUNDS == 20)
    figures.record(DRILL, "deadlines due", per_round(due), "report", True)
    figures.record(DRILL, "deadlines fired twice", per_round(twice), "0", sum(twice) == 0)
    figures.record(DRILL, "deadlines missed", per_round(missed), "0", sum(missed) == 0)
    figures.record(DRILL, "emails sent twice", per_round(emails_twice), "0", sum(emails_twice) == 0)
    figures.record(DRILL, "emails received at the SMTP server", len(server.received), "report", True)
    figures.record(DRILL, "emails recorded sent, never received", final_mail.lost, "0", final_mail.lost == 0)
    figures.record(DRILL, "emails left unconfirmed by a kill", final_mail.unconfirmed, "report", True)
    figures.record(DRILL, "kills that landed mid-sweep / sends in flight", f"{mid_sweep} / {mid_send}", "report", True)
    errors = len(sweep_errors) + sweeps_raised
    figures.record(
        DRILL, "sweeps that failed (threads + worker)", f"{len(sweep_errors)} + {sweeps_raised}", "0", not errors
    )
    figures.record(DRILL, "worker exits other than the kills", worker.exits, "0", not worker.exits)
    recovered = len(recoveries) == ROUNDS
    figures.record(
        DRILL, "seconds from kill -9 to the next successful sweep", seconds(recoveries), "recovers", recovered
    )

    assert recovered, f"the restarted worker swept successfully in {len(recoveries)} of {ROUNDS} rounds"
    assert (sum(twice), sum(missed), sum(emails_twice), final_mail.lost) == (0, 0, 0, 0)
    assert not errors, sweep_errors
    assert not worker.exits, "a worker died on its own, not killed by the drill"


def faulted_run(
    db: Database,
    world: World,
    stack: Stack,
    client: Celery,
    server: MailServer,
    strike: Callable[[], None],
) -> tuple[Outcome, float, Sweepers]:
    """One cohort swept by three threads and the worker; `strike` faults mid-batch and returns when it is over.

    Returns what was counted, the moment of the fault and the sweepers, whose recoveries are timed from it.
    """
    first, second = build_cohort(db, world, 0), build_cohort(db, world, 1)  # twice the work, so the fault is mid-way
    cohort = Cohort(first.case_ids + second.case_ids, first.due | second.due)
    sweepers = Sweepers(db, keep_going=True)
    send_sweep(client)
    sweepers.start()
    until_part_fired(db, cohort, sweepers, 0.1)
    struck_at = time.monotonic()
    strike()
    worker = Supervised(stack, "worker")
    recovered = worker_sweeps_once(worker, client, attempts=10)
    recovery = time.monotonic() - struck_at if recovered else None
    sweepers.stop()
    counted = tally(db, cohort.due)
    poll(lambda: settled(db), timeout=120)
    return (
        Outcome(len(cohort.due), counted.twice, counted.missed, mail_tally(db, server), recovery, worker.exits),
        struck_at,
        sweepers,
    )


def redis_pings() -> bool:
    try:
        return bool(redis.Redis(port=6379, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def start_redis() -> None:
    binary = shutil.which("redis-server")
    if binary is None:
        require_service("redis-server", "the binary is not installed", "apt-get install redis-server")
    subprocess.run([str(binary), *shlex.split(START_REDIS)[1:]], check=True, capture_output=True)
    assert poll(redis_pings, timeout=20), "redis-server did not come back"


def restart_redis(outage: float) -> None:
    """The shared Redis on 6379, stopped without saving (everything queued in it is lost) and started again."""
    subprocess.run([REDIS_CLI, "-p", "6379", "shutdown", "nosave"], check=False, capture_output=True)
    poll(lambda: not redis_pings(), timeout=10)
    time.sleep(outage)
    start_redis()


def postgres_answers(db: Database) -> bool:
    try:
        with db.reader() as session:
            return session.scalar(select(func.now())) is not None
    except OperationalError:
        return False


def postgres_cluster() -> str:
    versions = sorted(os.listdir("/etc/postgresql"))
    assert versions, "no PostgreSQL cluster configured under /etc/postgresql"
    return versions[-1]


def restart_postgres(db: Database) -> None:
    """The shared PostgreSQL server, restarted (fast shutdown: every open transaction is rolled back)."""
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", postgres_cluster(), "main", "restart"],
        check=True,
        capture_output=True,
    )
    assert poll(lambda: postgres_answers(db), timeout=60), "PostgreSQL did not come back"


def start_postgres(db: Database) -> None:
    if postgres_answers(db):
        return
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", postgres_cluster(), "main", "start"],
        check=False,
        capture_output=True,
    )
    assert poll(lambda: postgres_answers(db), timeout=60), f"PostgreSQL is down; start it with: {START_POSTGRES}"


def test_a_second_beat_started_by_mistake_fires_nothing_twice(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], figures: Figures
) -> None:
    """Only the two beats sweep here: each asks every minute, both at about the same moment."""
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    stack.worker("worker")
    with ThreadPoolExecutor(max_workers=2) as pool:  # started together, so their sweeps coincide
        list(pool.map(stack.beat, ["beat", "beat-by-mistake"]))
    started = time.monotonic()
    cohort = build_cohort(pg_db, world, 0)

    def both_beats_swept() -> bool:
        return all(BEAT_SWEEP in stack.log(name) for name in ("beat", "beat-by-mistake"))

    assert poll(both_beats_swept, timeout=120), stack.log("beat")
    fired = poll(lambda: fired_so_far(pg_db, cohort.due) == len(cohort.due), timeout=60)
    swept_after = time.monotonic() - started
    counted = tally(pg_db, cohort.due)
    poll(lambda: settled(pg_db), timeout=90)
    outcome = Outcome(len(cohort.due), counted.twice, counted.missed, mail_tally(pg_db, server), swept_after)
    sends = [stack.log(name).count(BEAT_SWEEP) for name in ("beat", "beat-by-mistake")]

    record_outcome(figures, "second beat", outcome, "seconds from the beats' start to every deadline fired")
    figures.record(DRILL, "second beat: sweeps sent by each beat", " / ".join(map(str, sends)), "report", True)
    assert fired, stack.log("worker")
    assert_clean(outcome)


def test_a_redis_restart_mid_flow_loses_nothing_and_repeats_nothing(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery, figures: Figures
) -> None:
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    stack.worker("worker")
    stack.beat()
    try:
        outcome, _, _ = faulted_run(pg_db, world, stack, client, server, lambda: restart_redis(outage=2.0))
    finally:
        if not redis_pings():
            start_redis()

    record_outcome(figures, "Redis restart", outcome)
    assert_clean(outcome)


def test_a_postgresql_restart_mid_flow_loses_nothing_and_repeats_nothing(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery, figures: Figures
) -> None:
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    stack.worker("worker")
    stack.beat()
    try:
        outcome, struck_at, sweepers = faulted_run(pg_db, world, stack, client, server, lambda: restart_postgres(pg_db))
    finally:
        start_postgres(pg_db)

    record_outcome(figures, "PostgreSQL restart", outcome)
    in_process = [at - struck_at for at in sweepers.recovered_at]
    figures.record(
        DRILL,
        "PostgreSQL restart: seconds from the fault to each failed sweeper thread's next successful sweep",
        ", ".join(f"{s:.1f}" for s in in_process) or "none failed",
        "report",
        True,
    )
    assert_clean(outcome)
