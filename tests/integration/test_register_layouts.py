"""Councils' registers in their own layouts and formats load as listings with their cycles, all or nothing."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework.db import Database
from casework.models import Asset, Case, CaseEvent, Deadline, RegisterEntry, Reminder
from casework.queries import register_rows
from casework.register import imports as register_import
from casework.register import jobs as register_jobs
from casework.register.columns import guess, read_column_csv
from casework.register.files import read_table
from tests.factories import make_world
from tests.registers import (
    BOROUGH_COLUMN_CSV,
    BOROUGH_HEADERS,
    BOROUGH_ROWS,
    DISTRICT_HEADERS,
    DISTRICT_ROWS,
    as_csv,
    as_ods,
    as_xlsx,
    generated,
    with_reasons,
)

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)


def count(db: Database, model: type) -> int:
    with db.reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_boroughs_register_with_a_row_per_moratorium_loads_as_one_listing_with_its_cycles(db: Database) -> None:
    world = make_world(db)
    headers, rows = with_reasons(BOROUGH_HEADERS, BOROUGH_ROWS)
    table = read_table(as_xlsx(headers, rows), "register.xlsx")
    mapping = guess(table.headers, read_column_csv(BOROUGH_COLUMN_CSV))

    report = register_import.import_register(db, world.code, table, mapping=mapping, now=NOW)

    assert report.loaded and report.listings == 3
    entries = {row.reference: row for row in register_rows(db, world.code)}
    assert sorted(entries) == ["BORACV01", "BORACV02", "BORACV03"]
    elm = entries["BORACV02"]
    assert (elm.name, elm.address) == ("Elm Library", "2 Elm Road, London")
    assert (elm.notification_to_sell_date, elm.protected_end_date) == (date(2024, 1, 3), date(2025, 7, 2))
    assert entries["BORACV03"].list_kind == "unsuccessful"
    with db.reader() as session:
        facts = session.scalars(
            select(Case.facts).where(Case.facts["imported_reference"].as_string() == "BORACV02")
        ).one()
        crown = session.scalars(select(Asset.point).where(Asset.name == "The Crown")).one()
    assert [c["notice_received_on"] for c in facts["disposal_cycles"]] == ["2021-06-01", "2024-01-03"]
    assert [c["protected_end"] for c in facts["disposal_cycles"]] == ["2022-11-30", "2025-07-02"]
    assert facts["disposal_cycles"][0]["interested_group"] == "Elm Community Trust"
    assert crown == "POINT (-0.1409 51.5373)"


@pytest.mark.parametrize("kind", ["xlsx", "ods", "csv-windows-1252"])
def test_a_districts_spreadsheet_loads_in_each_format(db: Database, kind: str) -> None:
    world = make_world(db)
    data, name = {
        "xlsx": (as_xlsx(DISTRICT_HEADERS, DISTRICT_ROWS), "register.xlsx"),
        "ods": (as_ods(DISTRICT_HEADERS, DISTRICT_ROWS), "register.ods"),
        "csv-windows-1252": (as_csv(DISTRICT_HEADERS, DISTRICT_ROWS, "cp1252"), "register.csv"),
    }[kind]

    report = register_import.import_register(db, world.code, read_table(data, name), now=NOW)

    assert report.loaded
    entries = {row.reference: row for row in register_rows(db, world.code)}
    assert entries["DIS/2"].name == "Caf\u00e9 Royale" and entries["DIS/2"].entry_date == date(2024, 3, 4)
    assert entries["DIS/3"].list_kind == "unsuccessful" and entries["DIS/3"].reasons == "Private house"


def test_bad_rows_are_reported_with_their_line_numbers_and_nothing_loads(db: Database) -> None:
    world = make_world(db)
    headers, rows = with_reasons(BOROUGH_HEADERS, BOROUGH_ROWS)
    rows[3] = [*rows[3][:5], "31/02/2024", *rows[3][6:]]  # the unsuccessful row's decision date
    rows.append(["BORACV09", "", "", "", "Maybe", "", "", "", "", "", "", ""])
    table = read_table(as_csv(headers, rows), "register.csv")

    report = register_import.import_register(
        db, world.code, table, mapping=guess(table.headers, read_column_csv(BOROUGH_COLUMN_CSV)), now=NOW
    )

    assert not report.loaded
    assert {row.line: row.errors[0] for row in report.invalid} == {
        5: "decision-date '31/02/2024' is not a real date (use YYYY-MM-DD, DD/MM/YYYY or a date like 4 March 2024)",
        6: "name is empty",
    }
    assert count(db, RegisterEntry) == count(db, Case) == 0


def test_a_large_generated_register_loads_in_batches_counting_progress(db: Database) -> None:
    world = make_world(db)
    counted: list[int] = []

    report = register_import.import_register(
        db, world.code, read_table(generated(4500), "big.csv"), progress=counted.append, now=NOW
    )

    assert report.loaded and report.listings == 4500
    assert counted == [2000, 2000, 500] and count(db, RegisterEntry) == 4500
    states = dict(register_import_states(db))
    assert states == {"listed": 1500, "expired": 1500, "unsuccessful": 1500}


def register_import_states(db: Database) -> list[tuple[str, int]]:
    with db.reader() as session:
        stmt = select(Case.state, func.count()).group_by(Case.state)
        return [(state, int(n)) for state, n in session.execute(stmt)]


def test_a_listing_loaded_in_a_batch_has_the_clocks_and_trail_the_engine_gives_an_imported_case(db: Database) -> None:
    world = make_world(db)
    table = read_table(generated(3), "register.csv")  # GEN/0 listed in 2023 (running), GEN/1 expired, GEN/2 refused

    register_import.import_register(db, world.code, table, now=NOW)

    with db.reader() as session:
        listed = session.scalars(select(Case).where(Case.facts["imported_reference"].as_string() == "GEN/0")).one()
        deadlines = {d.timer: (d.due_date, d.status) for d in session.scalars(select(Deadline))}
        reminders = sorted(
            r.days_before for r in session.scalars(select(Reminder).where(Reminder.case_id == listed.id))
        )
        trail = [(e.seq, e.kind, e.to_state) for e in session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == listed.id).order_by(CaseEvent.seq)
        )]  # fmt: skip
    assert deadlines == {
        "listing_expiry": (date(2028, 5, 1), "pending"),  # 5 years beginning with the entry date (s.87(3))
        "unsuccessful_retention": (date(2029, 2, 28), "pending"),  # s.93(3)(a)
    }
    assert reminders == [30, 90]  # the workflow's reminder days before the listing ends
    assert trail == [(1, "opened", None), (2, "imported", "listed")]
    assert listed.reference == f"{world.code}-ACV-00001" and listed.state == "listed"


def test_on_sqlite_the_progress_page_sees_the_count_move_while_the_worker_loads(
    sqlite_db: Database, tmp_path: Path
) -> None:
    """SQLite's one writer is the load's own transaction; the admin's page must still see the count move."""
    world = make_world(sqlite_db)
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    upload = uploads / "register.csv"
    upload.write_bytes(generated(6500))
    table = read_table(upload.read_bytes(), upload.name)
    job_id = register_jobs.queue_import(sqlite_db, world.admin, upload, "register.csv", guess(table.headers), 6500)
    loading = threading.Thread(target=register_jobs.run_queued, args=(sqlite_db,), kwargs={"now": NOW})
    loading.start()
    seen: set[int] = set()
    while loading.is_alive():
        status = register_jobs.job_status(sqlite_db, world.admin, job_id)
        if status.status == "running":
            seen.add(status.done)
        time.sleep(0.01)
    loading.join()

    assert register_jobs.job_status(sqlite_db, world.admin, job_id).status == "loaded"
    assert {count for count in seen if 0 < count < 6500}, f"the page only ever saw {sorted(seen)}"
    assert not list(uploads.iterdir())  # the upload and its count are gone once loaded
