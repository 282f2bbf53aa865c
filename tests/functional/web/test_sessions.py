"""Signing out ends the session on the server: a copy of the cookie saved before signing out (or before signing
out of all devices, or before the password changed) opens nothing afterwards."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.db import Database
from casework.services import accounts
from casework.services.accounts import RoleGrant
from tests.factories import make_world
from workflows.roles import Role

pytestmark = pytest.mark.integration
EMAIL, PASSWORD = "olu@borsetshire.example.gov.uk", "officer password 2026"


def _officer(db: Database) -> None:
    make_world(db)
    accounts.create_user(db, EMAIL, "Olu Officer", password=PASSWORD, grants=(RoleGrant(Role.OFFICER, "BDC"),))


def _signed_in(app: Flask, password: str = PASSWORD) -> FlaskClient:
    browser = app.test_client()
    assert browser.post("/account/sign-in", data={"email": EMAIL, "password": password}).status_code == 302
    assert browser.get("/officer/cases").status_code == 200
    return browser


def _replay(app: Flask, browser: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `browser`'s session cookie, as someone who saved it would."""
    cookie = browser.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    return copy


def _opens_the_work_queue(browser: FlaskClient) -> bool:
    page = browser.get("/officer/cases")
    if page.status_code == 302:
        assert "/account/sign-in" in page.headers["Location"]
        return False
    assert page.status_code == 200
    return True


def test_a_cookie_saved_before_signing_out_no_longer_opens_the_work_queue(app: Flask, sqlite_db: Database) -> None:
    _officer(sqlite_db)
    browser = _signed_in(app)
    saved = _replay(app, browser)
    elsewhere = _signed_in(app)  # the same officer on another computer
    assert _opens_the_work_queue(saved)

    signed_out = browser.post("/account/sign-out", follow_redirects=True)

    assert "You have signed out." in signed_out.get_data(as_text=True)
    assert not _opens_the_work_queue(browser)
    assert not _opens_the_work_queue(saved)
    assert _opens_the_work_queue(elsewhere)  # signing out here is not signing out everywhere


def test_signing_out_of_all_devices_ends_every_session_of_the_user(app: Flask, sqlite_db: Database) -> None:
    _officer(sqlite_db)
    laptop, phone = _signed_in(app), _signed_in(app)
    saved = _replay(app, phone)
    account = laptop.get("/account/").get_data(as_text=True)
    assert "Sign out of all devices" in account

    done = laptop.post("/account/sign-out-everywhere", follow_redirects=True)

    assert "You have signed out of all devices" in done.get_data(as_text=True)
    assert [_opens_the_work_queue(b) for b in (laptop, phone, saved)] == [False, False, False]
    assert _opens_the_work_queue(_signed_in(app))  # signing in again works


def test_changing_the_password_ends_every_other_session_but_this_one(app: Flask, sqlite_db: Database) -> None:
    _officer(sqlite_db)
    here, elsewhere = _signed_in(app), _signed_in(app)
    saved_here = _replay(app, here)

    changed = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a new officer password"},
        follow_redirects=True,
    )

    assert "Your password has been changed" in changed.get_data(as_text=True)
    assert _opens_the_work_queue(here) and _opens_the_work_queue(saved_here)  # this browser stays signed in
    assert not _opens_the_work_queue(elsewhere)
