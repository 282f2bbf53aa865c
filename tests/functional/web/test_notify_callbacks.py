"""Issue 19, item 3: GOV.UK Notify's delivery receipts, accepted at an authenticated endpoint as Notify sends them
(Authorization: Bearer <NOTIFY_CALLBACK_TOKEN>), in addition to polling. Emails go through the test Notify server;
its receipts are posted to the app, and an officer sees what Notify said on the case."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from casework.adapters.mailers import mailer_for
from casework.adapters.notify_letters import NotifyLetters
from casework.config import Settings
from casework.db import Database
from casework.models import Council, Delivery, Letter, OutboxMessage
from casework.notifying import notifications
from casework.notifying.letters import sending as letters
from tests.factories import World, list_pub, make_world
from tests.functional.web.conftest import make_app, sign_in_as
from tests.notifyserver import API_KEY, TEMPLATE_ID, Notify, start_notify

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)
TOKEN = "a-long-callback-token-set-in-notify-and-here"
RECEIPTS = "/api/v1/notify/delivery-receipts"


@pytest.fixture
def notify() -> Iterator[Notify]:
    stand_in, server = start_notify()
    yield stand_in
    server.shutdown()
    server.server_close()


def notify_settings(stand_in: Notify) -> dict[str, Any]:
    return {"notify_api_key": API_KEY, "notify_template_id": TEMPLATE_ID, "notify_base_url": stand_in.url,
            "notify_callback_token": TOKEN}  # fmt: skip


@pytest.fixture
def app(sqlite_db: Database, tmp_path: Path, notify: Notify) -> Flask:
    return make_app(sqlite_db, tmp_path, settings=notify_settings(notify))


def listed_through_notify(db: Database, stand_in: Notify) -> World:
    """A pub listed, and the listing's notices sent through the test Notify server."""
    world = make_world(db)
    list_pub(db, world)
    settings = Settings(database_url="unused", base_url="https://casework.example", **notify_settings(stand_in))
    with db.reader() as session:
        messages = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.created_at)).all()
    notifications.plan_and_send(db, messages, settings, mailer_for(settings), now=NOW)
    return world


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_failure_notify_calls_back_with_is_recorded_and_shown_to_the_officer(
    client: FlaskClient, sqlite_db: Database, notify: Notify
) -> None:
    world = listed_through_notify(sqlite_db, notify)
    [bounced, delivered, *_] = list(notify.notifications)
    notify.notifications[bounced]["status"] = "permanent-failure"  # the inbox does not exist

    answered = client.post(RECEIPTS, json=notify.callback(bounced), headers=bearer(TOKEN))
    assert answered.status_code == 200 and answered.get_json() == {"id": bounced, "status": "failed"}
    assert client.post(RECEIPTS, json=notify.callback(delivered), headers=bearer(TOKEN)).get_json()["status"] == "sent"

    with sqlite_db.reader() as session:
        failed = session.scalars(select(Delivery).where(Delivery.provider_reference == bounced)).one()
        fine = session.scalars(select(Delivery).where(Delivery.provider_reference == delivered)).one()
    assert (failed.status, failed.provider_status) == ("failed", "permanent-failure")
    assert (fine.status, fine.provider_status) == ("sent", "delivered")
    sign_in_as(client, sqlite_db, world.officer.user_id)
    page = client.get("/officer/cases/BDC-ACV-00001").get_data(as_text=True)
    assert "GOV.UK Notify could not deliver it: permanent-failure" in page
    assert "GOV.UK Notify: Delivered" in page


def test_a_delivered_receipt_for_an_email_in_doubt_records_it_sent_so_it_is_not_sent_again(
    client: FlaskClient, sqlite_db: Database, notify: Notify
) -> None:
    listed_through_notify(sqlite_db, notify)
    notification_id = next(iter(notify.notifications))
    receipt = notify.callback(notification_id)
    with sqlite_db.transaction() as session:  # as a worker killed mid-send, then found, leaves it
        session.execute(
            update(Delivery)
            .where(Delivery.id == uuid.UUID(receipt["reference"]))
            .values(status="retrying", in_doubt=1, provider_reference=None, retry_at=NOW)
        )
    assert client.post(RECEIPTS, json=receipt, headers=bearer(TOKEN)).get_json()["status"] == "sent"
    with sqlite_db.reader() as session:
        row = session.get_one(Delivery, uuid.UUID(receipt["reference"]))
    assert (row.status, row.provider_reference, row.retry_at) == ("sent", notification_id, None)


