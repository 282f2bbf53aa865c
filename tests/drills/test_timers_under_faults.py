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
deadlines missed (due but not fired once the restarted worker has swept), emails that reached the
server twice for one message and recipient with different Message-IDs (a copy with the same Message-ID
is a resend of a try a kill cut off, which most mailboxes keep once: reported apart), emails never
received at the server, and emails lost: every notice the fired deadlines call for
(from the workflow definitions: an overdue decision tells the officers, an expiry transition sends its
notices) must have been written to the outbox, turned into deliveries for everyone its parties stand
for, each email delivery sent and received at the server, and each delivery by post (a recipient with no
email address) given its letter.

Even rounds strike inside a sweep batch for certain: the drill holds the row lock of one due deadline
in the middle of the order, the worker's sweep commits the batches before it and waits on that row
inside its batch, and the worker is killed there. Odd rounds strike while the sweep's emails are going
out. The Redis and PostgreSQL drills stop servers through tests/drills/servers.py, which checks first
that each can be started again and brings it back however the drill ends; DRILLS_REDIS_PORT and
DRILLS_PGDATA point them at servers of their own (by default the machine's shared ones).

The quick pass (`make test`: tests/drills/conftest.py) runs two rounds, one of each kind, the second beat
and the Redis restart, on a throwaway redis-server of its own, never the one the rest of the suite uses.
Beat sweeps only in the second-beat drill there (every few seconds), so no round waits a minute for beat's
quiet; the PostgreSQL restart runs in full only (it would stop the machine's server).
"""

from __future__ import annotations

import os
import random
import re
import signal
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
from sqlalchemy import Connection, func, select, text, update
from sqlalchemy.exc import OperationalError

from casework.db import Database
from casework.models import AssetParty, Case, CaseEvent, Deadline, Delivery, Letter, OutboxMessage
from casework.notifying import recipients
from casework.services import deadlines
from tests.conftest import require_service
from tests.drills import servers
from tests.drills.conftest import FULL, Figures, pace
from tests.e2e import conftest as e2e
from tests.e2e.conftest import Stack, stack_env
from tests.factories import World, list_pub, make_world, nominate_pub, owners_notice
from tests.mailserver import MailServer, Received, start_mail_server
from workflows import registry

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]

DRILL = "timers under faults"
ROUNDS = pace(20, 2)
NOMINATIONS = 12  # per round: each has its decision deadline due (escalated: an email to the officers)
SALES = 4  # per round: listed pubs with an owner's notice; each has its review window and interim moratorium due
BATCH = 5  # small batches, so the sweepers interleave and a kill lands inside one
SWEEPERS = 3
DB = 9  # the drills' own Redis database: the e2e tests use 10-15
BEAT_SWEEP = "Sending due task sweep-deadlines"
BEAT_SWEEP_AT = re.compile(r"^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),\d+: INFO/MainProcess\] .*" + BEAT_SWEEP, re.MULTILINE)
BEAT_EVERY = 60  # seconds: beat's sweep schedule (worker/celery_app.py)
QUICK_BEAT_EVERY = {"second beat": 5, "otherwise": 3600}  # the quick pass: beat sweeps only where it is the drill
QUIET = 25  # seconds of beat's quiet an even round needs, from building its cases to the kill
WORKER_SWEEP_RAISED = re.compile(r"Task worker\.sweep_deadlines\[[0-9a-f-]+\] raised")
OPEN_DELIVERY = ("pending", "retrying", "sending")
UUID_IN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
SETTLE_SECONDS = 120
EXIT_LOGS = Path("var/drills/worker-exits")  # the log of every worker that exited on its own, for the record


# --- fixtures: our own Redis database, mail server and processes --------------------------------------------


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[servers.ThrowawayRedis | None]:
    """The quick pass's own redis-server (None in full: the drills' configured Redis, servers.REDIS_PORT)."""
    if FULL:
        yield None
        return
    folder = tmp_path / "redis"
    folder.mkdir()
    own = servers.ThrowawayRedis(folder)
    own.start()
    yield own
    own.stop()


@pytest.fixture
def redis_port(broker: servers.ThrowawayRedis | None) -> int:
    return servers.REDIS_PORT if broker is None else broker.port


@pytest.fixture
def redis_url(redis_port: int) -> str:
    """Instead of the end-to-end tests' databases, the drill's own (their `client` fixture then uses it)."""
    url = f"redis://127.0.0.1:{redis_port}/{DB}"
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=2)
        client.flushdb()
        client.close()
    except redis.RedisError as exc:
        require_service("Redis", f"{type(exc).__name__} at {url}", f"sh {servers.SCRIPT} start-redis")
    return url


@pytest.fixture
def mail() -> Iterator[tuple[MailServer, Controller]]:
    server, controller = start_mail_server(delay=0.01)  # slow enough that a kill can land mid-send
    yield server, controller
    controller.stop()


@pytest.fixture
def stack(pg_db: Database, redis_url: str, mail: tuple[MailServer, Controller], tmp_path: Path) -> Iterator[Stack]:
    env = stack_env(pg_db, redis_url, mail[1].port)
    env["DELIVERY_STALE_SECONDS"] = "3"  # a send orphaned by a kill is sent again sooner: rounds stay short
    if not FULL:
        env["SWEEP_SECONDS"] = str(QUICK_BEAT_EVERY["otherwise"])
    running = Stack(env, tmp_path)
    yield running
    stop_all(running)


def stop_all(stack: Stack, grace: float = 20) -> None:
    """Like Stack.stop_all, but as compose stops a service: SIGTERM, then SIGKILL after a grace period, so a
    warm shutdown that waits on a task (after a fault, say) cannot fail the drill's teardown."""
    for name, process in list(stack.processes.items()):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)
        stack.processes.pop(name)


