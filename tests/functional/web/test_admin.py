"""Council admins: giving staff access, the council's settings, and importing an existing register."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from casework.db import Database
from casework.models import Council, CouncilHoliday, RegisterEntry
from casework.register import jobs as register_jobs
from tests.factories import make_world
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_forms import error_summary
from tests.integration.test_register_import import ROWS, csv_text
from tests.integration.test_transitions import row_counts

pytestmark = pytest.mark.integration


def upload_dir(app: Flask) -> Path:
    return Path(app.extensions["casework_settings"].upload_dir)


def checked_files(app: Flask) -> list[Path]:
    return sorted(path for path in (upload_dir(app) / "imports").glob("**/*.*") if path.suffix != ".json")


def chosen_fields(html: str) -> dict[str, str]:
    """The mapping page's selects as the admin finds them: {select name: the option selected}."""
    fields = {}
    selects = re.findall(r'<select class="govuk-select" id="[^"]+" name="([^"]+)">(.*?)</select>', html, re.S)
    for name, options in selects:
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        fields[name] = selected.group(1) if selected else ""
    return fields


def upload(client: FlaskClient, data: bytes, filename: str = "register.csv", columns: bytes | None = None) -> str:
    """Upload a register; returns the mapping page it leads to."""
    form: dict[str, object] = {"file": (io.BytesIO(data), filename)}
    if columns is not None:
        form["columns"] = (io.BytesIO(columns), "column.csv")
    page = client.post("/admin/import", data=form, content_type="multipart/form-data")
    assert page.status_code == 302, page.get_data(as_text=True)
    return client.get(page.headers["Location"]).get_data(as_text=True)


def check(client: FlaskClient, text: str, changes: dict[str, str] | None = None) -> str:
    """Upload a CSV register, keep the mapping the page offers (with `changes`), and check every row."""
    mapping = upload(client, text.encode())
    action = re.search(r'<form method="post" action="(/admin/import/[0-9a-f]{32})"', mapping)
    assert action, mapping
    page = client.post(action.group(1), data={**chosen_fields(mapping), **(changes or {})})
    return page.get_data(as_text=True)


def upload_id(html: str) -> str:
    marker = 'name="upload_id" type="hidden" value="'
    assert marker in html, "no Load the register button"
    return html.split(marker, 1)[1][:32]


