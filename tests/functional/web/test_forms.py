"""Forms: bad input shows the GOV.UK error summary and keeps what was typed; CSRF and rate limits hold;
a refused action writes nothing and says why; a stale page is refused clearly."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries import case_summary
from casework.services import accounts
from casework.services.case_transitions import apply_transition
from tests.factories import list_pub, make_world, nominate_pub
from tests.functional.web.conftest import csrf_token, make_app, sign_in_as
from tests.integration.test_transitions import row_counts

pytestmark = pytest.mark.integration


def error_summary(html: str) -> list[str]:
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return re.findall(r'<a href="#[^"]*">([^<]+)</a>', summary.group(0))


def test_a_bad_registration_shows_every_problem_and_keeps_what_was_typed(client: FlaskClient) -> None:
    page = client.post(
        "/account/create",
        data={"name": "Ann <b>Jones</b>", "email": "not-an-email", "password": "short", "confirm": "different"},
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert error_summary(html) == [
        "Enter an email address in the correct format, like name@example.com",
        "The passwords do not match",
    ]
    assert "<title>Error: Create an account" in html
    assert 'value="Ann &lt;b&gt;Jones&lt;/b&gt;"' in html  # kept, and escaped
    assert 'value="not-an-email"' in html


def test_a_short_password_is_refused_by_the_service_and_shown_on_its_field(client: FlaskClient) -> None:
    page = client.post(
        "/account/create", data={"name": "Ann", "email": "ann@example.org", "password": "short", "confirm": "short"}
    )
    assert error_summary(page.get_data(as_text=True)) == ["Password must be 10 characters or more"]


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_written(sqlite_db: Database, tmp_path: Path) -> None:
    app = make_app(sqlite_db, tmp_path, WTF_CSRF_ENABLED=True)
    before = row_counts(sqlite_db)
    with app.test_client() as client:
        page = client.post(
            "/account/create",
            data={
                "name": "Ann",
                "email": "ann@example.org",
                "password": "long enough password",
                "confirm": "long enough password",
            },
        )
        assert page.status_code == 400
        assert "The page had expired" in page.get_data(as_text=True)
        form = client.get("/account/create").get_data(as_text=True)
        ok = client.post(
            "/account/create",
            data={
                "csrf_token": csrf_token(form),
                "name": "Ann",
                "email": "ann@example.org",
                "password": "long enough password",
                "confirm": "long enough password",
            },
        )
        assert ok.status_code == 302
    after = row_counts(sqlite_db)
    assert after["users"] == before["users"] + 1


def test_signing_in_is_rate_limited(sqlite_db: Database, tmp_path: Path) -> None:
    app = make_app(sqlite_db, tmp_path, RATELIMIT_ENABLED=True)
    accounts.create_user(sqlite_db, "ann@example.org", "Ann", password="the right password")
    with app.test_client() as client:
        codes = [
            client.post("/account/sign-in", data={"email": "ann@example.org", "password": "wrong"}).status_code
            for _ in range(6)
        ]
    assert codes == [200] * 5 + [429]


def test_a_wrong_password_does_not_say_which_part_was_wrong(client: FlaskClient, sqlite_db: Database) -> None:
    accounts.create_user(sqlite_db, "ann@example.org", "Ann", password="the right password")
    for email in ("ann@example.org", "nobody@example.org"):
        page = client.post("/account/sign-in", data={"email": email, "password": "wrong password"})
        assert error_summary(page.get_data(as_text=True)) == [
            "Enter the email address and password of an active account"
        ]


def test_signing_in_and_changing_the_password_signs_other_sessions_out(app: Flask, sqlite_db: Database) -> None:
    accounts.create_user(sqlite_db, "ann@example.org", "Ann", password="the first password")
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        assert (
            client.post(
                "/account/sign-in", data={"email": "ann@example.org", "password": "the first password"}
            ).status_code
            == 302
        )
    changed = first.post(
        "/account/password", data={"current_password": "the first password", "new_password": "the second password"}
    )
    assert changed.status_code == 302
    assert first.get("/account/").status_code == 200
    assert second.get("/account/").status_code == 302  # sent back to sign in


def test_an_officer_action_with_bad_dates_shows_the_summary_and_writes_nothing(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    case_id = nominate_pub(sqlite_db, world)
    reference = case_summary(sqlite_db, case_id).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    client.post(
        f"/officer/cases/{reference}/actions/consider", data={"version": case_summary(sqlite_db, case_id).version}
    )
    assert case_summary(sqlite_db, case_id).state == "under_consideration"
    before = row_counts(sqlite_db)
    version = case_summary(sqlite_db, case_id).version
    page = client.post(
        f"/officer/cases/{reference}/actions/list",
        data={
            "version": version,
            "decided_on": ["31", "2", "2026"],
            "entry_date": ["", "", ""],
            "inclusion_notice_given_on": ["1", "3", "2026"],
            "community_value_basis": "current_use",
            "reasons": "Kept <script>alert(1)</script>",
        },
    )
    html = page.get_data(as_text=True)
    assert error_summary(html) == [
        "The date of the decision must be a real date",
        "Enter the date of the entry in the list",
    ]
    assert "Kept &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert row_counts(sqlite_db) == before


def test_a_decision_on_a_stale_page_is_refused_with_a_clear_message(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    case_id = nominate_pub(sqlite_db, world)
    reference = case_summary(sqlite_db, case_id).reference
    stale_version = case_summary(sqlite_db, case_id).version
    sign_in_as(client, sqlite_db, world.other_officer.user_id, "officer:BDC")
    client.post(f"/officer/cases/{reference}/actions/consider", data={"version": stale_version})
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    page = client.post(
        f"/officer/cases/{reference}/actions/reject",
        data={
            "version": stale_version,
            "decided_on": ["2", "3", "2026"],
            "grounds": "not_in_area",
            "reasons": "Outside",
        },
        follow_redirects=True,
    )
    assert f"Case {reference} was changed by someone else after you opened it" in page.get_data(as_text=True)
    assert case_summary(sqlite_db, case_id).state == "under_consideration"


def test_a_guard_refusal_is_shown_with_the_law_and_nothing_changes(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    case_id = list_pub(sqlite_db, world)
    reference = case_summary(sqlite_db, case_id).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    before = row_counts(sqlite_db)
    page = client.post(
        f"/officer/cases/{reference}/actions/request_review",
        data={
            "version": case_summary(sqlite_db, case_id).version,
            "review_request_received_on": ["1", "6", "2026"],
        },
    )
    assert error_summary(page.get_data(as_text=True)) == [
        "The review request on Monday 1 June 2026 was after the time limit ended on Thursday 14 May 2026"
    ]
    assert row_counts(sqlite_db) == before


def test_an_appeal_after_five_pm_on_the_last_day_is_refused_on_the_form_and_a_time_must_be_a_time(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    case_id = list_pub(sqlite_db, world)
    when = datetime(2026, 4, 1, 10, tzinfo=UTC)
    apply_transition(sqlite_db, case_id, "request_review", world.owner, {"review_request_received_on": "2026-04-01"},
                     now=when)  # fmt: skip
    review = {"review_decided_on": "2026-04-20", "review_decision_sent_on": "2026-04-20", "reasons": "Stands"}
    apply_transition(sqlite_db, case_id, "uphold_listing", world.reviewer, review, now=when + timedelta(days=19))
    reference = case_summary(sqlite_db, case_id).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    before = row_counts(sqlite_db)
    appeal = {
        "version": case_summary(sqlite_db, case_id).version,
        "appeal_lodged_on": ["18", "5", "2026"],
        "notice_of_appeal_received_on": ["19", "5", "2026"],
    }

    late = client.post(f"/officer/cases/{reference}/actions/appeal", data={**appeal, "appeal_lodged_at": "17:30"})
    assert error_summary(late.get_data(as_text=True)) == [
        "The appeal was received at 17:30 on the last day, Monday 18 May 2026: the time limit ended at 17:00 that day"
    ]
    garbled = client.post(f"/officer/cases/{reference}/actions/appeal", data={**appeal, "appeal_lodged_at": "5pm"})
    assert error_summary(garbled.get_data(as_text=True)) == [
        "The time the Tribunal received the appeal must be a time on the 24-hour clock, like 16:30"
    ]
    assert row_counts(sqlite_db) == before
    client.post(f"/officer/cases/{reference}/actions/appeal", data={**appeal, "appeal_lodged_at": "16:40"})
    assert case_summary(sqlite_db, case_id).state == "appeal_pending"