client = e2e.client  # sends sweeps to the worker through the broker, as beat does, on `redis_url` (ours)


@pytest.fixture(scope="module", autouse=True)
def _which_servers(figures: Figures) -> None:
    where = "own, set by DRILLS_REDIS_PORT / DRILLS_PGDATA" if servers.PRIVATE else "this machine's shared ones"
    faulted = f"Redis on port {servers.REDIS_PORT}, PostgreSQL: {where}"
    if not FULL:
        faulted = "quick pass: a throwaway redis-server per test; PostgreSQL is not restarted"
    figures.record(DRILL, "servers faulted", faulted, "report", True)


# --- the cases and the oracle ---------------------------------------------------------------------------------


@dataclass
class Cohort:
    """One round's cases and the deadlines of theirs that were due when the round began: the oracle."""

    case_ids: list[uuid.UUID]
    due: set[uuid.UUID]


def build_cohort(db: Database, world: World, batch: int) -> Cohort:
    """Nominations left undecided past 8 weeks, and listed pubs whose interim moratorium has run out; half of those
    pubs' owners known only by their registered office, so the notice that the moratorium has ended goes to them by
    post (a letter each) and by email to the others."""
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
        if n % 2:
            _owner_without_email(db, listing)
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


def _owner_without_email(db: Database, listing: uuid.UUID) -> None:
    """The listed pub's recorded owner has a postal address and no email address, as a company known only by its
    registered office has."""
    with db.transaction() as session:
        asset_id = session.scalars(select(Case.asset_id).where(Case.id == listing)).one()
        session.execute(
            update(AssetParty).where(AssetParty.asset_id == asset_id, AssetParty.kind == "owner").values(email=None)
        )


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


# --- the emails: what the fired deadlines call for, against what the SMTP server received ----------------------

LOSSES = (  # why an email (or a notice) that should have gone did not, in the order it would have gone
    "notice never written to the outbox",
    "outbox row never processed",
    "delivery never planned",
    "letter never made",
    "delivery left pending, retrying or sending",
    "delivery failed",
    "recorded sent, never received",
)