def test_an_invitation_with_bad_answers_shows_each_problem_and_writes_nothing(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    before = row_counts(sqlite_db)

    page = client.post("/admin/users", data={"name": "", "email": "not an email", "role": "mayor"})

    assert error_summary(page.get_data(as_text=True)) == [
        "Enter full name",
        "Enter an email address in the correct format, like name@example.com",
        "Select a role",
    ]
    assert row_counts(sqlite_db) == before


def test_an_admin_adds_and_removes_a_holiday_and_saves_neighbours_and_reminders(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    added = client.post("/admin/settings", data={"day": ["4", "1", "2027"], "name": "Jubilee", "add_holiday": "y"})
    listed = client.get("/admin/settings").get_data(as_text=True)
    removed = client.post("/admin/settings/holidays/2027-01-04/remove")
    removed_again = client.post("/admin/settings/holidays/2027-01-04/remove", follow_redirects=True)
    neighbours = client.post("/admin/settings", data={"neighbours": ["BDN"], "save_neighbours": "y"})
    reminders = client.post("/admin/settings", data={"moratorium__interim_end": "10, 3", "save_offsets": "y"})
    bad = client.post("/admin/settings", data={"moratorium__interim_end": "ten", "save_offsets": "y"})

    assert added.status_code == removed.status_code == neighbours.status_code == reminders.status_code == 302
    assert "Monday 4 January 2027: Jubilee" in listed
    assert "Monday 4 January 2027 is not a council holiday" in removed_again.get_data(as_text=True)
    with sqlite_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(CouncilHoliday)) == 0
    settings_page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="10, 3"' in settings_page
    assert bad.status_code == 400
    assert error_summary(bad.get_data(as_text=True)) == [
        (
            "Reminders for \u201cInterim moratorium ends\u201d (community right to bid: disposal moratorium) "
            "must be numbers of days separated by commas, like 14, 7, 1"
        )
    ]


def test_saving_the_nominations_decision_reminders_leaves_the_challenges_decision_reminders_alone(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    client.post("/admin/settings", data={"challenge__decision_due": "20, 5", "save_offsets": "y"})

    saved = client.post("/admin/settings", data={"acv_listing__decision_due": "21", "save_offsets": "y"})

    assert saved.status_code == 302
    page = client.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'name="acv_listing__decision_due" type="text"[^>]* value="21"', page)
    assert re.search(r'name="challenge__decision_due" type="text"[^>]* value="20, 5"', page)
    with sqlite_db.reader() as session:
        council = session.scalars(select(Council).where(Council.code == "BDC")).one()
        assert council.reminder_offsets == {"challenge__decision_due": [20, 5], "acv_listing__decision_due": [21]}


def test_the_settings_page_groups_reminders_by_process_and_names_a_bad_one_in_words_linking_to_it(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    page = client.get("/admin/settings").get_data(as_text=True)
    bad = client.post(
        "/admin/settings",
        data={"challenge__decision_due": "400", "acv_listing__decision_due": "14", "save_offsets": "y"},
    )

    legends = re.findall(r'<h3 class="govuk-fieldset__heading">([^<]+)</h3>', page)
    assert "Asset of community value: nomination and listing" in legends
    assert "Community right to challenge" in legends
    assert len(legends) == len(set(legends))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert re.findall(
        r'<a href="(#[^"]*)">([^<]+)</a>', html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    ) == [
        (
            "#challenge__decision_due",
            (
                "Reminders for \u201cDecision due (published maximum)\u201d (community right to challenge) "
                "must be between 1 and 365 days before the deadline"
            ),
        )
    ]
    assert 'value="400"' in html  # what was typed stays, to be corrected
    with sqlite_db.reader() as session:
        assert session.scalars(select(Council.reminder_offsets).where(Council.code == "BDC")).one() == {}


def test_checking_an_invalid_register_lists_every_bad_row_in_an_error_summary_and_offers_nothing_to_load(
    app: Flask, client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    page = check(client, csv_text([*ROWS, "ACV/2026/99,,No name,,maybe,,,,,,,,,,"]))

    assert "Nothing has been loaded" in page and "Load the register" not in page
    [problem] = error_summary(page)
    assert problem.startswith("Line 6: name is empty; decision")
    assert 'href="#line-6"' in page and 'id="line-6"' in page


def test_a_checked_register_is_loaded_by_the_admin_who_checked_it_and_nobody_else(
    app: Flask, client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    other = make_world(sqlite_db, code="XDC")
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    checked = upload_id(check(client, csv_text(ROWS)))
    [path] = checked_files(app)
    assert path.parent == upload_dir(app) / "imports" / str(world.council_id) / str(world.admin.user_id)

    sign_in_as(client, sqlite_db, other.admin.user_id, "council_admin:XDC")
    elsewhere = client.post("/admin/import/load", data={"upload_id": checked})
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    loaded = client.post("/admin/import/load", data={"upload_id": checked})
    again = client.post("/admin/import/load", data={"upload_id": checked})
    waiting = client.get(loaded.headers["Location"]).get_data(as_text=True)
    assert register_jobs.run_queued(sqlite_db) == 1  # what the worker's beat task does
    done = client.get(loaded.headers["Location"]).get_data(as_text=True)

    assert elsewhere.headers["Location"] == "/admin/import"  # nothing to load: check a file first
    assert loaded.headers["Location"].startswith("/admin/import/jobs/")
    assert f"Waiting for the worker to start: {len(ROWS)} listings to load." in waiting
    assert f"{len(ROWS)} entries loaded into the register." in done and "/register?council=BDC" in done
    with sqlite_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(RegisterEntry)) == len(ROWS)
    assert checked_files(app) == [] and again.headers["Location"] == "/admin/import"


def test_a_checked_file_nobody_loads_is_deleted_after_a_day(
    app: Flask, client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    upload_id(check(client, csv_text(ROWS)))
    [stale] = checked_files(app)
    a_day_ago = time.time() - 25 * 3600
    os.utime(stale, (a_day_ago, a_day_ago))

    fresh = upload_id(check(client, csv_text(ROWS)))

    assert [path.stem for path in checked_files(app)] == [fresh]


def test_a_councils_saved_mapping_is_offered_for_its_next_upload_and_downloads_as_column_csv(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    other = make_world(sqlite_db, code="XDC")
    register_jobs.save_mapping(sqlite_db, world.admin, {"Our Ref": "reference", "Remarks": "notes"})
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    page = upload(client, b"Our Ref,Name,Address,Status,Remarks\nA1,Pub,1 Lane,listed,Old\n")
    download = client.get("/admin/import/column.csv")
    sign_in_as(client, sqlite_db, other.admin.user_id, "council_admin:XDC")
    elsewhere = upload(client, b"Our Ref,Name,Address,Status,Remarks\nA1,Pub,1 Lane,listed,Old\n")

    assert chosen_fields(page) == {
        "field-0": "reference", "field-1": "name", "field-2": "address-text", "field-3": "decision", "field-4": "notes"
    }  # fmt: skip
    assert download.headers["Content-Disposition"] == 'attachment; filename="column.csv"'
    assert download.get_data(as_text=True).splitlines()[1:] == [
        "asset-of-community-value,,,Our Ref,reference,,,",
        "asset-of-community-value,,,Remarks,notes,,,",
    ]
    assert chosen_fields(elsewhere)["field-0"] == chosen_fields(elsewhere)["field-4"] == ""  # another council's
