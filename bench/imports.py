"""B7: loading a council's existing register, rows per second, beside the same rows inserted with executemany.

Ours: `register_import.import_register` on a generated register in the
dataset's columns (listed, expired and unsuccessful entries in turn, each
with a UPRN): the file parsed and every row checked, then an asset, a
listing case in its state with its two audit events, its register entry and
the deadlines and reminders its state arms, all in one transaction, on
PostgreSQL. Baseline: psycopg's `executemany` inserting the same rows' cells
into a table of their own, in one transaction: the floor any loader of these
rows stands on. Issue 16: 50,000 rows in under a minute.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from bench.harness import Result, postgres_database
from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.register import imports as register_import
from casework.register.files import read_table
from casework.services import councils

NOW = datetime(2026, 11, 22, 9, tzinfo=UTC)


def generated(count: int) -> bytes:
    lines = ["reference,name,address-text,decision,decision-date,date-listed,uprn,reasons"]
    for n in range(count):
        if n % 3 == 2:
            lines.append(f"GEN/{n},Place {n},{n} Long Road,not-listed,2024-03-01,,,Not of community value")
        else:
            year = 2023 if n % 3 == 0 else 2019
            lines.append(f"GEN/{n},Place {n},{n} Long Road,listed,{year}-05-02,{year}-05-02,{100000 + n},")
    return ("\n".join(lines) + "\n").encode()


def _ours(db: Database, data: bytes, code: str) -> float:
    councils.create_council(db, code, f"Council {code}", now=NOW)
    table = read_table(data, "register.csv")
    started = time.perf_counter()
    report = register_import.import_register(db, code, table, now=NOW)
    elapsed = time.perf_counter() - started
    assert report.loaded, report.file_problems or report.invalid[:3]
    return elapsed


def _baseline(db: Database, data: bytes) -> float:
    table = read_table(data, "register.csv")
    rows = [cells for _, cells in table.rows]
    columns = ", ".join(f"c{i} text" for i in range(len(table.headers)))
    marks = ", ".join(["%s"] * len(table.headers))
    with db.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS baseline_rows ({columns})")
        raw.commit()
        started = time.perf_counter()
        with raw.cursor() as cursor:
            cursor.executemany(f"INSERT INTO baseline_rows VALUES ({marks})", rows)
        raw.commit()
        return time.perf_counter() - started


def b7(*, rows: int = 50_000, rounds: int = 2) -> Result | None:
    db = postgres_database("import")
    if db is None:
        return None
    try:
        upgrade_to_head(db)
        data = generated(rows)
        ours_times, base_times = [], []
        for round_ in range(rounds):  # ABBA: baseline and ours alternate which goes first
            first, second = ("base", "ours") if round_ % 2 == 0 else ("ours", "base")
            for side in (first, second):
                if side == "base":
                    base_times.append(_baseline(db, data))
                else:
                    ours_times.append(_ours(db, data, f"I{round_}"))
    finally:
        db.dispose()
    ours, base = min(ours_times), min(base_times)
    ratio = ours / base
    per_second = rows / ours
    return Result(
        "B7", f"register import of {rows:,} rows on PostgreSQL: {per_second:,.0f} rows/s vs executemany "
        f"{rows / base:,.0f} rows/s (ratio = ours/baseline time, lower is better)",
        ratio, (min(ours_times) / max(base_times), max(ours_times) / min(base_times)),
        1e6 * ours / rows, 1e6 * base / rows, f"{rows:,} rows in <= 60 s (>= {rows / 60:,.0f} rows/s)",
        ours <= 60 * rows / 50_000,
        {"rows": rows, "ours_seconds": [round(t, 1) for t in ours_times],
         "baseline_seconds": [round(t, 2) for t in base_times], "rows_per_second": round(per_second)},
    )  # fmt: skip
