"""Signing out, signing out of all devices, and taking a staff role by invitation, in a real browser.

A copy of the session cookie saved before signing out opens nothing afterwards; the invitation email the worker
would send is read from the mail directory and its link followed, signed out, then signed in, then accepted.
"""

from __future__ import annotations

import email
import re
from email import policy
from typing import Any

import pytest
from sqlalchemy import select

from casework.adapters.mail import FileMailer
from casework.config import Settings
from casework.models import OutboxMessage
from casework.notifying import deliveries, notifications
from casework.services import accounts, councils
from casework.services.accounts import RoleGrant
from tests.browser.conftest import DESKTOP_ONLY, Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, _continue, _sign_in
from workflows.roles import Role

pytestmark = pytest.mark.browser
OFFICER, ADMIN, RITA = "officer@bdc.example.gov.uk", "admin@bdc.example.gov.uk", "rita@example.org"


def _people(site: LiveSite) -> None:
    councils.create_council(site.db, "BDC", "Borsetshire District Council")
    for address, name, role in ((OFFICER, "Olivia Officer", Role.OFFICER), (ADMIN, "Ada Admin", Role.COUNCIL_ADMIN)):
        accounts.create_user(site.db, address, name, password=PASSWORD, grants=(RoleGrant(role, council_code="BDC"),))
    accounts.create_user(site.db, RITA, "Rita Reviewer", password=PASSWORD)  # an account with no staff role


def _opens_the_work_queue(page: Any) -> bool:
    page.goto("/officer/cases")
    return "/account/sign-in" not in page.url


def _emailed_invitation(site: LiveSite) -> tuple[str, str]:
    """What the worker does with the outbox (plan the delivery, send it, here to files); the email's text."""
    mailer = FileMailer(str(site.mail_dir), "Casework <noreply@casework.example>")
    settings = Settings(database_url=str(site.db.url), base_url="http://127.0.0.1", mail_dir=str(site.mail_dir))
    with site.db.reader() as session:
        messages = session.scalars(select(OutboxMessage.id).where(OutboxMessage.topic == "account.email")).all()
    for message_id in messages:
        for delivery_id in notifications.plan_deliveries(site.db, message_id, settings):
            deliveries.deliver(site.db, delivery_id, mailer)
    (path,) = site.mail_dir.glob("*.eml")
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and RITA in str(message["To"])
    text = str(body.get_content())
    link = re.search(r"http://127\.0\.0\.1(/account/invitations/[A-Za-z0-9_-]+)", text)
    assert link, text
    return link.group(1), text


@DESKTOP_ONLY
def test_a_cookie_saved_before_signing_out_opens_nothing_and_all_devices_can_be_signed_out(
    browser: Any, page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    _people(live_site)
    _sign_in(page, axe, OFFICER)
    assert _opens_the_work_queue(page)
    saved = page.context.cookies()
    page.goto("/account/")
    axe.check(page)
    _continue(page, axe, "Sign out")
    assert "You have signed out." in page.inner_text("body")

    replayed = browser.new_context(base_url=live_site.base_url, bypass_csp=True)  # axe-core is injected
    copy = replayed.new_page()
    replayed.add_cookies(saved)
    assert not _opens_the_work_queue(copy)  # the saved cookie is no good now

    _sign_in(copy, axe, OFFICER)  # on a second device
    _sign_in(page, axe, OFFICER)
    assert _opens_the_work_queue(copy)
    page.goto("/account/")
    _continue(page, axe, "Sign out of all devices")
    assert "You have signed out of all devices" in page.inner_text("body")
    assert not _opens_the_work_queue(copy)
    assert not _opens_the_work_queue(page)
    replayed.close()
    assert axe.violations == [], "\n".join(axe.violations)


def test_an_invited_person_signs_in_from_the_emailed_link_and_accepts_the_role(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    _people(live_site)
    _sign_in(page, axe, ADMIN)
    page.goto("/admin/users")
    axe.check(page)
    page.get_by_label("Full name").fill("Rita Reviewer")
    page.get_by_label("Email address").fill(RITA)
    page.get_by_label("Reviewer").check()
    _continue(page, axe, "Send invitation")
    assert f"An invitation has been sent to {RITA}." in page.inner_text("body")
    assert "Rita Reviewer" not in page.locator("table").first.inner_text()  # not staff until she accepts
    _continue(page, axe, "Sign out")

    link, text = _emailed_invitation(live_site)
    assert "Case reference" not in text and "None" not in text
    page.goto(link)
    axe.check(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Sign in to accept").click()
    page.get_by_label("Email address").fill(RITA)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    _continue(page, axe, "Sign in")
    assert page.url.endswith(link)
    _continue(page, axe, "Accept the invitation")

    assert "You are now a reviewer at Borsetshire District Council." in page.inner_text("body")
    assert page.url.endswith("/officer/reviews")  # her work, not her account page
    assert _opens_the_work_queue(page)
    page.goto(link)
    assert "This invitation cannot be used" in page.inner_text("body")
    axe.check(page)
    assert axe.violations == [], "\n".join(axe.violations)
