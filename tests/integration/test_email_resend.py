"""Issue 19, item 3: an email left in doubt by a crash is sent again after a wait, with the Message-ID of its first
try, and recorded as a resend; a worker claims one email at a time, and two never claim the same one. Against a real
SMTP server (aiosmtpd) and the test GOV.UK Notify server, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from collections import Counter, deque
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from casework.adapters.mailers import mailer_for
from casework.adapters.notify import NotifyMailer
from casework.adapters.smtp import SmtpMailer
from casework.config import Settings
from casework.db import Database
from casework.models import Delivery, OutboxMessage
from casework.notifying import deliveries, notifications, resending
from casework.notifying.outcomes import MAX_RESENDS, RetryLater, RetryPolicy
from casework.queries.case_page import case_page
from tests.factories import World, list_pub, make_world
from tests.mailserver import MailServer, start_mail_server
from tests.notifyserver import API_KEY, TEMPLATE_ID, start_notify

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)
SETTINGS = Settings(
    database_url="unused", base_url="https://casework.example", mail_from="Casework <noreply@bdc.example>"
)
WAIT = timedelta(minutes=10)  # DELIVERY_STALE_SECONDS' default: how long before an email in doubt is sent again
POLICY = RetryPolicy(resend_wait=WAIT.total_seconds())


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, SmtpMailer]]:
    handler, controller = start_mail_server()
    mailer = SmtpMailer(f"smtp://127.0.0.1:{controller.port}", SETTINGS.mail_from)
    yield handler, mailer
    mailer.close()
    controller.stop()


def listing_notices(db: Database, settings: Settings = SETTINGS, *, pubs: int = 1) -> tuple[World, list[uuid.UUID]]:
    """Listed pubs: each listing's notices planned for the owner, occupier and nominators; the emails' ids."""
    world = make_world(db)
    for n in range(pubs):
        list_pub(db, world, name=f"The Bull {n}", uprn=f"1000123456{n:02d}")
    with db.reader() as session:
        messages = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.topic == "notice.requested").order_by(OutboxMessage.created_at)
        ).all()
    planned = [i for message_id in messages for i in notifications.plan_deliveries(db, message_id, settings, now=NOW)]
    return world, planned


def row(db: Database, delivery_id: uuid.UUID) -> Delivery:
    with db.reader() as session:
        return session.get_one(Delivery, delivery_id)


def killed_after_sending(db: Database, delivery_id: uuid.UUID, mailer: SmtpMailer, *, at: datetime = NOW) -> None:
    """What a worker killed with SIGKILL mid-send leaves: the email claimed and handed to the server, never recorded."""
    with db.transaction() as session:
        claimed = deliveries.claim_next(session, deque([delivery_id]), at)
    assert claimed is not None
    mailer.send(claimed.email)


def test_an_email_a_crash_cut_off_is_sent_again_after_the_wait_and_only_then_with_the_same_message_id(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world, [delivery_id, *_] = listing_notices(db)
    planned = row(db, delivery_id).email_message_id
    assert planned == f"<{delivery_id}@bdc.example>"  # fixed when planned, before the first try
    killed_after_sending(db, delivery_id, mailer)
    recipient = row(db, delivery_id).recipient

    early = resending.unfinished(db, now=NOW + WAIT - timedelta(seconds=1), stale_after=WAIT)
    assert delivery_id not in dict(early)  # its worker may still be sending it: not yet
    assert row(db, delivery_id).status == "sending"
    assert deliveries.deliver(db, delivery_id, mailer, now=NOW + timedelta(minutes=5)) == "sending"  # nor by a rerun
    assert len(server.to(recipient)) == 1

    due = dict(resending.unfinished(db, now=NOW + WAIT + timedelta(seconds=1), stale_after=WAIT))
    assert due[delivery_id] == 1  # queued again, fenced to follow the first try
    waiting = row(db, delivery_id)
    assert (waiting.status, waiting.in_doubt) == ("retrying", 1)
    assert "may have gone, so it is sent again with the same Message-ID" in str(waiting.last_error)

    resent_at = NOW + WAIT + timedelta(seconds=2)
    assert deliveries.deliver(db, delivery_id, mailer, expected_attempts=1, now=resent_at) == "sent"
    copies = server.to(recipient)
    assert [str(copy.message["Message-ID"]) for copy in copies] == [planned, planned]  # one kept by most mailboxes
    sent = row(db, delivery_id)
    assert (sent.status, sent.resent_at, sent.sent_at, sent.provider_reference) == (
        "sent",
        resent_at,
        resent_at,
        planned,
    )
    [shown] = [d for d in case_page(db, world.officer, "BDC-ACV-00001").deliveries if d.id == delivery_id]
    assert shown.resent_at == resent_at  # officers see "Resent on ..."
    assert delivery_id not in dict(resending.unfinished(db, now=NOW + 3 * WAIT, stale_after=WAIT))  # done with


def test_an_email_whose_connection_broke_after_it_was_handed_over_is_sent_again_after_the_wait(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, _ = smtp
    _, [delivery_id, *_] = listing_notices(db)
    recipient = row(db, delivery_id).recipient
    impatient = SmtpMailer(f"smtp://127.0.0.1:{smtp[1].port}", SETTINGS.mail_from, timeout=0.3)
    server.delay = 1.0  # the server takes the message, then answers after the client gave up waiting
    with pytest.raises(RetryLater) as later:
        deliveries.deliver(db, delivery_id, impatient, policy=POLICY, now=NOW)
    impatient.close()
    server.wait_for(1)
    server.delay = 0.0
    assert later.value.wait == WAIT.total_seconds()  # the task's countdown: not before the wait
    doubtful = row(db, delivery_id)
    assert (doubtful.status, doubtful.in_doubt, doubtful.retry_at) == ("retrying", 1, NOW + WAIT)
    assert delivery_id not in dict(resending.unfinished(db, now=NOW + WAIT - timedelta(seconds=1)))

    assert deliveries.deliver(db, delivery_id, smtp[1], policy=POLICY, expected_attempts=1, now=NOW + WAIT) == "sent"
    ids = {str(copy.message["Message-ID"]) for copy in server.to(recipient)}
    assert ids == {f"<{delivery_id}@bdc.example>"} and len(server.to(recipient)) == 2
    assert row(db, delivery_id).resent_at == NOW + WAIT


def test_an_email_whose_worker_dies_every_time_is_left_to_officers_after_three_resends(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, _ = smtp
    world, [delivery_id, *_] = listing_notices(db)
    moment = NOW
    for resend in range(1, MAX_RESENDS + 1):
        with db.transaction() as session:  # claimed, then the worker died before even sending it
            session.execute(
                update(Delivery).where(Delivery.id == delivery_id).values(status="sending", claimed_at=moment)
            )
        moment += WAIT + timedelta(seconds=1)
        assert delivery_id in dict(resending.unfinished(db, now=moment, stale_after=WAIT))
        assert row(db, delivery_id).in_doubt == resend
    with db.transaction() as session:
        session.execute(update(Delivery).where(Delivery.id == delivery_id).values(status="sending", claimed_at=moment))
    assert delivery_id not in dict(resending.unfinished(db, now=moment + WAIT * 2, stale_after=WAIT))

    flagged = row(db, delivery_id)
    assert flagged.status == "unconfirmed" and "4 times: it may or may not have gone" in str(flagged.last_error)
    assert not server.received
    [problem] = case_page(db, world.officer, "BDC-ACV-00001").problems
    assert "may not have gone: check with them before sending it again" in problem.what


def test_two_workers_sending_the_same_emails_never_claim_one_twice(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, _ = smtp
    server.delay = 0.02  # sends overlap
    _, ids = listing_notices(db, pubs=4)
    mailers = [SmtpMailer(f"smtp://127.0.0.1:{smtp[1].port}", SETTINGS.mail_from) for _ in range(2)]
    done: list[deliveries.Dispatched] = []
    start = threading.Barrier(2)

    def worker(mailer: SmtpMailer) -> None:
        start.wait()
        done.append(deliveries.deliver_many(db, ids, mailer, policy=POLICY))

    threads = [threading.Thread(target=worker, args=(mailer,)) for mailer in mailers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for mailer in mailers:
        mailer.close()

    received = Counter(str(copy.message["Message-ID"]) for copy in server.received)
    assert len(received) == len(ids) and set(received.values()) == {1}  # every email once, by one worker or other
    sent_by = Counter(delivery_id for dispatched in done for delivery_id in dispatched.statuses)
    assert set(sent_by) == set(ids) and set(sent_by.values()) == {1}
    assert all(dispatched.statuses for dispatched in done), "one worker took everything: no race was run"
    with db.reader() as session:
        assert set(session.scalars(select(Delivery.status).where(Delivery.id.in_(ids)))) == {"sent"}


def test_an_email_in_doubt_through_notify_is_not_sent_again_when_notify_has_it(db: Database) -> None:
    stand_in, server = start_notify()
    try:
        settings = Settings(
            database_url="unused", base_url="https://casework.example", notify_api_key=API_KEY,
            notify_template_id=TEMPLATE_ID, notify_base_url=stand_in.url,
        )  # fmt: skip
        mailer = mailer_for(settings)
        assert isinstance(mailer, NotifyMailer)
        _, [first, second, *_] = listing_notices(db, settings)
        for delivery_id in (first, second):
            with db.transaction() as session:
                claimed = deliveries.claim_next(session, deque([delivery_id]), NOW)
            assert claimed is not None
            if delivery_id == first:
                mailer.send(claimed.email)  # Notify took it; the worker died before recording it
        due = dict(resending.unfinished(db, now=NOW + WAIT * 2, stale_after=WAIT))
        assert set(due) >= {first, second}
        for delivery_id in (first, second):
            assert deliveries.deliver(db, delivery_id, mailer, expected_attempts=1, now=NOW + WAIT * 2) == "sent"
        assert Counter(n["reference"] for n in stand_in.notifications.values()) == {str(first): 1, str(second): 1}
        assert row(db, first).provider_reference == next(
            n["id"] for n in stand_in.notifications.values() if n["reference"] == str(first)
        )
    finally:
        server.shutdown()
        server.server_close()


def test_a_worker_skips_an_email_another_worker_is_claiming_instead_of_waiting_for_it(pg_db: Database) -> None:
    _, [first, second, *_] = listing_notices(pg_db)
    with pg_db.transaction() as holding:  # another worker's claim of the first, not yet committed
        mine = deliveries.claim_next(holding, deque([first]), NOW)
        assert mine is not None
        with pg_db.transaction() as session:
            other = deliveries.claim_next(session, deque([first, second]), NOW)
        assert other is not None and other.delivery_id == second  # SKIP LOCKED: no wait, no double claim
