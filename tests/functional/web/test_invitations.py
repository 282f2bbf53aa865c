"""Staff roles by invitation: the admin learns nothing about whether an address has an account, and nobody holds
a role until they accept it from the emailed link, signed in with the account for that address."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.adapters.smtp import SmtpMailer
from casework.config import Settings
from casework.db import Database
from casework.models import OutboxMessage, User, UserRole
from casework.notifying import deliveries, notifications
from casework.services import accounts
from tests.factories import make_world
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_forms import error_summary
from tests.mailserver import MailServer, Received

pytestmark = pytest.mark.integration
PASSWORD = "rita's own password"


def _send_outbox(app: Flask, db: Database, mail: tuple[MailServer, SmtpMailer], count: int) -> list[Received]:
    """What the worker does with the outbox: plan each account email and send it to the SMTP server."""
    server, mailer = mail
    settings: Settings = app.extensions["casework_settings"]
    with db.reader() as session:
        messages = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.topic == "account.email").order_by(OutboxMessage.created_at)
        ).all()
    for message_id in messages:
        for delivery_id in notifications.plan_deliveries(db, message_id, settings):
            deliveries.deliver(db, delivery_id, mailer)
    return server.wait_for(count, timeout=10)


def _link(email: Received) -> str:
    found = re.search(r"https://casework\.example(/account/invitations/[A-Za-z0-9_-]+)", email.text)
    assert found, email.text
    return found.group(1)


def _roles_at_bdc(db: Database, user_id: object) -> set[str]:
    with db.reader() as session:
        return set(
            session.scalars(select(UserRole.role).where(UserRole.user_id == user_id, UserRole.council_id.is_not(None)))
        )


def _flash(page: str) -> str:
    found = re.search(r'<div class="govuk-notification-banner__content">\s*<[^>]+>(.*?)</', page, re.S)
    assert found, "no confirmation on the page"
    return found.group(1).strip()


def test_an_invitation_reads_the_same_for_any_address_and_gives_the_role_only_when_accepted(
    app: Flask, client: FlaskClient, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    world = make_world(sqlite_db)
    rita = accounts.create_user(sqlite_db, "rita@example.org", "Rita Reviewer", password=PASSWORD)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    to_rita = client.post(
        "/admin/users", data={"name": "Rita", "email": "rita@example.org", "role": "reviewer"}, follow_redirects=True
    ).get_data(as_text=True)
    to_nobody = client.post(
        "/admin/users", data={"name": "Olu", "email": "olu@example.org", "role": "reviewer"}, follow_redirects=True
    ).get_data(as_text=True)

    said = _flash(to_rita)
    assert (
        said == "An invitation has been sent to rita@example.org. They will have the reviewer role once they accept it."
    )
    assert _flash(to_nobody) == said.replace("rita@", "olu@")  # nothing says which address has an account
    assert _roles_at_bdc(sqlite_db, rita) == set()  # not until she accepts
    assert "Invitations waiting to be accepted" in to_nobody

    emails = _send_outbox(app, sqlite_db, smtp, 2)
    to_her = next(e for e in emails if e.recipients == ["rita@example.org"])
    assert to_her.subject == "You are invited to join Borsetshire District Council"
    assert "Case reference" not in to_her.text and "None" not in to_her.text and "None" not in to_her.html
    assert "as reviewer" in to_her.text

    rita_browser = app.test_client()
    link = _link(to_her)
    offer = rita_browser.get(link).get_data(as_text=True)
    assert "Sign in to accept" in offer
    signed_in = rita_browser.post(
        f"/account/sign-in?next={link}", data={"email": "rita@example.org", "password": PASSWORD}
    )
    assert signed_in.headers["Location"] == link
    accepted = rita_browser.post(link, follow_redirects=True).get_data(as_text=True)

    assert "You are now a reviewer at Borsetshire District Council." in accepted
    assert _roles_at_bdc(sqlite_db, rita) == {"reviewer"}
    assert rita_browser.get("/officer/cases").status_code == 200
    again = rita_browser.get(link)
    assert again.status_code == 404 and "This invitation cannot be used" in again.get_data(as_text=True)

    olu_browser = app.test_client()  # no account yet: creating one from the invitation's link accepts it
    olu_link = _link(next(e for e in emails if e.recipients == ["olu@example.org"]))
    created = olu_browser.post(
        f"/account/create?next={olu_link}",
        data={
            "name": "Olu Officer",
            "email": "olu@example.org",
            "password": "olu's password 1",
            "confirm": "olu's password 1",
        },
        follow_redirects=True,
    )
    assert created.request.path == "/officer/reviews"  # a reviewer's work
    assert "You are now a reviewer" in created.get_data(as_text=True)
    staff = client.get("/admin/users").get_data(as_text=True)
    assert "Rita Reviewer" in staff and "Olu Officer" in staff
    assert "Invitations waiting to be accepted" not in staff


def test_an_admin_of_another_council_cannot_put_a_role_on_our_officer_nor_can_anyone_else_accept_it(
    app: Flask, client: FlaskClient, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    ours = make_world(sqlite_db)
    theirs = make_world(sqlite_db, code="NDC")
    officer_email = "officer@bdc.example.gov.uk"
    intruder = accounts.create_user(sqlite_db, "intruder@example.org", "Ivy Intruder", password=PASSWORD)
    sign_in_as(client, sqlite_db, theirs.admin.user_id, "council_admin:NDC")

    sent = client.post("/admin/users", data={"name": "Officer", "email": officer_email, "role": "council_admin"})

    assert sent.status_code == 302
    assert _roles_at_bdc(sqlite_db, ours.officer.user_id) == {"officer"}  # nothing given: an offer, not a grant
    (email,) = _send_outbox(app, sqlite_db, smtp, 1)
    assert email.recipients == [officer_email]

    stranger = app.test_client()  # the link forwarded to, or guessed by, someone signed in as someone else
    assert (
        stranger.post("/account/sign-in", data={"email": "intruder@example.org", "password": PASSWORD}).status_code
        == 302
    )
    refused = stranger.post(_link(email))

    assert refused.status_code == 400
    assert error_summary(refused.get_data(as_text=True)) == [
        (
            f"This invitation was sent to {officer_email}. Sign out, then sign in with the account for that address "
            "(or create one) to accept it"
        )
    ]
    assert _roles_at_bdc(sqlite_db, intruder) == set()


def test_a_second_invitation_to_the_same_address_replaces_the_first(
    app: Flask, client: FlaskClient, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    world = make_world(sqlite_db)
    rita = accounts.create_user(sqlite_db, "rita@example.org", "Rita Reviewer", password=PASSWORD)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    client.post("/admin/users", data={"name": "Rita", "email": "rita@example.org", "role": "council_admin"})
    client.post("/admin/users", data={"name": "Rita", "email": "rita@example.org", "role": "reviewer"})  # meant this
    first, second = (_link(email) for email in _send_outbox(app, sqlite_db, smtp, 2))

    staff = client.get("/admin/users").get_data(as_text=True)
    rita_browser = app.test_client()
    rita_browser.post("/account/sign-in", data={"email": "rita@example.org", "password": PASSWORD})

    assert staff.count("rita@example.org</td>") == 1  # one invitation waiting, not two
    assert rita_browser.get(first).status_code == 404
    assert "You are now a reviewer" in rita_browser.post(second, follow_redirects=True).get_data(as_text=True)
    assert _roles_at_bdc(sqlite_db, rita) == {"reviewer"}


def test_an_invited_person_creates_their_account_with_the_invitations_details_and_holds_only_the_invited_role(
    app: Flask, client: FlaskClient, sqlite_db: Database, smtp: tuple[MailServer, SmtpMailer]
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    client.post("/admin/users", data={"name": "Nia Newcomer", "email": "nia@example.org", "role": "officer"})
    (email,) = _send_outbox(app, sqlite_db, smtp, 1)
    link = _link(email)
    nia = app.test_client()

    form = nia.get(f"/account/create?next={link}").get_data(as_text=True)
    created = nia.post(
        f"/account/create?next={link}",
        data={"name": "Nia Newcomer", "email": "nia@example.org", "password": PASSWORD, "confirm": PASSWORD},
        follow_redirects=True,
    )
    roles = nia.get("/account/role").get_data(as_text=True)

    assert 'id="email" name="email" type="email" spellcheck="false" value="nia@example.org"' in form
    assert 'id="name" name="name" type="text" spellcheck="false" value="Nia Newcomer"' in form
    assert created.request.path == "/officer/cases"  # an officer's work, not their account page
    assert "You are now a council officer at Borsetshire District Council." in created.get_data(as_text=True)
    with sqlite_db.reader() as session:
        held = session.scalars(select(UserRole.role).join(User).where(User.email == "nia@example.org")).all()
    assert held == ["officer"]
    assert "Owner or agent" not in roles and "Owner or agent" not in created.get_data(as_text=True)