@pytest.mark.parametrize(
    "headers",
    [{}, bearer(""), bearer("wrong-token"), bearer(TOKEN + "x"), {"Authorization": f"Basic {TOKEN}"}],
    ids=["none", "empty", "wrong", "longer", "not bearer"],
)
def test_a_receipt_without_notifys_token_is_refused_and_changes_nothing(
    client: FlaskClient, sqlite_db: Database, notify: Notify, headers: dict[str, str]
) -> None:
    listed_through_notify(sqlite_db, notify)
    notification_id = next(iter(notify.notifications))
    notify.notifications[notification_id]["status"] = "permanent-failure"
    refused = client.post(RECEIPTS, json=notify.callback(notification_id), headers=headers)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    with sqlite_db.reader() as session:
        assert session.scalars(select(Delivery.status).where(Delivery.provider_reference == notification_id)).one() == (
            "sent"
        )


def test_with_no_callback_token_configured_every_receipt_is_refused(
    sqlite_db: Database, tmp_path: Path, notify: Notify
) -> None:
    unset = make_app(sqlite_db, tmp_path, settings={**notify_settings(notify), "notify_callback_token": None})
    answered = unset.test_client().post(RECEIPTS, json={"id": str(uuid.uuid4())}, headers=bearer("None"))
    assert answered.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"id": "not-a-uuid", "to": "a@example.org", "status": "delivered", "notification_type": "email"}, "id"),
        ({"to": "a@example.org", "status": "delivered", "notification_type": "email"}, "id"),
        (
            {"id": str(uuid.uuid4()), "to": "a@example.org", "status": "delivered", "notification_type": "fax"},
            "notification_type",
        ),
        (
            {
                "id": str(uuid.uuid4()),
                "to": "a@example.org",
                "status": "delivered",
                "notification_type": "email",
                "sent_at": "yesterday",
            },
            "sent_at",
        ),
        (
            {"id": str(uuid.uuid4()), "to": "a@example.org", "status": "delivered", "notification_type": "sms"},
            "notification_type",
        ),
    ],
    ids=["bad id", "no id", "unknown type", "bad time", "sms (never sent)"],
)
def test_a_malformed_receipt_is_a_problem_naming_the_field(
    client: FlaskClient, body: dict[str, Any], field: str
) -> None:
    answered = client.post(RECEIPTS, json=body, headers=bearer(TOKEN))
    assert answered.status_code == 422 and answered.mimetype == "application/problem+json"
    assert field in answered.get_json()["errors"]


def test_a_receipt_for_an_email_this_service_did_not_send_or_to_another_address_is_not_found(
    client: FlaskClient, sqlite_db: Database, notify: Notify
) -> None:
    listed_through_notify(sqlite_db, notify)
    receipt = notify.callback(next(iter(notify.notifications)))
    for body in ({**receipt, "id": str(uuid.uuid4()), "reference": None}, {**receipt, "to": "someone@else.example"}):
        answered = client.post(RECEIPTS, json=body, headers=bearer(TOKEN))
        assert answered.status_code == 404 and answered.mimetype == "application/problem+json"
    assert client.post(RECEIPTS, data="not json", headers=bearer(TOKEN)).status_code == 422


def test_a_letters_receipt_records_its_posting_on_the_case_and_a_returned_letter_puts_it_back_to_post(
    client: FlaskClient, sqlite_db: Database, notify: Notify
) -> None:
    """The pub's owner has no email address, so its notices went as letters through Notify; Notify's receipts for
    them come to the same endpoint as emails' and are routed by their notification type."""
    with sqlite_db.transaction() as session:
        session.execute(update(Council).values(address="Council Offices\nMain Street\nBorchester\nBC1 1AA"))
    listed_through_notify(sqlite_db, notify)
    assert letters.prepare(sqlite_db, NotifyLetters(API_KEY, base_url=notify.url), now=NOW).sent == 2
    posted, returned = (str(n["id"]) for n in notify.letters())
    notify.progress(posted, "received")
    notify.progress(returned, "returned-letter")

    for notification_id in (posted, returned):
        answered = client.post(RECEIPTS, json=notify.callback(notification_id), headers=bearer(TOKEN))
        assert answered.status_code == 200, answered.get_data(as_text=True)
    with sqlite_db.reader() as session:
        by_notify = {str(letter.notify_id): letter for letter in session.scalars(select(Letter))}
    assert by_notify[posted].posted_on is not None and by_notify[posted].arrives_on is not None
    assert by_notify[returned].status == "failed"  # back on the officers' letters to post
    unknown = {**notify.callback(posted), "id": str(uuid.uuid4())}
    assert client.post(RECEIPTS, json=unknown, headers=bearer(TOKEN)).status_code == 404