@dataclass
class MailTally:
    """The emails of some cohorts, counted against an oracle of what their fired deadlines call for."""

    notices: int = 0  # outbox messages the fired deadlines call for
    emails: int = 0  # email deliveries those call for (one per message and recipient with an address)
    letters: int = 0  # recipients with no email address: a letter each, printed for the council to post (s.91(2))
    letters_made: int = 0  # of those, how many have their letter (each delivery by post must have one)
    received: int = 0  # of the emails, how many reached the SMTP server
    lost: Counter[str] = field(default_factory=Counter)  # by reason, one of LOSSES
    unconfirmed: int = 0  # in doubt after every resend: flagged to the officers
    unconfirmed_missing: int = 0  # of those, how many never reached the server (the kill came before the end)
    resent: int = 0  # cut off by a kill (or a broken connection), then sent again with the same Message-ID

    @property
    def lost_total(self) -> int:
        return sum(self.lost.values())

    @property
    def never_received(self) -> int:
        """Emails called for that never reached the SMTP server, whatever their delivery says."""
        return self.emails - self.received

    def add(self, other: MailTally) -> None:
        for name in ("notices", "emails", "letters", "letters_made", "received", "unconfirmed", "unconfirmed_missing",
                     "resent"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.lost.update(other.lost)

    def lost_words(self) -> str:
        reasons = ", ".join(f"{self.lost[reason]} {reason}" for reason in LOSSES if self.lost[reason])
        return f"{self.lost_total} of {self.emails} emails, {self.letters} letters and {self.notices} notices" + (
            f" ({reasons})" if reasons else ""
        )


def received_counts(server: MailServer) -> Counter[str]:
    """How many times the SMTP server received each delivery (we build every Message-ID from the delivery id)."""
    with server.lock:
        received = list(server.received)
    return Counter(delivery_id(item) for item in received)


def delivery_id(item: Received) -> str:
    match = UUID_IN.search(str(item.message["Message-ID"]))
    assert match, item.message["Message-ID"]
    return match.group(0)


def expected_notices(case: Case, deadline: Deadline) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """(topic, template, parties) of each outbox message firing this deadline must write, from the definition."""
    defn = registry.get(case.workflow, case.workflow_version)
    timer = defn.timer(deadline.timer)
    if timer.expiry_kind == "escalate":
        return [("deadline.overdue", None, ("officer",))]
    if timer.expiry_kind == "fire" and timer.on_expiry:
        fired = next(t for t in defn.transitions if t.trigger == timer.on_expiry)
        notices = [("notice.requested", n.template, tuple(p.value for p in n.parties)) for n in fired.notices]
        return [("case.transitioned", None, ()), *notices]
    return []  # a window that simply closes tells nobody


def mail_oracle(db: Database, server: MailServer, cohort: Cohort) -> MailTally:
    """Follow every notice the cohort's fired deadlines call for, to the SMTP server, and count what was lost."""
    received = received_counts(server)
    found = MailTally()
    with db.reader() as session:
        events = session.scalars(
            select(CaseEvent).where(CaseEvent.case_id.in_(cohort.case_ids), CaseEvent.data["deadline_id"].is_not(None))
        ).all()
        messages = session.scalars(select(OutboxMessage).where(OutboxMessage.case_id.in_(cohort.case_ids))).all()
        rows = session.scalars(select(Delivery).where(Delivery.case_id.in_(cohort.case_ids))).all()
        lettered = set(session.scalars(select(Letter.delivery_id).where(Letter.case_id.in_(cohort.case_ids))))
        by_event: dict[str, list[OutboxMessage]] = {}
        for row in messages:
            by_event.setdefault(str(row.payload.get("event_id")), []).append(row)
        deliveries = {(row.message_id, row.recipient.lower()): row for row in rows}  # one per message and address
        for event in events:
            deadline_id = uuid.UUID(str(event.data["deadline_id"]))
            if deadline_id not in cohort.due:
                continue
            case = session.get_one(Case, event.case_id)
            for topic, template, parties in expected_notices(case, session.get_one(Deadline, deadline_id)):
                found.notices += 1
                message = next(
                    (
                        m
                        for m in by_event.get(str(event.id), [])
                        if m.topic == topic and m.payload.get("template") == template
                    ),
                    None,
                )
                people = recipients.resolve(session, case, parties)
                emails = [p for p in people if p.email]
                found.emails += len(emails)
                found.letters += len(people) - len(emails)
                if message is None:
                    found.lost["notice never written to the outbox"] += max(len(emails), 1)
                    continue
                if message.processed_at is None:
                    found.lost["outbox row never processed"] += max(len(emails), 1)
                    continue
                for person in people:
                    address = (person.email or person.address or "(no address known)").lower()
                    _follow(deliveries.get((message.id, address)), person.email, received, found, lettered)
    return found


def _follow(
    row: Delivery | None, email: str | None, received: Counter[str], found: MailTally, lettered: set[uuid.UUID]
) -> None:
    """One recipient of one notice: planned, sent and received (or, with no email address, its letter made), or why
    not."""
    if row is None:
        found.lost["delivery never planned"] += 1
        return
    if email is None:
        _follow_letter(row, found, lettered)
        return
    arrived = received[str(row.id)] > 0
    found.received += arrived
    found.resent += row.resent_at is not None
    if row.status in OPEN_DELIVERY:
        found.lost["delivery left pending, retrying or sending"] += 1
    elif row.status == "failed":
        found.lost["delivery failed"] += 1
    elif row.status == "sent" and not arrived:
        found.lost["recorded sent, never received"] += 1
    elif row.status == "unconfirmed":
        found.unconfirmed += 1
        found.unconfirmed_missing += not arrived


def _follow_letter(row: Delivery, found: MailTally, lettered: set[uuid.UUID]) -> None:
    """A recipient with no email address: their delivery is by post and has its letter, printed for the council to
    post (or sent through GOV.UK Notify)."""
    if row.status != "by_post":
        found.lost["delivery never planned"] += 1
    elif row.id not in lettered:
        found.lost["letter never made"] += 1
    else:
        found.letters_made += 1


def emails_twice(db: Database, server: MailServer) -> int:
    """Extra copies of one message to one recipient with a Message-ID of their own, over everything the server
    received: the duplicates a mailbox shows. (Copies with the same Message-ID: `same_message_id_twice`.)"""
    return _copies(db, server)[0]


def same_message_id_twice(db: Database, server: MailServer) -> int:
    """Extra copies of one email with the same Message-ID: a resend of a try a kill cut off after it had gone.
    Most mailboxes keep one; reported apart."""
    return _copies(db, server)[1]


def _copies(db: Database, server: MailServer) -> tuple[int, int]:
    with server.lock:
        received = list(server.received)
    with db.reader() as session:
        message_of = {str(i): str(m) for i, m in session.execute(select(Delivery.id, Delivery.message_id)).all()}
    ids: dict[tuple[str, str], list[str]] = {}
    for item in received:
        for recipient in item.recipients:
            key = (message_of.get(delivery_id(item), delivery_id(item)), recipient.lower())
            ids.setdefault(key, []).append(str(item.message["Message-ID"]))
    different = sum(len(set(found)) - 1 for found in ids.values())
    same = sum(len(found) - len(set(found)) for found in ids.values())
    return different, same


def left_over(db: Database) -> tuple[int, int]:
    """Outbox rows never processed and deliveries never finished, anywhere in the database (not only the oracle's)."""
    with db.reader() as session:
        unprocessed = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.processed_at.is_(None))
        )
        unfinished = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status.in_([*OPEN_DELIVERY, "failed"]))
        )
    return int(unprocessed or 0), int(unfinished or 0)


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
    last_words: list[str] = field(default_factory=list)  # the end of each exited worker's log, kept in var/drills

    def alive(self) -> bool:
        process = self.stack.processes.get(self.name)
        return process is not None and process.poll() is None

    def restart_if_exited(self) -> None:
        if self.alive():
            return
        process = self.stack.processes.pop(self.name, None)
        self.exits += 1
        code = process.returncode if process is not None else None
        kept = EXIT_LOGS / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{self.name}.log"
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(self.stack.log(self.name))
        self.last_words.append(
            f"{self.name} exited with {code}; its log is in {kept}:\n{self.stack.log(self.name)[-3000:]}"
        )
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


