"""The worker as it runs in production: real Celery worker and beat processes, Redis, PostgreSQL and SMTP.

Time is controlled, not waited for: the test moves the clock every process
reads, and beat's own sweep (every second here) does the rest.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from casework.db import Database
from casework.models import CaseEvent, Delivery, OutboxMessage
from casework.queries import case_summary, register_rows
from casework.queries.case_page import case_page
from casework.register import jobs as register_jobs
from casework.register.columns import guess
from casework.register.files import read_table
from tests.e2e.conftest import Clock, Stack, wait_until
from tests.factories import World, confirmed_alert, list_pub, make_world, nominate_pub, owners_notice
from tests.mailserver import MailServer
from tests.registers import generated

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.slow]
NOTICE_ON = date(2026, 4, 1)
UUID_IN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ALERT = "Owner intends to sell listed land: the moratorium has started (BDC-MOR-00001)"


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(tzinfo=UTC)


def notice(db: Database, world: World, listing: uuid.UUID | None = None, *, method: str = "email") -> uuid.UUID:
    """The owner's notice of sale on 1 April 2026, on `listing` (a pub listed for the purpose if none)."""
    listing = listing or list_pub(db, world)
    return owners_notice(db, world, listing, received_on=NOTICE_ON, now=at("2026-04-01T10:00:00"), method=method)


def subjects(server: MailServer, address: str) -> list[str]:
    return [received.subject for received in server.to(address)]


def settled(db: Database) -> bool:
    """Every delivery has reached an end: sent, failed, unconfirmed or waiting for a letter."""
    with db.reader() as session:
        open_ = session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status.in_(["pending", "retrying", "sending"]))
        )
        total = session.scalar(select(func.count()).select_from(Delivery))
    return bool(total) and open_ == 0


def all_done(db: Database) -> bool:
    """Every outbox message relayed and turned into deliveries, and every delivery settled."""
    with db.reader() as session:
        waiting = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.processed_at.is_(None))
        )
    return waiting == 0 and settled(db)


def delivery_ids_received(server: MailServer) -> Counter[str]:
    """How many times each delivery reached the SMTP server, read from the Message-ID we give every email."""
    found: Counter[str] = Counter()
    for received in server.received:
        match = UUID_IN.search(str(received.message["Message-ID"]))
        assert match, received.message["Message-ID"]
        found[match.group(0)] += 1
    return found


def assert_each_email_arrived_once_or_was_a_recorded_resend(server: MailServer, db: Database) -> None:
    """An email reaches the server once, unless a try was left in doubt (a kill, or a stall longer than the
    stale wait): then it is sent again with its first Message-ID, which most mailboxes keep one copy of, and the
    delivery says it was resent. Two copies with different Message-IDs, or a copy nobody recorded, fail."""
    copied = {delivery for delivery, times in delivery_ids_received(server).items() if times > 1}
    with db.reader() as session:
        resent = {str(i) for i in session.scalars(select(Delivery.id).where(Delivery.resent_at.is_not(None)))}
    assert copied <= resent, f"sent twice but not recorded as resent: {sorted(copied - resent)}"
    ids: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for item in server.received:
        ids.setdefault((str(item.message["Subject"]), tuple(item.recipients)), set()).add(
            str(item.message["Message-ID"])
        )
    assert max(len(found) for found in ids.values()) == 1  # never one message twice under two Message-IDs


def test_an_owners_notice_alerts_subscribers_and_the_nominator_at_once(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller]
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    confirmed_alert(pg_db, world.code, "resident@example.org", category="pub")
    confirmed_alert(pg_db, world.code, "member@bdc.example.org", category="pub")  # also the nominator's member
    stack.worker()
    stack.beat()

    notice(pg_db, world)

    for address in ("resident@example.org", "friends@example.org", "member@bdc.example.org"):
        wait_until(lambda a=address: ALERT in subjects(server, a), timeout=60, what=f"the alert to {address}")
    wait_until(lambda: settled(pg_db), timeout=60, what="every delivery to finish")
    counts = Counter((r.subject, tuple(r.recipients)) for r in server.received)
    assert max(counts.values()) == 1  # nobody got anything twice, the member who also subscribed included
    [resident] = [r for r in server.to("resident@example.org") if r.subject == ALERT]
    assert "See the register entry: https://casework.example/register/BDC/BDC-ACV-00001" in resident.text


