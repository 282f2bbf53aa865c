"""GOV.UK Notify, through its own Python client, against a local stand-in that answers as Notify's API does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from casework.adapters.mail import (
    Email,
    MailDeliveryUncertain,
    MailerUnavailable,
    MailRejected,
)
from casework.adapters.mailers import mailer_for
from casework.adapters.notify import NotifyMailer
from casework.config import Settings
from casework.db import Database
from casework.models import Delivery, OutboxMessage
from casework.notifying import deliveries, notifications, receipts
from casework.notifying.outcomes import RetryLater
from casework.queries.case_page import case_page
from tests.factories import confirmed_alert, list_pub, make_world, owners_notice
from tests.mailserver import free_port
from tests.notifyserver import API_KEY, DROP, TEMPLATE_ID, Notify, start_notify

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)
EMAIL = Email("someone@example.org", "Someone", "Subject", "Body text", "<p>Body</p>", "ref-1", None)


@pytest.fixture
def notify() -> Iterator[tuple[Notify, NotifyMailer, Settings]]:
    stand_in, server = start_notify()
    settings = Settings(
        database_url="unused",
        base_url="https://casework.example",
        notify_api_key=API_KEY,
        notify_template_id=TEMPLATE_ID,
        notify_base_url=stand_in.url,
    )
    mailer = mailer_for(settings)
    assert isinstance(mailer, NotifyMailer)
    yield stand_in, mailer, settings
    server.shutdown()
    server.server_close()


def send_everything(db: Database, mailer: NotifyMailer, settings: Settings) -> None:
    with db.reader() as session:
        messages = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.created_at)).all()
    for message_id in messages:
        notifications.plan_and_send(db, [message_id], settings, mailer, now=NOW)


def test_a_notice_goes_through_notify_with_its_words_and_keeps_notifys_id_as_proof(
    db: Database, notify: tuple[Notify, NotifyMailer, Settings]
) -> None:
    stand_in, mailer, settings = notify
    world = make_world(db)
    token = confirmed_alert(db, world.code, "resident@example.org", category="pub", now=NOW).unsubscribe_token
    owners_notice(db, world, list_pub(db, world), received_on=date(2026, 4, 1), now=NOW)

    send_everything(db, mailer, settings)

    [alert] = [
        n for n in stand_in.sent_to("resident@example.org") if "intends to sell" in n["personalisation"]["subject"]
    ]
    assert alert["template_id"] == TEMPLATE_ID
    assert alert["personalisation"]["subject"].endswith("(BDC-MOR-00001)")
    assert "The council received the notice on Wednesday 1 April 2026." in alert["personalisation"]["body"]
    assert alert["one_click_unsubscribe_url"] == f"https://casework.example/alerts/unsubscribe/{token}"
    with db.reader() as session:
        delivery = session.get_one(Delivery, uuid.UUID(alert["reference"]))  # our delivery id is Notify's reference
    assert (delivery.channel, delivery.status, delivery.provider_reference) == ("notify", "sent", alert["id"])


def test_what_notify_says_became_of_each_email_is_kept_and_a_bounce_is_shown_to_officers(
    db: Database, notify: tuple[Notify, NotifyMailer, Settings]
) -> None:
    _, mailer, settings = notify
    world = make_world(db)
    confirmed_alert(db, world.code, "bounce@example.org", category="pub", now=NOW)
    owners_notice(db, world, list_pub(db, world), received_on=date(2026, 4, 1), now=NOW)
    send_everything(db, mailer, settings)

    changed = receipts.check_provider_statuses(db, mailer, now=NOW + timedelta(minutes=10))

    with db.reader() as session:
        emails = session.scalars(select(Delivery).where(Delivery.status != "by_post")).all()
    assert changed == len(emails)
    assert {d.provider_status for d in emails if d.recipient != "bounce@example.org"} == {"delivered"}
    bounced = [d for d in emails if d.recipient == "bounce@example.org"]
    assert {(d.status, d.provider_status) for d in bounced} == {("failed", "permanent-failure")}
    assert receipts.check_provider_statuses(db, mailer, now=NOW + timedelta(minutes=20)) == 0  # final: asked once
    page = case_page(db, world.officer, "BDC-MOR-00001")
    [problem] = page.problems
    assert problem.error == "GOV.UK Notify could not deliver it: permanent-failure"
    assert {d.provider_status for d in page.deliveries if d.status == "sent"} == {"delivered"}


def test_notifys_answers_decide_whether_an_email_is_tried_again(
    notify: tuple[Notify, NotifyMailer, Settings],
) -> None:
    stand_in, mailer, _ = notify
    for status, expected in [(400, MailRejected), (403, MailRejected), (429, MailerUnavailable),
                             (500, MailerUnavailable), (DROP, MailDeliveryUncertain)]:  # fmt: skip
        stand_in.answers.append(status)
        with pytest.raises(expected):
            mailer.send(EMAIL)
    assert mailer.send(EMAIL)  # and then it takes it
    assert len(stand_in.notifications) == 1


def test_a_notify_that_cannot_be_reached_leaves_the_email_to_retry_and_a_refusal_fails_it(
    db: Database, notify: tuple[Notify, NotifyMailer, Settings]
) -> None:
    stand_in, mailer, settings = notify
    world = make_world(db)
    list_pub(db, world)
    down = NotifyMailer(API_KEY, TEMPLATE_ID, base_url=f"http://127.0.0.1:{free_port()}", timeout=5)
    with db.reader() as session:
        message_id = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.topic == "notice.requested").order_by(OutboxMessage.created_at)
        ).first()
    assert message_id is not None
    first, second, *_ = notifications.plan_deliveries(db, message_id, settings, now=NOW)

    with pytest.raises(RetryLater, match=r"GOV\.UK Notify could not be reached"):
        deliveries.deliver(db, first, down, now=NOW)
    stand_in.answers.append(400)
    assert deliveries.deliver(db, second, mailer, now=NOW) == "failed"

    with db.reader() as session:
        retrying, refused = session.get_one(Delivery, first), session.get_one(Delivery, second)
    assert retrying.status == "retrying" and retrying.retry_at is not None
    assert (
        refused.last_error
        == "GOV.UK Notify refused the message: Can't send to this recipient using a team-only API key"
    )
    assert deliveries.deliver(db, first, mailer, expected_attempts=1, now=NOW) == "sent"


def test_a_status_notify_no_longer_knows_is_left_alone_and_an_unreachable_notify_is_asked_again_later(
    db: Database, notify: tuple[Notify, NotifyMailer, Settings]
) -> None:
    stand_in, mailer, settings = notify
    world = make_world(db)
    list_pub(db, world)
    send_everything(db, mailer, settings)
    stand_in.answers.extend([500])  # the first question fails: the sweep of statuses stops and tries next time
    assert receipts.check_provider_statuses(db, mailer, now=NOW) == 0
    stand_in.notifications.clear()  # older than Notify's 7 days: it no longer knows them
    assert receipts.check_provider_statuses(db, mailer, now=NOW) == 0
    with db.reader() as session:
        assert {d.provider_status for d in session.scalars(select(Delivery).where(Delivery.status == "sent"))} == {None}
