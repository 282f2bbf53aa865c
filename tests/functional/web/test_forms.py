"""Forms: bad input shows the GOV.UK error summary and keeps what was typed; CSRF and rate limits hold;
a refused action writes nothing and says why; a stale page is refused clearly."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries import case_summary
from casework.services import accounts, nominations
from casework.services.case_transitions import apply_transition
from tests.factories import list_pub, make_world, nominate_pub, pub_nomination
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
        "Select what you are here to do",
        "The passwords do not match",
    ]
    assert "<title>Error: Create an account" in html
    assert 'value="Ann &lt;b&gt;Jones&lt;/b&gt;"' in html  # kept, and escaped
    assert 'value="not-an-email"' in html


def test_a_short_password_is_refused_by_the_service_and_shown_on_its_field(client: FlaskClient) -> None:
    page = client.post(
        "/account/create",
        data={"name": "Ann", "email": "ann@example.org", "purpose": "owner", "password": "short", "confirm": "short"},
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
                "purpose": "community",
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
                "purpose": "community",
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


def test_the_second_officer_to_send_the_same_action_is_told_the_case_changed_not_page_not_found(
    client: FlaskClient, sqlite_db: Database
) -> None:
    """Two officers open the same case and both press "Start considering": the winner's action moves the case on,
    so the action has gone by the time the loser's form arrives (issue 18: this was a 404)."""
    world = make_world(sqlite_db)
    case_id = nominate_pub(sqlite_db, world)
    reference = case_summary(sqlite_db, case_id).reference
    seen = case_summary(sqlite_db, case_id).version
    sign_in_as(client, sqlite_db, world.other_officer.user_id, "officer:BDC")
    assert client.post(f"/officer/cases/{reference}/actions/consider", data={"version": seen}).status_code == 302
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    lost = client.post(f"/officer/cases/{reference}/actions/consider", data={"version": seen})
    assert lost.status_code == 302 and lost.headers["Location"].endswith(f"/officer/cases/{reference}")
    page = client.get(lost.headers["Location"])
    assert f"Case {reference} was changed by someone else after you opened it" in page.get_data(as_text=True)
    assert case_summary(sqlite_db, case_id).version == seen + 1
    assert client.get(f"/officer/cases/{reference}/actions/consider").status_code == 404  # a link, not a race


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
        (
            "The review request on Monday 1 June 2026 was after the time limit ended on Thursday 14 May 2026 "
            "(LA 2011 s.92(2)(b); ACV Regs Sch.2 para.1)"
        )
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
        (
            "The appeal was received at 17:30 on the last day, Monday 18 May 2026: the time limit ended at 17:00 "
            "that day (GRC Rules r.22(1)(b), r.12(1))"
        )
    ]
    garbled = client.post(f"/officer/cases/{reference}/actions/appeal", data={**appeal, "appeal_lodged_at": "5pm"})
    assert error_summary(garbled.get_data(as_text=True)) == [
        "The time the Tribunal received the appeal must be a time on the 24-hour clock, like 16:30"
    ]
    assert row_counts(sqlite_db) == before
    client.post(f"/officer/cases/{reference}/actions/appeal", data={**appeal, "appeal_lodged_at": "16:40"})
    assert case_summary(sqlite_db, case_id).state == "appeal_pending"


@pytest.mark.parametrize("version", [None, "", "seven", "0"], ids=["left out", "empty", "not a number", "zero"])
def test_an_action_without_the_version_the_page_showed_is_refused_and_writes_nothing(
    client: FlaskClient, sqlite_db: Database, version: str | None
) -> None:
    world = make_world(sqlite_db)
    case_id = nominate_pub(sqlite_db, world)
    reference = case_summary(sqlite_db, case_id).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    before = row_counts(sqlite_db)

    page = client.post(
        f"/officer/cases/{reference}/actions/consider", data={} if version is None else {"version": version}
    )

    html = page.get_data(as_text=True)
    assert error_summary(html) == [
        "Reload the case and try again: the form did not say which version of the case you were looking at"
    ]
    assert html.count('href="#submit_action"') == 1  # the summary links to the button, not to a hidden field
    assert case_summary(sqlite_db, case_id).state == "nomination_received"
    assert row_counts(sqlite_db) == before


def test_a_nomination_sent_from_a_check_page_without_its_version_is_not_sent(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    draft = nominations.save_draft(sqlite_db, world.member, world.council_id, world.group_id, pub_nomination())
    reference = case_summary(sqlite_db, draft).reference
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")

    page = client.post(f"/community/nominations/{reference}/check", data={})

    assert "the form did not say which version of the case" in page.get_data(as_text=True)
    assert case_summary(sqlite_db, draft).state == "draft"


def test_signing_in_with_an_unknown_email_takes_as_long_as_with_a_wrong_password(sqlite_db: Database) -> None:
    accounts.create_user(sqlite_db, "known@example.org", "Kim Known", password="the right password")

    def quickest_of_three(email: str) -> float:
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            assert accounts.authenticate(sqlite_db, email, "a wrong password") is None
            timings.append(time.perf_counter() - started)
        return min(timings)

    known, unknown = quickest_of_three("known@example.org"), quickest_of_three("nobody@example.org")

    assert unknown > known / 3, (known, unknown)  # both pay for argon2; skipping it is 20 times quicker


WTFORMS_WORDING = ("Field cannot be longer", "Not a valid", "not a valid choice", "This field is required", "Enter add")


def test_bad_answers_are_described_in_gov_uk_words_not_wtforms_defaults(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    pages = []
    pages.append(
        client.post(
            "/alerts",
            data={"email": "a@example.org", "council": "NOPE", "kind": "x", "postcode": "X" * 11, "radius_m": "far"},
        )
    )
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    pages.append(client.post(f"/officer/cases/{listing.reference}/notes", data={"text": ""}))
    pages.append(client.post(f"/officer/cases/{listing.reference}/owner", data={"email": "x@example.org", "kind": "x"}))
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    pages.append(client.post("/admin/users", data={"name": "N", "email": "n@example.org", "role": "mayor"}))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    notice = {"disposal_type": "sale", "lease_years": "ten", "vacant_possession": "maybe", "exemptions": ["zz"]}
    pages.append(client.post(f"/owner/land/{listing.asset_id}/notice", data=notice))

    summaries = [error_summary(page.get_data(as_text=True)) for page in pages]

    assert summaries[0] == [
        "Select the council",
        "Select what you want to hear about",
        "Enter a real postcode, like SW1A 1AA",
        "Select how far from the postcode",
    ]
    assert summaries[1] == ["Enter the note"]
    assert summaries[2] == ["Select whether they are the owner or the owner&#39;s agent"]
    assert summaries[3] == ["Select a role"]
    vacant = "Select yes or no: will the buyer or tenant get vacant possession"
    assert summaries[4] == ["Select what you want to do", "Enter a number", vacant, "Select an answer"]
    for summary in summaries:
        assert not [m for m in summary if any(phrase in m for phrase in WTFORMS_WORDING)], summary