def test_the_interim_period_ends_at_midnight_by_the_stacks_own_sweep_with_the_right_emails(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], test_clock: Clock
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    cycle = notice(pg_db, world)
    stack.worker()
    stack.beat()

    test_clock.set(at("2026-05-12T22:58:00"))  # 23:58 BST on Tuesday 12 May, the last day
    stack.twice_more()
    assert case_summary(pg_db, cycle).state == "interim_moratorium"

    test_clock.set(at("2026-05-12T23:00:00"))  # midnight in London
    wait_until(
        lambda: case_summary(pg_db, cycle).state == "owner_free",
        timeout=60,
        what="the interim period to end",
        evidence=lambda: stack.log("worker"),
    )
    ended = "The interim moratorium has ended (BDC-MOR-00001)"
    wait_until(lambda: ended in subjects(server, "owner@bdc.example.com"), timeout=60, what="the owner's email")
    wait_until(lambda: ended in subjects(server, "friends@example.org"), timeout=60, what="the nominator's email")
    with pg_db.reader() as session:
        fired = session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.trigger == "interim_ends"))
    assert fired == 1


def test_reminders_arrive_at_their_offsets_once_each_for_the_owner_the_groups_and_the_officers(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], test_clock: Clock
) -> None:
    server, _ = mail
    world = make_world(pg_db)
    confirmed_alert(pg_db, world.code, "resident@example.org", category="pub")
    notice(pg_db, world)  # the interim moratorium ends on Tuesday 12 May 2026: reminders on 28 April, 5 and 11 May
    nomination = nominate_pub(
        pg_db, world, name="The Cat and Fiddle", uprn="100012345999", received_on=date(2026, 3, 18),
        now=at("2026-03-18T10:00:00"),
    )  # fmt: skip
    decision = case_summary(pg_db, nomination).deadline("decision_due")
    assert decision is not None and decision.due_date == date(2026, 5, 12)  # the council's decision: the same day
    stack.worker()
    stack.beat()
    wait_until(lambda: settled(pg_db), timeout=60, what="the notice emails")
    interim = "Reminder: Interim moratorium ends (BDC-MOR-00001)"
    decide = "Reminder: Decide the nomination (BDC-ACV-00002)"
    told = {
        interim: ("owner@bdc.example.com", "brewery@example.com", "friends@example.org", "member@bdc.example.org",
                  "resident@example.org"),
        decide: ("officer@bdc.example.gov.uk", "second.officer@bdc.example.gov.uk"),
    }  # fmt: skip

    def reminders() -> dict[str, int]:
        return {f"{subject}:{a}": subjects(server, a).count(subject) for subject, to in told.items() for a in to}

    for moment, expected, says in [
        ("2026-04-28T06:00:00", 0, None),  # 07:00 BST: not yet
        ("2026-04-28T07:00:00", 1, "(in 14 days)"),  # 14 days before, at 08:00
        ("2026-05-05T07:00:00", 2, "(in 7 days)"),
        ("2026-05-11T07:00:00", 3, "(tomorrow)"),
    ]:
        test_clock.set(at(moment))
        stack.twice_more()
        wait_until(
            lambda n=expected: set(reminders().values()) == {n} and settled(pg_db),
            timeout=60,
            what=f"reminder {expected} to everyone, and no more",
            evidence=lambda: str(reminders()),
        )
        stack.twice_more()  # later sweeps at the same moment send nothing new
        assert set(reminders().values()) == {expected}, moment
        if says:
            latest = [r for r in server.to("friends@example.org") if r.subject == interim][-1]
            assert f"by the end of Tuesday 12 May 2026 {says}." in latest.text


@pytest.mark.parametrize("mail", [0.2], indirect=True)
def test_a_backlog_of_email_does_not_hold_up_a_deadline(
    pg_db: Database, stack: Stack, mail: tuple[MailServer, Controller], test_clock: Clock
) -> None:
    """Compose's shape: a worker for every queue and one for deadlines only. Forty alerts at a fifth of a second
    each keep the mail queue busy for eight seconds; the interim end still fires at the next sweep."""
    server, _ = mail
    world = make_world(pg_db)
    for n in range(40):
        confirmed_alert(pg_db, world.code, f"resident{n}@example.org", category="pub")
    cycle = notice(pg_db, world)
    test_clock.set(at("2026-05-12T23:00:00"))  # the interim end is due as soon as anything sweeps
    stack.worker()
    stack.worker("deadlines", queues="deadlines")
    stack.beat()

    wait_until(lambda: len(server.received) >= 3, timeout=60, what="the backlog to be under way")
    wait_until(
        lambda: case_summary(pg_db, cycle).state == "owner_free",
        timeout=30,
        what="the interim end, with the mail queue still full",
        evidence=lambda: stack.log("deadlines"),
    )
    assert len(server.received) < 40  # the alerts are still going out
    assert not re.search(r"Received task: worker\.(send_delivery|dispatch_message)", stack.log("deadlines"))
    wait_until(lambda: settled(pg_db), timeout=90, what="the backlog to clear")


