"""From outbox row to email at a real SMTP server: every party the law names, once each, with proof of service."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from casework.adapters.mail import Email, FileMailer
from casework.adapters.smtp import SmtpMailer
from casework.assets import PartyDetails
from casework.config import Settings
from casework.db import Database
from casework.errors import Conflict, InvalidInput, PermissionDenied
from casework.models import Asset, Deadline, Delivery, OutboxMessage
from casework.notifying import deliveries, digests, notifications, resending
from casework.notifying.outcomes import RetryLater, RetryPolicy
from casework.queries import case_summary
from casework.queries.case_page import case_page
from casework.services import alerts, deadlines, nominations, outbox, parties
from casework.services.case_transitions import apply_transition
from tests.factories import World, confirmed_alert, list_pub, make_world, owners_notice, pub_nomination
from tests.mailserver import MailServer, Received, free_port, start_mail_server

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)
SETTINGS = Settings(database_url="unused", base_url="https://casework.example")
LISTING = {
    "decided_on": date(2026, 3, 20), "entry_date": date(2026, 3, 20), "inclusion_notice_given_on": date(2026, 3, 20),
    "community_value_basis": "current_use", "reasons": "Furthers the social wellbeing of the village",
}  # fmt: skip
CONFIRM_ALERTS = "Confirm your alerts from Borsetshire District Council"
NOTICE_ALERT = "Owner intends to sell listed land: the moratorium has started (BDC-MOR-00001)"


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, SmtpMailer]]:
    handler, controller = start_mail_server()
    mailer = SmtpMailer(f"smtp://127.0.0.1:{controller.port}", "Casework <noreply@casework.example>")
    yield handler, mailer
    mailer.close()
    controller.stop()


def deliver_everything(db: Database, mailer: SmtpMailer, *, now: datetime = NOW) -> list[uuid.UUID]:
    """What the worker does: plan every outbox message, then send every delivery (in-process here)."""
    with db.reader() as session:
        messages = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.created_at)).all()
    sent = []
    for message_id in messages:
        for delivery_id in notifications.plan_deliveries(db, message_id, SETTINGS, now=now):
            deliveries.deliver(db, delivery_id, mailer, now=now)
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


def deliveries_to(db: Database, address: str) -> list[Delivery]:
    with db.reader() as session:
        return list(session.scalars(select(Delivery).where(Delivery.recipient == address)))


def delivery(db: Database, delivery_id: uuid.UUID) -> Delivery:
    with db.reader() as session:
        return session.get_one(Delivery, delivery_id)


def about(server: MailServer, address: str, words: str) -> list[Received]:
    return [r for r in server.to(address) if words in r.subject]


def test_an_owners_notice_reaches_the_nominator_the_parish_and_subscribers_with_the_dates(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    token = confirmed_alert(db, world.code, "Resident@Example.org", category="pub", now=NOW).unsubscribe_token
    confirmed_alert(db, world.code, "far.away@example.org", point="POINT (-1.0 51.0)", radius_m=1000, now=NOW)
    notice_on_a_listed_pub(db, world)

    deliver_everything(db, mailer)

    [alert] = about(server, "resident@example.org", "intends to sell")
    assert alert.subject == NOTICE_ALERT
    assert "The council received the notice on Wednesday 1 April 2026." in alert.text
    assert "- Interim moratorium ends: Tuesday 12 May 2026 (LA 2011 s.95(3)(a), (6))" in alert.text
    assert f"To stop them: https://casework.example/alerts/unsubscribe/{token}" in alert.text
    assert alert.message["List-Unsubscribe"] == f"<https://casework.example/alerts/unsubscribe/{token}>"
    for nominator in ("friends@example.org", "member@bdc.example.org"):
        assert [r.subject for r in server.to(nominator) if "intends to sell" in r.subject]
    assert [r.subject for r in server.to("far.away@example.org")] == [CONFIRM_ALERTS]  # no alert: too far
    owner_copy = about(server, "owner@bdc.example.com", "Your notice has been received")
    assert len(owner_copy) == 1
    assert "you must not exchange contracts, except with a community interest group" in owner_copy[0].text


def test_a_resident_alerted_is_sent_to_the_public_register_entry_and_a_member_to_the_case(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    confirmed_alert(db, world.code, "resident@example.org", category="pub", now=NOW)
    notice_on_a_listed_pub(db, world)

    deliver_everything(db, mailer)

    [alert] = about(server, "resident@example.org", "intends to sell")
    assert "See the register entry: https://casework.example/register/BDC/BDC-ACV-00001" in alert.text
    assert "/cases/" not in alert.text  # a page that needs an account the resident does not have
    [member] = about(server, "member@bdc.example.org", "intends to sell")
    assert "See the case: https://casework.example/cases/BDC-MOR-00001" in member.text


def test_someone_the_notice_names_twice_gets_one_email_that_records_both_parties(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    shared = "landlord@example.com"
    nomination = dataclasses.replace(
        pub_nomination(),
        owners=(
            PartyDetails("owner", "Bull Holdings", "1 High Street, Ambridge", shared),
            PartyDetails("occupier", "Bull Holdings", "1 High Street, Ambridge", shared.upper()),
        ),
    )
    listing = nominations.nominate(
        db,
        world.member,
        world.council_id,
        world.group_id,
        nomination,
        received_on=date(2026, 3, 2),
        now=datetime(2026, 3, 2, 10, tzinfo=UTC),  # a group's nomination is received the day it sends it
    ).case_id
    asset_id = case_summary(db, listing).asset_id
    assert asset_id is not None and world.owner.user_id is not None
    parties.link_user_to_asset(db, world.officer, asset_id, world.owner.user_id, now=NOW)
    apply_transition(db, listing, "consider", world.officer, now=NOW)
    apply_transition(db, listing, "list", world.officer, LISTING, now=NOW)
    confirmed_alert(db, world.code, "member@bdc.example.org", category="pub", now=NOW)  # the nominating member
    owners_notice(db, world, listing, received_on=date(2026, 4, 1), now=NOW)

    deliver_everything(db, mailer)
    deliver_everything(db, mailer)  # planned again, as a redelivered task would: still nothing twice

    assert len(about(server, shared, "considering")) == len(about(server, shared, "included")) == 1
    listing_notices = [d for d in deliveries_to(db, shared) if d.template in ("considering_listing", "listed")]
    assert [tuple(d.parties) for d in listing_notices] == [("owner", "occupier")] * 2
    assert len(about(server, "member@bdc.example.org", "intends to sell")) == 1
    [member] = [d for d in deliveries_to(db, "member@bdc.example.org") if "intends to sell" in d.subject]
    assert member.parties == ["nominator", "subscribers"]
    assert member.unsubscribe_url  # it also carries the alert's one-click unsubscribe
    page = case_page(db, world.officer, "BDC-ACV-00001")
    assert {d.parties for d in page.deliveries if d.recipient == shared} == {("owner", "occupier")}


def test_the_database_refuses_a_second_delivery_of_a_message_to_the_same_address(db: Database) -> None:
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    [delivery_id, *_] = notifications.plan_deliveries(db, first_notice(db), SETTINGS, now=NOW)
    with db.reader() as session:
        row = {c.name: getattr(session.get_one(Delivery, delivery_id), c.name) for c in Delivery.__table__.columns}
    with pytest.raises(Exception, match=r"(?i)unique"), db.transaction() as session:
        session.add(Delivery(**{**row, "id": uuid.uuid4(), "parties": ["subscribers"]}))


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
        assert deliveries.deliver(db, delivery_id, mailer, now=NOW) == "sent"
    assert len(server.received) == count
    with db.reader() as session:
        proof = session.scalars(select(Delivery).where(Delivery.status == "sent")).all()
    assert all(d.provider_reference and str(d.id) in d.provider_reference for d in proof)  # the Message-ID
    assert {d.sent_at is not None for d in proof} == {True}


def test_planning_and_sending_in_one_go_uses_one_connection_and_leaves_the_rest_to_queue(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    for n in range(4):
        confirmed_alert(db, world.code, f"resident{n}@example.org", category="pub", now=NOW)
    notice_on_a_listed_pub(db, world)
    with db.reader() as session:
        message_id = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.payload["template"].as_string() == "owners_notice_received")
        ).one()

    done = notifications.plan_and_send(db, [message_id], SETTINGS, mailer, now=NOW, inline=3)

    assert list(done.statuses.values()) == ["sent"] * 3
    assert len(done.queue) == 3  # of the 4 residents, the nominating group and its member: for other tasks
    assert len(server.received) == 3 and mailer.connections == 1
    for delivery_id in done.queue:
        deliveries.deliver(db, delivery_id, mailer, now=NOW)
    assert len(server.received) == 6 and mailer.connections == 1
    again = notifications.plan_and_send(db, [message_id], SETTINGS, mailer, now=NOW)
    assert (again.statuses, again.queue, len(server.received)) == ({}, [], 6)


def test_a_batch_of_messages_is_planned_and_sent_together_and_one_that_cannot_be_prepared_holds_up_none(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    with db.transaction() as session:
        messages = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.created_at)))
        broken = next(m for m in messages if m.payload.get("template") == "owners_notice_acknowledged")
        broken.payload = {**broken.payload, "template": "no_such_template"}
        ids = [m.id for m in messages]

    done = notifications.plan_and_send(db, ids, SETTINGS, mailer, now=NOW)

    assert set(done.statuses.values()) == {"sent"} and done.queue == []
    assert len(server.received) == len(done.statuses) > 5  # every other notice of the listing and the sale
    assert not [r for r in server.received if "Your notice has been received" in r.subject]
    with db.reader() as session:
        again = session.get_one(OutboxMessage, broken.id)
    assert (again.attempts, again.processed_at) == (1, None)  # counted, for the replay to try again later
    assert "KeyError" in (again.last_error or "")


def test_a_kept_connection_the_mail_server_dropped_is_opened_again_without_losing_the_email(db: Database) -> None:
    server, controller = start_mail_server()
    port = controller.port
    mailer = SmtpMailer(f"smtp://127.0.0.1:{port}", "Casework <noreply@casework.example>")
    email = Email("a@example.org", "A", "First", "Text", "<p>Html</p>", "ref-1")
    try:
        mailer.send(email)
        controller.stop()  # the server goes away, and our kept connection with it
        server, controller = start_mail_server(port=port)
        mailer.send(dataclasses.replace(email, subject="Second", reference="ref-2"))
    finally:
        mailer.close()
        controller.stop()
    assert [r.subject for r in server.received] == ["Second"]
    assert mailer.connections == 2


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
    assert {(tuple(d.parties), d.template, d.status, d.recipient) for d in by_post} == {
        (("occupier",), "considering_listing", "by_post", "The Bull, 1 High Street, Ambridge"),
        (("occupier",), "listed", "by_post", "The Bull, 1 High Street, Ambridge"),
    }


def test_a_mail_server_that_cannot_take_it_now_is_retried_by_one_chain_with_backoff_then_given_up(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    list_pub(db, world)
    down = SmtpMailer(f"smtp://127.0.0.1:{free_port()}", "Casework <noreply@casework.example>", timeout=2)
    policy = RetryPolicy(max_attempts=3, first_wait=60, longest_wait=600)
    [delivery_id, *_] = notifications.plan_deliveries(db, first_notice(db), SETTINGS, now=NOW)

    with pytest.raises(RetryLater) as first:
        deliveries.deliver(db, delivery_id, down, policy=policy, now=NOW)
    assert first.value.attempts == 1 and 30 <= first.value.wait <= 60  # half the wait is random: jitter
    retrying = delivery(db, delivery_id)
    assert (retrying.status, retrying.retry_at) == ("retrying", NOW + timedelta(seconds=first.value.wait))
    assert "could not connect to 127.0.0.1" in (retrying.last_error or "")

    # A second chain (a planned message redelivered, a replayed task) cannot take it over: its fence is wrong.
    assert delivery_id not in notifications.plan_deliveries(db, first_notice(db), SETTINGS, now=NOW)
    assert deliveries.deliver(db, delivery_id, mailer, policy=policy, expected_attempts=0, now=NOW) == "retrying"
    assert (delivery_id, 1) not in resending.unfinished(db, now=NOW + timedelta(minutes=5))  # not overdue yet
    assert (delivery_id, 1) in resending.unfinished(db, now=NOW + timedelta(minutes=7))  # now it is: lost

    with pytest.raises(RetryLater) as second:
        deliveries.deliver(db, delivery_id, down, policy=policy, expected_attempts=1, now=NOW)
    assert 60 <= second.value.wait <= 120  # twice as long
    assert deliveries.deliver(db, delivery_id, down, policy=policy, expected_attempts=2, now=NOW) == "failed"
    failed = delivery(db, delivery_id)
    assert failed.status == "failed" and failed.attempts == 3
    assert (failed.last_error or "").startswith("Gave up after 3 attempts: could not connect to 127.0.0.1")
    assert not server.received


def test_a_refusal_is_final_and_an_officer_can_send_it_again_once_it_is_fixed(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    confirmed_alert(db, world.code, "refused@example.org", category="pub", now=NOW)
    notice_on_a_listed_pub(db, world)
    deliver_everything(db, mailer)
    [refused] = [d for d in deliveries_to(db, "refused@example.org") if "intends to sell" in d.subject]
    assert refused.status == "failed"
    assert refused.last_error == "the mail server refused refused@example.org: 550 No such mailbox"
    assert not server.to("refused@example.org")
    page = case_page(db, world.officer, "BDC-MOR-00001")
    [problem] = [p for p in page.problems if p.id == refused.id]
    assert problem.what.startswith("The email to refused@example.org failed") and problem.action == "Send again"

    with pytest.raises(PermissionDenied):
        resending.resend(db, world.member, refused.id, now=NOW)
    assert resending.resend(db, world.officer, refused.id, now=NOW) == "refused@example.org"
    with pytest.raises(Conflict, match="nothing to send again"):
        resending.resend(db, world.officer, refused.id, now=NOW)
    server.refuse = False  # the address was mistyped at the server's end; it accepts now
    deliver_everything(db, mailer)

    assert len(about(server, "refused@example.org", "intends to sell")) == 1
    assert [d.status for d in deliveries_to(db, "refused@example.org") if d.id == refused.id] == ["sent"]
    events = case_summary(db, page.id).events
    assert "Asked for the failed email to refused@example.org to be sent again" in events[-1].summary
    assert not [p for p in case_page(db, world.officer, "BDC-MOR-00001").problems if p.id == refused.id]


def test_a_notice_that_cannot_be_prepared_is_tried_less_and_less_often_then_shown_to_officers(db: Database) -> None:
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    message_id = first_notice(db)
    with db.transaction() as session:  # a notice whose words are missing: planning it fails every time
        message = session.get_one(OutboxMessage, message_id)
        message.payload = {**message.payload, "template": "no_such_template"}
        message.dispatched_at = NOW
    with pytest.raises(KeyError):
        notifications.plan_deliveries(db, message_id, SETTINGS, now=NOW)

    moment = NOW
    for attempt in range(1, outbox.MAX_PLANNING_ATTEMPTS + 1):
        gave_up = outbox.record_failure(db, message_id, "KeyError: 'no_such_template'", now=moment)
        wait = min(outbox.LONGEST_PLANNING_WAIT, outbox.FIRST_PLANNING_WAIT * 2 ** (attempt - 1))
        assert gave_up is (attempt == outbox.MAX_PLANNING_ATTEMPTS)
        if not gave_up:
            early = moment + wait - timedelta(seconds=1)
            assert message_id not in outbox.unprocessed(db, now=early, older_than=timedelta(0))
            assert message_id in outbox.unprocessed(db, now=moment + wait, older_than=timedelta(0))
        moment += wait
    given_up = outbox.unprocessed(db, now=moment + timedelta(days=1), older_than=timedelta(0))
    assert message_id not in given_up  # no more tries by itself

    [problem] = case_page(db, world.officer, "BDC-ACV-00001").problems
    assert problem.kind == "notice" and problem.given_up and problem.error == "KeyError: 'no_such_template'"
    assert "was not sent: the worker gave up after 5 attempts" in problem.what
    outbox.retry(db, world.officer, message_id, now=moment)
    with db.reader() as session:
        again = session.get_one(OutboxMessage, message_id)
    assert (again.attempts, again.failed_at, again.dispatched_at) == (0, None, None)  # the relay sends it afresh
    assert case_page(db, world.officer, "BDC-ACV-00001").problems == ()


def test_reminders_say_how_long_is_really_left_and_late_ones_do_not_pile_up(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    notice_on_a_listed_pub(db, world)  # the interim moratorium ends Tuesday 12 May 2026: reminders 28 Apr, 5, 11 May
    on_time = datetime(2026, 4, 28, 7, tzinfo=UTC)  # 14 days before, 08:00 BST
    deadlines.sweep(db, now=on_time)
    deliver_everything(db, mailer, now=on_time)
    [reminder] = [r for r in server.to("owner@bdc.example.com") if r.subject.startswith("Reminder")]
    assert reminder.subject == "Reminder: Interim moratorium ends (BDC-MOR-00001)"
    assert "Reminder: Interim moratorium ends by the end of Tuesday 12 May 2026 (in 14 days)." in reminder.text

    late = datetime(2026, 5, 10, 9, tzinfo=UTC)  # nothing ran from 28 April: the 7-day reminder is 5 days late
    assert deadlines.sweep(db, now=late).reminders == 1
    deliver_everything(db, mailer, now=late)
    texts = [r.text for r in server.to("owner@bdc.example.com") if r.subject.startswith("Reminder")]
    assert len(texts) == 2 and "by the end of Tuesday 12 May 2026 (in 2 days)." in texts[-1]

    tomorrow = datetime(2026, 5, 11, 7, tzinfo=UTC)
    deadlines.sweep(db, now=tomorrow)
    deliver_everything(db, mailer, now=tomorrow)
    last = [r.text for r in server.to("owner@bdc.example.com") if r.subject.startswith("Reminder")][-1]
    assert "(tomorrow)." in last and "1 days" not in last


def test_a_reminder_whose_deadline_passed_while_nothing_ran_is_not_sent(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    notice_on_a_listed_pub(db, world)
    after = datetime(2026, 5, 20, 9, tzinfo=UTC)  # the interim end (12 May) and all three of its reminders passed

    report = deadlines.sweep(db, now=after)
    deliver_everything(db, mailer, now=after)

    assert (report.fired, report.reminders) == (1, 0)
    assert not [r for r in server.to("owner@bdc.example.com") if r.subject.startswith("Reminder")]
    assert about(server, "owner@bdc.example.com", "The interim moratorium has ended")


def test_a_reminder_planned_after_its_deadline_was_met_is_dropped(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    cycle = notice_on_a_listed_pub(db, world)
    deliver_everything(db, mailer)
    deadlines.sweep(db, now=datetime(2026, 4, 28, 7, tzinfo=UTC))  # queued, not yet turned into emails...
    apply_transition(
        db,
        cycle,
        "dispose_to_cig",
        world.owner,
        {
            "disposal_entered_on": "2026-04-28",
            "acquirer_name": "Friends of the Bull",
            "whole_or_part": "whole",
            "acquirer_is_cig": True,
        },
        now=datetime(2026, 4, 28, 8, tzinfo=UTC),
    )  # fmt: skip  ...when the land is sold to the group: the reminder would only mislead
    deliver_everything(db, mailer)
    assert not [r for r in server.received if r.subject.startswith("Reminder")]


def test_reminders_and_overdue_decisions_are_emailed_to_whoever_must_act(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    confirmed_alert(db, world.code, "resident@example.org", category="pub", now=NOW)
    notice_on_a_listed_pub(db, world)
    on_time = datetime(2026, 4, 28, 7, tzinfo=UTC)
    deadlines.sweep(db, now=on_time)
    deliver_everything(db, mailer, now=on_time)

    reminded = {address for r in server.received if r.subject.startswith("Reminder") for address in r.recipients}
    # The owner, the nominating group and its member, and whoever asked for alerts about the pub.
    assert reminded == {
        "owner@bdc.example.com", "brewery@example.com", "friends@example.org", "member@bdc.example.org",
        "resident@example.org",
    }  # fmt: skip


def test_officers_get_a_daily_digest_once_a_day_with_what_failed(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    confirmed_alert(db, world.code, "refused@example.org", category="pub", now=NOW)
    notice_on_a_listed_pub(db, world)
    deliver_everything(db, mailer)
    morning = datetime(2026, 5, 8, 6, tzinfo=UTC)

    planned = digests.send_daily_digests(db, SETTINGS, now=morning)
    assert digests.send_daily_digests(db, SETTINGS, now=morning + timedelta(hours=3)) == []
    for delivery_id in planned:
        deliveries.deliver(db, delivery_id, mailer, now=morning)

    [digest] = about(server, "officer@bdc.example.gov.uk", "Your cases for")
    assert digest.subject == "Your cases for Friday 8 May 2026"
    assert "- Due: BDC-MOR-00001, Interim moratorium ends: Tuesday 12 May 2026" in digest.text
    assert "- Letter or email to refused@example.org (failed)" in digest.text
    assert "550 No such mailbox" in digest.text
    assert len(about(server, "second.officer@bdc.example.gov.uk", "Your cases for Friday")) == 1  # both officers

    with db.transaction() as session:  # the interim end cannot be applied when it falls due
        session.execute(update(Deadline).where(Deadline.timer == "interim_end").values(timer="no_such"))
    later = datetime(2026, 5, 13, 6, tzinfo=UTC)
    assert deadlines.sweep(db, now=later).failed == 1
    for delivery_id in digests.send_daily_digests(db, SETTINGS, now=later):
        deliveries.deliver(db, delivery_id, mailer, now=later)
    [next_day] = about(server, "officer@bdc.example.gov.uk", "Your cases for Wednesday 13 May 2026")
    assert "- Failing: BDC-MOR-00001, no_such (due Tuesday 12 May 2026) could not be applied after 1 attempt" in (
        next_day.text
    )


def test_the_email_has_an_html_part_in_govuk_style_with_the_same_facts_escaped(
    db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    server, mailer = smtp
    world = make_world(db)
    listing = list_pub(db, world)
    apply_transition(
        db, listing, "remove", world.officer,
        {"decided_on": date(2026, 4, 1), "reasons": "No longer used by the <b>community</b> & closed"}, now=NOW,
    )  # fmt: skip
    deliver_everything(db, mailer)

    [removal] = about(server, "friends@example.org", "removed")
    html = removal.html
    assert removal.message.get_content_type() == "multipart/alternative"
    assert '<html lang="en">' in html and "background:#1d70b8" in html  # the GOV.UK blue bar
    assert '<h1 style="font-size:32px;line-height:1.1;margin:0 0 20px">Land removed from the list: reasons</h1>' in html
    assert "No longer used by the &lt;b&gt;community&lt;/b&gt; &amp; closed" in html  # escaped, never markup
    assert "<b>community</b>" in removal.text  # plain text stays as written
    assert '<a href="https://casework.example/cases/BDC-ACV-00001" style="color:#1d70b8">See the case</a>' in html


@pytest.mark.parametrize("kind", ["ward", "distance", "asset"])
def test_an_alert_by_ward_distance_or_asset_matches_the_pub_and_a_different_one_does_not(
    db: Database, smtp: tuple[MailServer, SmtpMailer], kind: str
) -> None:
    server, mailer = smtp
    world = make_world(db)
    listing = list_pub(db, world)
    asset_id = case_summary(db, listing).asset_id
    with db.transaction() as session:
        session.execute(update(Asset).where(Asset.id == asset_id).values(ward="Ambridge and Loxley"))
    other = list_pub(db, world, name="The Cat and Fiddle", uprn="100012345999")
    choices = {
        "ward": ({"ward": " ambridge and LOXLEY "}, {"ward": "Hollerton"}),
        "distance": (  # the pub is at (-2.1, 52.2); 0.01 degrees of longitude there is about 680 m
            {"point": "POINT (-2.11 52.2)", "radius_m": 700},
            {"point": "POINT (-2.11 52.2)", "radius_m": 600},
        ),
        "asset": ({"asset_id": asset_id}, {"asset_id": case_summary(db, other).asset_id}),
    }
    near, far = choices[kind]
    deliver_everything(db, mailer)  # the two listings' own notices go before anyone subscribes
    server.received.clear()
    confirmed_alert(db, world.code, "near@example.org", now=NOW, **near)  # type: ignore[arg-type]
    confirmed_alert(db, world.code, "far@example.org", now=NOW, **far)  # type: ignore[arg-type]
    owners_notice(db, world, listing, received_on=date(2026, 4, 1), now=NOW)

    deliver_everything(db, mailer)

    assert [r.subject for r in about(server, "near@example.org", "intends to sell")] == [NOTICE_ALERT]
    assert [r.subject for r in server.to("far@example.org")] == [CONFIRM_ALERTS]  # and nothing else


def test_an_alert_is_stopped_with_one_click_and_a_bad_subscription_is_explained(db: Database) -> None:
    world = make_world(db)
    made = confirmed_alert(db, world.code, "resident@example.org", ward="Ambridge and Loxley", now=NOW)
    assert alerts.unsubscribe(db, made.unsubscribe_token, now=NOW) is True
    assert alerts.unsubscribe(db, made.unsubscribe_token, now=NOW) is False
    with pytest.raises(InvalidInput, match="Choose one thing"):
        confirmed_alert(db, world.code, "resident@example.org", ward="X", category="pub")


def test_the_file_mailer_keeps_emails_when_no_server_is_configured(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    reference = FileMailer(str(folder), "Casework <noreply@casework.example>").send(
        Email("a@example.org", "A", "Subject", "Text", "<p>Html</p>", "ref-1")
    )
    [saved] = folder.glob("*.eml")
    assert reference in saved.read_text()
