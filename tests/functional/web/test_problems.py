"""What the worker could not do, on the officer's pages: a failed email, a deadline that failed to fire, shown on
the case page and above the work queue, each with a button that tries it again; and the admin's reminder days."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from casework.adapters.smtp import SmtpMailer
from casework.config import Settings
from casework.db import Database
from casework.models import Deadline, Delivery, OutboxMessage, Reminder
from casework.notifying import notifications
from casework.services import deadlines
from tests.factories import World, confirmed_alert, list_pub, make_world, owners_notice
from tests.functional.web.conftest import csrf_token, make_app, sign_in_as
from tests.mailserver import MailServer, start_mail_server

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)
CASE = "/officer/cases/BDC-MOR-00001"


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, SmtpMailer]]:
    server, controller = start_mail_server()
    mailer = SmtpMailer(f"smtp://127.0.0.1:{controller.port}", "Casework <noreply@casework.example>")
    yield server, mailer
    mailer.close()
    controller.stop()


def deliver_everything(db: Database, mailer: SmtpMailer) -> None:
    settings = Settings(database_url="unused", base_url="https://casework.example")
    with db.reader() as session:
        messages = session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.created_at)).all()
    for message_id in messages:
        notifications.plan_and_send(db, [message_id], settings, mailer, now=NOW)


@pytest.fixture
def troubled(sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]) -> World:
    """An owner's notice whose alert to one resident was refused, and whose review window will not fire."""
    world = make_world(sqlite_db)
    confirmed_alert(sqlite_db, world.code, "refused@example.org", category="pub", now=NOW)
    owners_notice(sqlite_db, world, list_pub(sqlite_db, world), received_on=date(2026, 4, 1), now=NOW)
    deliver_everything(sqlite_db, smtp[1])
    with sqlite_db.transaction() as session:
        session.execute(update(Deadline).where(Deadline.timer == "interim_end").values(timer="no_such_timer"))
    assert deadlines.sweep(sqlite_db, now=datetime(2026, 5, 20, tzinfo=UTC)).failed == 1
    return world


def failed_email(db: Database) -> uuid.UUID:
    with db.reader() as session:
        return session.scalars(
            select(Delivery.id).where(Delivery.status == "failed", Delivery.template == "owners_notice_received")
        ).one()


def failing_deadline(db: Database) -> uuid.UUID:
    with db.reader() as session:
        return session.scalars(select(Deadline.id).where(Deadline.timer == "no_such_timer")).one()


def test_the_case_page_shows_what_failed_with_the_error_and_a_button_for_each(
    client: FlaskClient, sqlite_db: Database, troubled: World
) -> None:
    sign_in_as(client, sqlite_db, troubled.officer.user_id)

    page = client.get(CASE).get_data(as_text=True)

    assert "2 things the system could not do on this case" in page
    assert "The email to refused@example.org failed" in page and "550 No such mailbox" in page
    assert "could not be applied after 1 attempt; trying again at" in page and "no_such_timer" in page
    assert f'action="{CASE}/problems/delivery/{failed_email(sqlite_db)}"' in page
    assert f'action="{CASE}/problems/deadline/{failing_deadline(sqlite_db)}"' in page
    assert "Send again" in page and "Try again" in page
    assert "Subscribers: refused@example.org" in page  # the proof of service table says who it was for


def test_the_work_queue_leads_officers_to_what_failed(
    client: FlaskClient, sqlite_db: Database, troubled: World
) -> None:
    sign_in_as(client, sqlite_db, troubled.officer.user_id)

    queue = client.get("/officer/cases").get_data(as_text=True)

    assert "3 things the system could not do: deadlines, notices or emails" in queue  # the listing's email too
    assert f'href="{CASE}#problems"' in queue


