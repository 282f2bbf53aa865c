"""Officers' reports: what each table says, and the CSVs (always with their header, safe for a spreadsheet)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries import case_summary
from tests.factories import list_pub, make_world, owners_notice
from tests.functional.web.conftest import sign_in_as
from workflows import periods

pytestmark = pytest.mark.integration
T_NOTICE = date(2026, 4, 1)


def read_csv(client: FlaskClient, name: str) -> list[list[str]]:
    response = client.get(f"/officer/reports/{name}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("decisions", ["reference", "asset-name", "received", "due", "decided", "outcome", "within", "days-taken"]),
        ("open-moratoria", ["reference", "asset-name", "state-label", "notice-received", "interim-end", "full-end",
                            "protected-end", "groups"]),
        ("monthly", ["month", "nominations", "decisions", "within-eight-weeks", "listed", "unsuccessful", "notices",
                     "bidder-requests", "reviews"]),
    ],
)  # fmt: skip
def test_a_report_with_nothing_in_it_still_has_its_header_row(
    client: FlaskClient, sqlite_db: Database, name: str, header: list[str]
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    assert read_csv(client, name) == [header]


def test_the_reports_show_decisions_open_moratoria_and_monthly_figures(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = list_pub(sqlite_db, world)  # received 2 March 2026, decided 20 March: within the 8 weeks
    notice = owners_notice(sqlite_db, world, listing, received_on=T_NOTICE, now=datetime(2026, 4, 1, 12, tzinfo=UTC))
    cycle = case_summary(sqlite_db, notice).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    page = client.get("/officer/reports").get_data(as_text=True)
    decisions = read_csv(client, "decisions")
    moratoria = read_csv(client, "open-moratoria")
    monthly = read_csv(client, "monthly")

    reference = case_summary(sqlite_db, listing).reference
    assert decisions[1] == [reference, "The Bull", "2026-03-02", "2026-04-26", "2026-03-20", "Listed", "yes", "18"]
    interim, _, protected = periods.moratorium_timeline(T_NOTICE)
    assert moratoria[1] == [
        cycle,
        "The Bull",
        "Interim moratorium",
        "2026-04-01",
        interim.due.isoformat(),
        "",
        protected.due.isoformat(),
        "",
    ]
    assert ["2026-03", "1", "1", "1", "1", "0", "0", "0", "0"] in monthly
    assert ["2026-04", "0", "0", "0", "0", "0", "1", "0", "0"] in monthly
    assert "The Bull" in page and "1 of 1" in page


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_made_safe_in_report_csvs(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    list_pub(sqlite_db, world, name='=HYPERLINK("http://evil.example","Click")', uprn=None)
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")

    decisions = read_csv(client, "decisions")

    assert decisions[1][1] == '\'=HYPERLINK("http://evil.example","Click")'
