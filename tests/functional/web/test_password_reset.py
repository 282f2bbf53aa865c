"""Resetting a password by the emailed link: the outbox message, delivered as the worker delivers it to a real
SMTP server (aiosmtpd), its link, the new password; the old one refused, the link single-use, other sessions
signed out, and a link past its hour refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from sqlalchemy import select

from casework.adapters.smtp import SmtpMailer
from casework.clock import utcnow
from casework.config import Settings
from casework.db import Database
from casework.models import OutboxMessage
from casework.notifying import deliveries, notifications
from casework.services import accounts
from tests.functional.web.test_forms import error_summary
from tests.mailserver import MailServer

pytestmark = pytest.mark.integration
OLD, NEW = "the old password", "a brand new password"
EMAIL = "ann@example.org"


def emailed_links(app: Flask, db: Database, smtp: tuple[MailServer, SmtpMailer]) -> list[str]:
    """What the worker does with the outbox: plan each delivery and send it; then read the link in each email."""
    server, mailer = smtp
    settings: Settings = app.extensions["casework_settings"]
    with db.reader() as session:
        messages = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.topic == "account.email").order_by(OutboxMessage.created_at)
        ).all()
    for message_id in messages:
        for delivery_id in notifications.plan_deliveries(db, message_id, settings):
            deliveries.deliver(db, delivery_id, mailer)
    links = []
    for received in server.wait_for(len(messages), timeout=10):
        assert received.recipients == [EMAIL] and received.subject == "Reset your password"
        assert "Case reference" not in received.text  # an account email is about no case
        link = re.search(r"https://casework\.example(/account/reset-password/[A-Za-z0-9_-]+)", received.text)
        assert link, received.text
        links.append(link.group(1))
    return links


def emailed_link(app: Flask, db: Database, smtp: tuple[MailServer, SmtpMailer]) -> str:
    return emailed_links(app, db, smtp)[-1]


def sign_in(client: object, password: str) -> int:
    response = client.post("/account/sign-in", data={"email": EMAIL, "password": password})  # type: ignore[attr-defined]
    return int(response.status_code)


def test_a_password_is_reset_by_the_emailed_link_once_and_every_other_session_ends(
    app: Flask, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    accounts.create_user(sqlite_db, EMAIL, "Ann Example", password=OLD)
    elsewhere, here = app.test_client(), app.test_client()  # two browsers: no preserved contexts to interleave
    assert sign_in(elsewhere, OLD) == 302  # signed in on another device
    sent = here.post("/account/forgot-password", data={"email": EMAIL})
    assert sent.status_code == 200
    path = emailed_link(app, sqlite_db, smtp)

    assert "New password" in here.get(path).get_data(as_text=True)
    reset = here.post(path, data={"password": NEW, "confirm": NEW})
    again = here.post(path, data={"password": "another new password", "confirm": "another new password"})

    assert reset.status_code == 302 and here.get("/account/").status_code == 200  # signed in, here
    assert error_summary(again.get_data(as_text=True)) == [
        "This reset link has expired or been used. Ask for a new one"
    ]
    assert elsewhere.get("/account/").status_code == 302  # the other device is signed out
    later = app.test_client()
    assert sign_in(later, OLD) == 200  # the form again, refused
    assert sign_in(later, NEW) == 302


def test_a_reset_link_more_than_an_hour_old_is_refused(
    app: Flask, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    accounts.create_user(sqlite_db, EMAIL, "Ann Example", password=OLD)
    with app.test_client() as client:
        client.post("/account/forgot-password", data={"email": EMAIL})
        path = emailed_link(app, sqlite_db, smtp)
        with time_machine.travel(utcnow() + timedelta(hours=1, minutes=1), tick=False):
            late = client.post(path, data={"password": NEW, "confirm": NEW})

        assert error_summary(late.get_data(as_text=True)) == [
            "This reset link has expired or been used. Ask for a new one"
        ]
        assert sign_in(client, OLD) == 302  # nothing changed


def test_asking_for_a_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(
    app: Flask, sqlite_db: Database
) -> None:
    accounts.create_user(sqlite_db, EMAIL, "Ann Example", password=OLD)
    with app.test_client() as client:
        known = client.post("/account/forgot-password", data={"email": EMAIL}).get_data(as_text=True)
        unknown = client.post("/account/forgot-password", data={"email": "nobody@example.org"}).get_data(as_text=True)

    with sqlite_db.reader() as session:
        assert len(session.scalars(select(OutboxMessage)).all()) == 1

    def page(html: str, email: str) -> str:
        return re.sub(r'nonce="[^"]+"', "", html.replace(email, "X"))

    assert page(known, EMAIL) == page(unknown, "nobody@example.org")


def test_after_a_reset_every_other_reset_link_stops_working(
    app: Flask, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    accounts.create_user(sqlite_db, EMAIL, "Ann Example", password=OLD)
    browser = app.test_client()
    browser.post("/account/forgot-password", data={"email": EMAIL})
    browser.post("/account/forgot-password", data={"email": EMAIL})  # asked twice: two emails, two links
    older, newer = emailed_links(app, sqlite_db, smtp)

    assert browser.post(newer, data={"password": NEW, "confirm": NEW}).status_code == 302
    stale = app.test_client().post(
        older, data={"password": "an attacker's password", "confirm": "an attacker's password"}
    )

    assert error_summary(stale.get_data(as_text=True)) == [
        "This reset link has expired or been used. Ask for a new one"
    ]
    assert sign_in(app.test_client(), "an attacker's password") == 200
    assert sign_in(app.test_client(), NEW) == 302


def test_after_a_password_change_an_outstanding_reset_link_stops_working(
    app: Flask, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    accounts.create_user(sqlite_db, EMAIL, "Ann Example", password=OLD)
    browser = app.test_client()
    browser.post("/account/forgot-password", data={"email": EMAIL})
    link = emailed_link(app, sqlite_db, smtp)
    assert sign_in(browser, OLD) == 302

    changed = browser.post("/account/password", data={"current_password": OLD, "new_password": NEW})
    stale = app.test_client().post(
        link, data={"password": "an attacker's password", "confirm": "an attacker's password"}
    )

    assert changed.status_code == 302
    assert error_summary(stale.get_data(as_text=True)) == [
        "This reset link has expired or been used. Ask for a new one"
    ]
    assert sign_in(app.test_client(), NEW) == 302