@dataclass
class HeldDeadline:
    """One due deadline's row, locked by the drill in a transaction of its own.

    The sweep that reaches it (it locks the batch's cases first, then closes their deadlines one by one) waits
    on this row inside its batch, with the batches before it committed: a kill then lands mid-batch for certain.
    Every other sweeper skips the batch's cases (SKIP LOCKED) and fires the rest.
    """

    connection: Connection
    deadline_id: uuid.UUID
    pid: int

    @classmethod
    def take(cls, db: Database, cohort: Cohort) -> HeldDeadline | None:
        with db.reader() as session:
            order = session.scalars(
                select(Deadline.id)
                .where(Deadline.id.in_(cohort.due), Deadline.status == "pending")
                .order_by(Deadline.fires_at, Deadline.id)
            ).all()
        if len(order) < 2:
            return None  # beat's own sweep got there first: nothing left to strike inside
        target = order[
            min(BATCH + 2, len(order) - 1)
        ]  # the third of the second batch: two fired before it, uncommitted
        connection = db.engine.connect()
        connection.begin()
        pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
        held = connection.execute(
            select(Deadline.id).where(Deadline.id == target, Deadline.status == "pending").with_for_update()
        ).first()
        if held is None:
            connection.close()
            return None
        return cls(connection, target, pid)

    def waiting_on_it(self, db: Database) -> int:
        """How many other sessions wait on the row: a sweep stopped inside its batch."""
        with db.reader() as session:
            return int(
                session.scalar(
                    text("SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                    {"pid": self.pid},
                )
                or 0
            )

    def release(self) -> None:
        self.connection.rollback()
        self.connection.close()


def beat_quiet_for(stack: Stack, seconds: float) -> None:
    """Wait, if need be, until beat's next sweep has gone by, so that none comes in the next `seconds`.

    Beat's sweep fires every due deadline in one batch of 200: arriving while an even round sets up its strike,
    it would fire the round's cohort before the held row exists, or hold all of it in one uncommitted batch.
    In the quick pass beat sweeps once an hour: no sweep of its comes during the drill.
    """
    if not FULL:
        return
    sent = BEAT_SWEEP_AT.findall(stack.log("beat"))
    if sent and (datetime.now() - datetime.fromisoformat(sent[-1])).total_seconds() < BEAT_EVERY - seconds:  # noqa: DTZ005 - celery logs local time
        return
    poll(lambda: len(BEAT_SWEEP_AT.findall(stack.log("beat"))) > len(sent), timeout=BEAT_EVERY + 15)
    time.sleep(1.0)  # its sweep runs now, with nothing of the next cohort due yet


# --- figures --------------------------------------------------------------------------------------------------


def per_round(values: list[int]) -> str:
    return f"{sum(values)} (per round: {' '.join(str(v) for v in values)})"


def seconds(values: list[float]) -> str:
    if not values:
        return "none"
    return f"median {statistics.median(values):.1f}, max {max(values):.1f} over {len(values)}"


def record_mail(
    figures: Figures, fault: str, mail: MailTally, twice: int, settled_in_time: bool, same: int | None = None
) -> None:
    prefix = f"{fault}: " if fault else ""
    figures.record(DRILL, f"{prefix}emails and letters the fired deadlines call for", f"{mail.emails} emails and "
                   f"{mail.letters} letters in {mail.notices} notices", "report", True)  # fmt: skip
    figures.record(DRILL, f"{prefix}letters made, one for each recipient by post", f"{mail.letters_made} of "
                   f"{mail.letters}", f"{mail.letters} (> 0)", 0 < mail.letters_made == mail.letters)  # fmt: skip
    figures.record(DRILL, f"{prefix}of those, received at the SMTP server", mail.received, "report", True)
    figures.record(DRILL, f"{prefix}emails never received at the SMTP server", mail.never_received, "0",
                   mail.never_received == 0)  # fmt: skip
    figures.record(DRILL, f"{prefix}emails received twice with different Message-IDs", twice, "0", twice == 0)
    if same is not None:
        figures.record(DRILL, f"{prefix}emails received twice with the same Message-ID (a resend; one kept)", same,
                       "report", True)  # fmt: skip
    figures.record(DRILL, f"{prefix}emails and notices lost", mail.lost_words(), "0", mail.lost_total == 0)
    figures.record(
        DRILL,
        f"{prefix}emails a kill cut off, sent again after the wait with the same Message-ID",
        mail.resent,
        "report",
        True,
    )
    figures.record(
        DRILL,
        f"{prefix}emails left unconfirmed after every resend (shown to officers), of which never received",
        f"{mail.unconfirmed}, {mail.unconfirmed_missing}",
        "0, 0",
        mail.unconfirmed == 0,
    )
    figures.record(DRILL, f"{prefix}outbox and deliveries settled in {SETTLE_SECONDS} s", settled_in_time, "yes",
                   settled_in_time)  # fmt: skip


@dataclass
class Outcome:
    """What one faulted run left behind, counted after recovery."""

    due: int
    twice: int
    missed: int
    mail: MailTally
    mail_twice: int
    settled: bool
    recovery: float | None
    worker_exits: int = 0
    worker_last_words: tuple[str, ...] = ()


def record_outcome(
    figures: Figures,
    fault: str,
    outcome: Outcome,
    recovery: str = "seconds from the fault to the next successful sweep",
) -> None:
    figures.record(DRILL, f"{fault}: deadlines due", outcome.due, "report", True)
    figures.record(DRILL, f"{fault}: deadlines fired twice", outcome.twice, "0", outcome.twice == 0)
    figures.record(DRILL, f"{fault}: deadlines missed", outcome.missed, "0", outcome.missed == 0)
    record_mail(figures, fault, outcome.mail, outcome.mail_twice, outcome.settled)
    recovered = outcome.recovery is not None
    value = f"{outcome.recovery:.1f}" if outcome.recovery is not None else "did not recover"
    figures.record(DRILL, f"{fault}: {recovery}", value, "recovers", recovered)
    figures.record(DRILL, f"{fault}: worker exits (started again, as compose would)", outcome.worker_exits, "0",
                   not outcome.worker_exits)  # fmt: skip


def assert_clean(outcome: Outcome) -> None:
    assert outcome.recovery is not None, "no successful sweep after the fault"
    counted = (outcome.twice, outcome.missed, outcome.mail_twice, outcome.mail.lost_total, outcome.worker_exits,
               outcome.mail.never_received)  # fmt: skip
    assert counted == (0, 0, 0, 0, 0, 0), f"{outcome}\n" + "\n".join(outcome.worker_last_words)


# --- the drills -----------------------------------------------------------------------------------------------

MID_BATCH_ROUNDS = ROUNDS // 2  # every even round strikes inside a batch


@dataclass
class Rounds:
    """The twenty rounds' figures so far, recorded after every round so a drill that dies still leaves them."""

    due: list[int] = field(default_factory=list)
    twice: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    recoveries: list[float] = field(default_factory=list)
    sweep_errors: list[str] = field(default_factory=list)
    mid_batch: list[int] = field(default_factory=list)  # per even round: 1 if the kill landed inside a batch
    not_inside: list[str] = field(default_factory=list)  # for an even round whose kill did not: why
    mid_send: list[int] = field(default_factory=list)  # per odd round: sends in flight at the kill
    cohorts: list[Cohort] = field(default_factory=list)

    def record(self, figures: Figures) -> None:
        figures.record(DRILL, "rounds (3 sweepers + a worker killed -9 mid-batch)", len(self.due), str(ROUNDS),
                       len(self.due) == ROUNDS)  # fmt: skip
        figures.record(DRILL, "deadlines due", per_round(self.due), "report", True)
        figures.record(DRILL, "deadlines fired twice", per_round(self.twice), "0", sum(self.twice) == 0)
        figures.record(DRILL, "deadlines missed", per_round(self.missed), "0", sum(self.missed) == 0)
        figures.record(
            DRILL,
            "even rounds whose kill landed inside a sweep batch (worker waiting mid-batch, cohort part fired)",
            f"{sum(self.mid_batch)} of {len(self.mid_batch)}" + "".join(f"; {why}" for why in self.not_inside),
            f">= {MID_BATCH_ROUNDS}",
            sum(self.mid_batch) >= MID_BATCH_ROUNDS,
        )
        figures.record(DRILL, "odd rounds: sends in flight at the kill", per_round(self.mid_send), "report", True)
        figures.record(DRILL, "seconds from kill -9 to the next successful sweep", seconds(self.recoveries),
                       "recovers", len(self.recoveries) == len(self.due))  # fmt: skip


def strike_mid_batch(
    db: Database, cohort: Cohort, worker: Supervised, client: Celery, sweepers: Sweepers, rng: random.Random
) -> tuple[float, str | None]:
    """Hold one deadline, let the worker's sweep stop on it inside its batch, start the racing sweepers, kill.

    Returns the moment of the kill and, unless it landed inside a batch as seen in the database (the worker's
    session waiting on the held row, and the cohort fired in part: the batches before it), why not.
    """
    held = HeldDeadline.take(db, cohort)
    try:
        send_sweep(client)
        waiting = held is not None and poll(lambda: held.waiting_on_it(db) > 0, timeout=30, interval=0.05)
        fired = fired_so_far(db, cohort.due)
        sweepers.start()
        time.sleep(rng.uniform(0.0, 0.3))  # the three sweepers race on, around the stopped batch
        killed_at = time.monotonic()
        worker.stack.kill(worker.name)  # SIGKILL to the whole process group: the main process and its children
    finally:
        if held is not None:
            held.release()  # the killed worker's session now ends, its batch rolled back
    if held is None:
        return killed_at, "the cohort had fired before a row could be held"
    if not waiting:
        return killed_at, "no sweep reached the held row"
    if not 0 < fired < len(cohort.due):
        return killed_at, f"{fired} of {len(cohort.due)} fired when the worker stopped"
    return killed_at, None


@pytest.mark.timeout(900)
def test_twenty_rounds_of_racing_sweepers_and_a_killed_worker_fire_every_deadline_once_and_email_once(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery, figures: Figures
) -> None:
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    rng = random.Random(7)  # noqa: S311 - where in the batch to strike, not a secret
    worker = Supervised(stack, "worker0")
    stack.worker(worker.name)
    stack.beat()
    rounds = Rounds()
    for r in range(ROUNDS):
        if r % 2 == 0:
            beat_quiet_for(stack, QUIET)
        cohort = build_cohort(pg_db, world, r)
        rounds.cohorts.append(cohort)
        poll(lambda: settled(pg_db), timeout=90)  # the cases' own emails first: the kill should hit the sweep's
        sweepers = Sweepers(pg_db)
        if r % 2 == 0:
            killed_at, not_inside = strike_mid_batch(pg_db, cohort, worker, client, sweepers, rng)
            rounds.mid_batch.append(int(not_inside is None))
            rounds.not_inside += [f"round {r}: {not_inside}"] if not_inside else []
        else:  # while the sweep's emails are going out
            send_sweep(client)
            sweepers.start()
            until_emails_under_way(server, rng.randint(1, 8))
            killed_at = time.monotonic()
            stack.kill(worker.name)
            rounds.mid_send.append(sending_now(pg_db))
        sweepers.join()
        worker.name = f"worker{r + 1}"
        stack.worker(worker.name)
        if worker_sweeps_once(worker, client):
            rounds.recoveries.append(time.monotonic() - killed_at)
        counted = tally(pg_db, cohort.due)
        rounds.due.append(len(cohort.due))
        rounds.twice.append(counted.twice)
        rounds.missed.append(counted.missed)
        rounds.sweep_errors += sweepers.errors
        rounds.record(figures)

    settled_in_time = poll(lambda: settled(pg_db), timeout=SETTLE_SECONDS)
    mails = [mail_oracle(pg_db, server, cohort) for cohort in rounds.cohorts]
    total = MailTally()
    for found in mails:
        total.add(found)
    twice, same = emails_twice(pg_db, server), same_message_id_twice(pg_db, server)
    unprocessed, unfinished = left_over(pg_db)
    logs = [log.read_text(errors="replace") for log in stack.workdir.glob("worker*.log")]
    sweeps_raised = sum(len(WORKER_SWEEP_RAISED.findall(log)) for log in logs)

    record_mail(figures, "", total, twice, settled_in_time, same)
    figures.record(DRILL, "emails lost per round", per_round([m.lost_total for m in mails]), "0", not total.lost_total)
    figures.record(DRILL, "emails received at the SMTP server (all, the cases' own included)", len(server.received),
                   "report", True)  # fmt: skip
    figures.record(DRILL, "outbox rows never processed, deliveries unfinished (whole database)",
                   f"{unprocessed}, {unfinished}", "0, 0", unprocessed == unfinished == 0)  # fmt: skip
    errors = len(rounds.sweep_errors) + sweeps_raised
    figures.record(DRILL, "sweeps that failed (threads + worker)", f"{len(rounds.sweep_errors)} + {sweeps_raised}",
                   "0", not errors)  # fmt: skip
    figures.record(DRILL, "worker exits other than the kills", worker.exits, "0", not worker.exits)

    assert len(rounds.recoveries) == ROUNDS, (
        f"the restarted worker swept in {len(rounds.recoveries)} of {ROUNDS} rounds"
    )
    assert sum(rounds.mid_batch) >= MID_BATCH_ROUNDS, f"kills inside a batch: {rounds.mid_batch}"
    assert (sum(rounds.twice), sum(rounds.missed), twice) == (0, 0, 0)
    assert total.lost_total == 0, total.lost_words()
    assert total.letters_made == total.letters > 0, f"{total.letters_made} of {total.letters} letters made"
    assert total.never_received == 0, f"{total.never_received} of {total.emails} emails never reached the SMTP server"
    assert twice == 0, f"{twice} emails received twice with different Message-IDs"
    assert (unprocessed, unfinished) == (0, 0), "outbox rows or deliveries left unfinished"
    assert not errors, rounds.sweep_errors
    assert not worker.exits, "a worker died on its own, not killed by the drill:\n" + "\n".join(worker.last_words)


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
    settled_in_time = poll(lambda: settled(db), timeout=SETTLE_SECONDS)
    worker.restart_if_exited()  # a worker that died after its last sweep counts too
    outcome = Outcome(
        len(cohort.due),
        counted.twice,
        counted.missed,
        mail_oracle(db, server, cohort),
        emails_twice(db, server),
        settled_in_time,
        recovery,
        worker.exits,
        tuple(worker.last_words),
    )
    return outcome, struck_at, sweepers


def redis_pings(port: int) -> bool:
    try:
        return bool(redis.Redis(port=port, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def restart_redis(broker: servers.ThrowawayRedis | None, outage: float) -> None:
    """The drills' Redis, stopped without saving (everything queued in it is lost) and started again.

    In full, `servers.outage` checks first that it can be started again, and starts it again however this ends.
    In the quick pass it is the test's own throwaway server, started again on the same port.
    """
    if broker is not None:
        broker.stop()
        assert poll(lambda: not broker.pings(), timeout=10), "redis-server did not stop"
        time.sleep(outage)
        broker.start()
        return
    with servers.outage("redis"):
        redis.Redis(port=servers.REDIS_PORT, socket_connect_timeout=2).shutdown(nosave=True)
        assert poll(lambda: not redis_pings(servers.REDIS_PORT), timeout=10), "redis-server did not stop"
        time.sleep(outage)
    assert poll(partial(redis_pings, servers.REDIS_PORT), timeout=20), "redis-server did not come back"


def postgres_answers(db: Database) -> bool:
    try:
        with db.reader() as session:
            return session.scalar(select(func.now())) is not None
    except OperationalError:
        return False


def restart_postgres(db: Database) -> None:
    """The drills' PostgreSQL server, restarted (fast shutdown: every open transaction is rolled back)."""
    with db.reader() as session:
        servers.require_same_postgres(str(session.scalar(text("SHOW data_directory"))))
    with servers.outage("postgres"):
        servers.run("restart-postgres")
    assert poll(lambda: postgres_answers(db), timeout=60), "PostgreSQL did not come back"


def test_a_second_beat_started_by_mistake_fires_nothing_twice(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], figures: Figures
) -> None:
    """Only the two beats sweep here: each asks every minute, both at about the same moment."""
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    worker = Supervised(stack, "worker")
    stack.worker(worker.name)
    if not FULL:  # every few seconds: both beats still sweep, and sooner
        stack.env["SWEEP_SECONDS"] = str(QUICK_BEAT_EVERY["second beat"])
    with ThreadPoolExecutor(max_workers=2) as pool:  # started together, so their sweeps coincide
        list(pool.map(stack.beat, ["beat", "beat-by-mistake"]))
    started = time.monotonic()
    cohort = build_cohort(pg_db, world, 0)

    def both_beats_swept() -> bool:
        return all(BEAT_SWEEP in stack.log(name) for name in ("beat", "beat-by-mistake"))

    swept = poll(both_beats_swept, timeout=120)
    fired = poll(lambda: fired_so_far(pg_db, cohort.due) == len(cohort.due), timeout=60)
    swept_after = time.monotonic() - started if fired else None
    counted = tally(pg_db, cohort.due)
    settled_in_time = poll(lambda: settled(pg_db), timeout=SETTLE_SECONDS)
    worker.restart_if_exited()
    outcome = Outcome(len(cohort.due), counted.twice, counted.missed, mail_oracle(pg_db, server, cohort),
                      emails_twice(pg_db, server), settled_in_time, swept_after, worker.exits,
                      tuple(worker.last_words))  # fmt: skip
    sends = [stack.log(name).count(BEAT_SWEEP) for name in ("beat", "beat-by-mistake")]

    record_outcome(figures, "second beat", outcome, "seconds from the beats' start to every deadline fired")
    figures.record(DRILL, "second beat: sweeps sent by each beat", " / ".join(map(str, sends)), "both > 0",
                   min(sends) > 0)  # fmt: skip
    assert swept, stack.log("beat")
    assert fired, stack.log("worker")
    assert_clean(outcome)


def test_a_redis_restart_mid_flow_loses_nothing_and_repeats_nothing(
    pg_db: Database,
    stack: Stack,
    mail: tuple[MailServer, Controller],
    client: Celery,
    broker: servers.ThrowawayRedis | None,
    figures: Figures,
) -> None:
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    stack.worker("worker")
    stack.beat()
    outcome, _, _ = faulted_run(pg_db, world, stack, client, server, lambda: restart_redis(broker, outage=2.0))

    record_outcome(figures, "Redis restart", outcome)
    assert_clean(outcome)


@pytest.mark.skipif(
    not FULL, reason="restarts the machine's PostgreSQL server: make drills only, never the quick pass of make test"
)
def test_a_postgresql_restart_mid_flow_loses_nothing_and_repeats_nothing(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], client: Celery, figures: Figures
) -> None:
    server, _ = mail
    world = make_world(pg_db, now=datetime.now(UTC) - timedelta(days=400))
    stack.worker("worker")
    stack.beat()
    outcome, struck_at, sweepers = faulted_run(pg_db, world, stack, client, server, lambda: restart_postgres(pg_db))

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