def test_a_busy_mail_server_is_retried_with_backoff_until_it_takes_the_email_or_the_worker_gives_up(
    pg_db: Database, mail: tuple[MailServer, Controller], stack: Stack, test_clock: Clock
) -> None:
    """Celery's retry path with a real worker: the server answers 451 to the first recipients, then accepts; an
    address it never accepts is failed after SEND_MAX_ATTEMPTS, and a notice that cannot be prepared is counted,
    tried again less often (on_failure and the replay) and given up on. All shown to officers."""
    server, _ = mail
    server.defer = 3
    stack.env.update(SEND_MAX_ATTEMPTS="3", SEND_RETRY_SECONDS="0.5", SEND_RETRY_MAX_SECONDS="1")
    world = make_world(pg_db)
    confirmed_alert(pg_db, world.code, "busy@example.org", category="pub")
    cycle = notice(pg_db, world)
    with pg_db.transaction() as session:  # and a notice whose words are missing: planning it fails every time
        session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.case_id == cycle,
                OutboxMessage.payload["template"].as_string() == "owners_notice_acknowledged",
            )
            .values(
                payload={"template": "no_such_template", "title": "Your notice has been received", "parties": ["owner"]}
            )
        )
    stack.worker()
    stack.beat()

    wait_until(
        lambda: settled(pg_db), timeout=90, what="every delivery to finish", evidence=lambda: stack.log("worker")
    )
    assert server.deferred == 3
    with pg_db.reader() as session:
        deliveries = session.scalars(select(Delivery)).all()  # the listing's notices and the sale's
    retried = [d for d in deliveries if d.status == "sent" and d.attempts > 1]
    assert retried and "Retry in" in stack.log("worker")  # Celery's own retry, with its countdown
    assert max(delivery_ids_received(server).values()) == 1  # each retried email arrived once
    busy = [d for d in deliveries if d.recipient == "busy@example.org"]
    assert {(d.status, d.attempts) for d in busy} == {("failed", 3)}
    assert {(d.last_error or "")[:70] for d in busy} == {
        "Gave up after 3 attempts: the mail server deferred busy@example.org: 4"
    }

    def planning_attempts() -> int:
        with pg_db.reader() as session:
            return int(
                session.scalar(
                    select(OutboxMessage.attempts).where(
                        OutboxMessage.payload["template"].as_string() == "no_such_template"
                    )
                )
                or 0
            )

    wait_until(lambda: planning_attempts() == 1, timeout=30, what="the failed planning to be counted")
    moment = at("2026-04-01T10:05:00")
    for attempt in range(2, 6):  # each wait is longer (1, 2, 4, 8 minutes): the clock is moved past it
        moment += timedelta(hours=1)
        test_clock.set(moment)
        wait_until(lambda n=attempt: planning_attempts() == n, timeout=30, what=f"planning attempt {attempt}")
    test_clock.set(moment + timedelta(hours=5))
    stack.twice_more("worker.replay_unfinished")  # given up: the replay no longer hands it out
    assert planning_attempts() == 5
    problems = case_page(pg_db, world.officer, "BDC-MOR-00001").problems
    assert {(p.kind, p.given_up) for p in problems} == {("delivery", True), ("notice", True)}
    assert "KeyError" in next(p.error or "" for p in problems if p.kind == "notice")


def test_a_register_an_admin_asked_to_load_is_loaded_by_the_stacks_own_worker_counting_its_progress(
    pg_db: Database, stack: Stack, tmp_path: Path
) -> None:
    world = make_world(pg_db)
    upload = tmp_path / "register.csv"
    upload.write_bytes(generated(4500))
    table = read_table(upload.read_bytes(), upload.name)
    job_id = register_jobs.queue_import(pg_db, world.admin, upload, "register.csv", guess(table.headers), 4500)
    stack.worker()
    stack.beat()

    wait_until(
        lambda: register_jobs.job_status(pg_db, world.admin, job_id).status == "loaded",
        timeout=120,
        what="the import to load",
        evidence=lambda: stack.log("worker"),
    )
    done = register_jobs.job_status(pg_db, world.admin, job_id)
    assert (done.done, done.total, done.message) == (4500, 4500, "4500 entries loaded into the register.")
    assert len(register_rows(pg_db, world.code)) == 4500 and not upload.exists()
    assert stack.runs("worker.load_register_imports") >= 1
