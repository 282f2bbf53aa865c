"""From outbox row to email at a real SMTP server: every party the law names, once each, with proof of service."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from casework.adapters.mail import Email, FileMailer, MailerUnavailable, SmtpMailer
from casework.config import Settings
from casework.db import Database
from casework.errors import InvalidInput
from casework.models import Delivery, OutboxMessage
from casework.services import alerts, deadlines, digests, notifications
from tests.factories import World, list_pub, make_world, owners_notice
from tests.mailserver import MailServer, free_port, start_mail_server

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)
SETTINGS = Settings(database_url="unused", base_url="https://casework.example")


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, SmtpMailer]]:
    handler, controller = start_mail_server()
    yield handler, SmtpMailer(f"smtp://127.0.0.1:{controller.port}", "Casework <noreply@casework.example>")
    controller.stop()


def deliver_everything(db: Database, mailer: SmtpMailer) -> list[uuid.UUID]:
    """What the worker does: plan every outbox message, then send every delivery (in-process here)."""
    with db.reader() as session:
        messages = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.created_at)).all()
    sent = []
    for message_id in messages:
        for delivery_id in notifications.plan_deliveries(db, message_id, SETTINGS, now=NOW):
            notifications.deliver(db, delivery_id, mailer, now=NOW)
            sent.append(delivery_id)
    return sent


def first_notice(db: Database) -> uuid.UUID:
    with db.reader() as session:
        stmt = (
            select(OutboxMessage.id).where(OutboxMessage.topic == "notice.requested").order_by(OutboxMessage.created_at)
        )
        message_id = session.scalars(stmt).first()
    assert message_id is not None
    return message_id


def notice_on_a_listed_pub(db: Database, world: World) -> uuid.UUID:
    return owners_notice(db, world, list_pub(db, world), received_on=date(2026, 4, 1), now=NOW)


def test_an_owners_notice_reaches_the_nominator_the_parish_and_subscribers_with_the_dates(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    token = alerts.subscribe(db, world.code, "Resident@Example.org", category="pub", now=NOW)
    alerts.subscribe(db, world.code, "far.away@example.org", point="POINT (-1.0 51.0)", radius_m=1000, now=NOW)
    notice_on_a_listed_pub(db, world)

    deliver_everything(db, mailer)

    [alert] = [r for r in server.to("resident@example.org") if "intends to sell" in r.subject]
    assert alert.subject == "Owner intends to sell listed land: the moratorium has started (BDC-MOR-00001)"
    assert "The council received the notice on Wednesday 1 April 2026." in alert.text
    assert "- Interim moratorium ends: Tuesday 12 May 2026 (LA 2011 s.95(3)(a), (6))" in alert.text
    assert f"To stop them: https://casework.example/alerts/unsubscribe/{token}" in alert.text
    assert alert.message["List-Unsubscribe"] == f"<https://casework.example/alerts/unsubscribe/{token}>"
    for nominator in ("friends@example.org", "member@bdc.example.org"):
        assert [r.subject for r in server.to(nominator) if "intends to sell" in r.subject]
    assert not server.to("far.away@example.org")
    owner_copy = [r for r in server.to("owner@bdc.example.com") if "Your notice has been received" in r.subject]
    assert len(owner_copy) == 1
    assert "you must not exchange contracts, except with a community interest group" in owner_copy[0].text


def test_planning_and_sending_twice_sends_each_email_once_and_keeps_proof(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    first = deliver_everything(db, mailer)
    count = len(server.received)

    again = deliver_everything(db, mailer)  # a redelivered message, a replayed task

    assert again == [] and len(server.received) == count == len(first)
    for delivery_id in first:
        assert notifications.deliver(db, delivery_id, mailer, now=NOW) == "sent"
    assert len(server.received) == count
    with db.reader() as session:
        proof = session.scalars(select(Delivery).where(Delivery.status == "sent")).all()
    assert all(d.provider_reference and str(d.id) in d.provider_reference for d in proof)  # the Message-ID
    assert {d.sent_at is not None for d in proof} == {True}


def test_a_party_with_no_email_address_is_listed_for_a_letter_instead(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    _, mailer = smtp
    world = make_world(db)
    list_pub(db, world)
    deliver_everything(db, mailer)
    with db.reader() as session:
        by_post = session.scalars(select(Delivery).where(Delivery.channel == "post")).all()
    # The nomination gave the occupier's postal address but no email: the council must write (s.91(2)).
    assert {(d.party, d.template, d.status, d.recipient) for d in by_post} == {
        ("occupier", "considering_listing", "by_post", "The Bull, 1 High Street, Ambridge"),
        ("occupier", "listed", "by_post", "The Bull, 1 High Street, Ambridge"),
    }


def test_an_unreachable_mail_server_leaves_the_delivery_to_retry_and_a_refusal_is_final(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    alerts.subscribe(db, world.code, "refused@example.org", category="pub", now=NOW)
    list_pub(db, world)
    down = SmtpMailer(f"smtp://127.0.0.1:{free_port()}", "Casework <noreply@casework.example>", timeout=2)
    [delivery_id, *_] = notifications.plan_deliveries(db, first_notice(db), SETTINGS, now=NOW)

    with pytest.raises(MailerUnavailable, match=r"could not connect to 127\.0\.0\.1"):
        notifications.deliver(db, delivery_id, down, now=NOW)
    with db.reader() as session:
        assert session.get_one(Delivery, delivery_id).status == "retrying"
    notifications.record_failure(db, delivery_id, "MailerUnavailable: gave up")
    with db.reader() as session:
        failed = session.get_one(Delivery, delivery_id)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert failed.last_error == "Gave up after retrying: MailerUnavailable: gave up"

    deliver_everything(db, mailer)
    with db.reader() as session:
        refused = session.scalars(select(Delivery).where(Delivery.recipient == "refused@example.org")).one()
    assert refused.status == "failed"
    assert refused.last_error == "the mail server refused refused@example.org: 550 No such mailbox"
    assert not server.to("refused@example.org")


def test_a_send_interrupted_long_ago_is_flagged_unconfirmed_and_never_resent(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    list_pub(db, world)
    [delivery_id, *_] = notifications.plan_deliveries(db, first_notice(db), SETTINGS, now=NOW)
    with db.transaction() as session:  # a worker claimed it, then died
        session.execute(update(Delivery).where(Delivery.id == delivery_id).values(status="sending", claimed_at=NOW))

    assert notifications.deliver(db, delivery_id, mailer, now=NOW + timedelta(hours=1)) == "sending"
    assert delivery_id not in notifications.unfinished(db, now=NOW + timedelta(hours=1))

    with db.reader() as session:
        flagged = session.get_one(Delivery, delivery_id)
    assert flagged.status == "unconfirmed"
    assert not server.received


def test_reminders_and_overdue_decisions_are_emailed_to_whoever_must_act(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    deadlines.sweep(db, now=datetime(2026, 4, 28, 7, tzinfo=UTC))  # 14 days before the interim end, 08:00 BST
    deliver_everything(db, mailer)

    [reminder] = [r for r in server.to("owner@bdc.example.com") if r.subject.startswith("Reminder")]
    assert reminder.subject == "Reminder: Interim moratorium ends (BDC-MOR-00001)"
    assert "Reminder: Interim moratorium ends by the end of Tuesday 12 May 2026 (14 days from now)." in reminder.text


def test_officers_get_a_daily_digest_once_a_day(db: Database, smtp: tuple[MailServer, SmtpMailer]) -> None:
    server, mailer = smtp
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    morning = datetime(2026, 5, 8, 6, tzinfo=UTC)

    planned = digests.send_daily_digests(db, SETTINGS, now=morning)
    assert digests.send_daily_digests(db, SETTINGS, now=morning + timedelta(hours=3)) == []
    for delivery_id in planned:
        notifications.deliver(db, delivery_id, mailer, now=morning)

    [digest] = server.to("officer@bdc.example.gov.uk")
    assert digest.subject == "Your cases for Friday 8 May 2026"
    assert "- Due: BDC-MOR-00001, Interim moratorium ends: Tuesday 12 May 2026" in digest.text
    assert len(server.received) == 2  # both officers


def test_an_alert_is_stopped_with_one_click_and_a_bad_subscription_is_explained(db: Database) -> None:
    world = make_world(db)
    token = alerts.subscribe(db, world.code, "resident@example.org", ward="Ambridge and Loxley", now=NOW)
    assert alerts.unsubscribe(db, token, now=NOW) is True
    assert alerts.unsubscribe(db, token, now=NOW) is False
    with pytest.raises(InvalidInput, match="Choose one thing"):
        alerts.subscribe(db, world.code, "resident@example.org", ward="X", category="pub")
    with pytest.raises(InvalidInput, match="We do not have a location for ZZ1 1ZZ"):
        alerts.subscribe(db, world.code, "resident@example.org", postcode="ZZ1 1ZZ", radius_m=500)
    alerts.import_postcodes(db, "pcds,lat,long\nBS1 4ND,52.2001,-2.1001\nZZ9 9ZZ,,\n")
    assert alerts.subscribe(db, world.code, "resident@example.org", postcode="bs1 4nd", radius_m=500)


def test_the_file_mailer_keeps_emails_when_no_server_is_configured(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    reference = FileMailer(str(folder), "Casework <noreply@casework.example>").send(
        Email("a@example.org", "A", "Subject", "Text", "<p>Html</p>", "ref-1")
    )
    [saved] = folder.glob("*.eml")
    assert reference in saved.read_text()