def test_an_officer_sends_a_failed_email_again_and_tries_a_failed_deadline_again(
    client: FlaskClient, sqlite_db: Database, troubled: World
) -> None:
    sign_in_as(client, sqlite_db, troubled.officer.user_id)
    email, deadline = failed_email(sqlite_db), failing_deadline(sqlite_db)

    resent = client.post(f"{CASE}/problems/delivery/{email}", follow_redirects=True).get_data(as_text=True)
    retried = client.post(f"{CASE}/problems/deadline/{deadline}", follow_redirects=True).get_data(as_text=True)

    assert "The email to refused@example.org will be sent again." in resent
    assert "will be applied again at the next sweep, within a minute." in retried
    with sqlite_db.reader() as session:
        assert session.get_one(Delivery, email).status == "pending"
        assert session.get_one(Deadline, deadline).attempts == 0
    assert "could not do on this case" not in retried
    assert "Asked for the failed email to refused@example.org to be sent again" in retried  # on the timeline
    again = client.post(f"{CASE}/problems/delivery/{email}")
    assert again.status_code == 404  # no longer a problem of this case: nothing to press


@pytest.mark.parametrize(
    ("persona", "expected"), [("anonymous", 302), ("member", 403), ("owner", 403), ("officer_elsewhere", 403)]
)
def test_only_the_councils_own_staff_can_press_the_buttons(
    client: FlaskClient, sqlite_db: Database, troubled: World, persona: str, expected: int
) -> None:
    people = {
        "anonymous": (None, None),
        "member": (troubled.member.user_id, None),
        "owner": (troubled.owner.user_id, None),
        "officer_elsewhere": (make_world(sqlite_db, code="XDC").officer.user_id, None),
    }
    sign_in_as(client, sqlite_db, *people[persona])

    answer = client.post(f"{CASE}/problems/delivery/{failed_email(sqlite_db)}")

    assert answer.status_code == expected
    with sqlite_db.reader() as session:
        assert session.get_one(Delivery, failed_email(sqlite_db)).status == "failed"


def test_a_button_for_something_else_or_another_case_is_not_found(
    client: FlaskClient, sqlite_db: Database, troubled: World
) -> None:
    sign_in_as(client, sqlite_db, troubled.officer.user_id)
    email = failed_email(sqlite_db)
    assert client.post(f"{CASE}/problems/unknown/{email}").status_code == 404
    assert client.post(f"{CASE}/problems/delivery/{uuid.uuid4()}").status_code == 404
    assert client.post(f"/officer/cases/BDC-ACV-00001/problems/delivery/{email}").status_code == 404


def test_the_buttons_need_the_forms_csrf_token(sqlite_db: Database, tmp_path: Path, troubled: World) -> None:
    app = make_app(sqlite_db, tmp_path, WTF_CSRF_ENABLED=True)
    with app.test_client() as client:
        sign_in_as(client, sqlite_db, troubled.officer.user_id)
        page = client.get(CASE).get_data(as_text=True)
        email = failed_email(sqlite_db)
        assert client.post(f"{CASE}/problems/delivery/{email}").status_code == 400
        with_token = client.post(f"{CASE}/problems/delivery/{email}", data={"csrf_token": csrf_token(page)})
        assert with_token.status_code == 302


def test_reminder_days_the_admin_sets_decide_when_reminders_for_new_deadlines_go(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id)
    saved = client.post("/admin/settings", data={"moratorium__interim_end": "10, 3", "save_offsets": "Save reminders"})
    assert saved.status_code == 302
    refused = client.post("/admin/settings", data={"moratorium__interim_end": "ten", "save_offsets": "Save reminders"})
    assert refused.status_code == 400
    assert "must be numbers of days separated by commas, like 14, 7, 1" in refused.get_data(as_text=True)

    cycle = owners_notice(sqlite_db, world, list_pub(sqlite_db, world), received_on=date(2026, 4, 1), now=NOW)

    with sqlite_db.reader() as session:
        days = session.scalars(
            select(Reminder.days_before)
            .join(Deadline, Deadline.id == Reminder.deadline_id)
            .where(Reminder.case_id == cycle, Deadline.timer == "interim_end")
        ).all()
    assert sorted(days) == [3, 10]  # instead of the workflow's 14, 7 and 1
    assert deadlines.sweep(sqlite_db, now=datetime(2026, 4, 28, 7, tzinfo=UTC)).reminders == 0  # 14 days before
    assert deadlines.sweep(sqlite_db, now=datetime(2026, 5, 2, 7, tzinfo=UTC)).reminders == 1  # 10 days before
    assert deadlines.sweep(sqlite_db, now=datetime(2026, 5, 9, 7, tzinfo=UTC)).reminders == 1  # 3 days before
