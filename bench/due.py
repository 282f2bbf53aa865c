"""B3-q: the sweep's query for the first 500 due deadlines among 10^5 and 10^6 cases, against raw indexed SQL.

The data: N cases, each with one deadline; 1% due now, 5% due within a
week, the rest later, some already fired or cancelled. Built once with
executemany on the driver's connection (not the ORM) and kept under
var/bench/ for the next run.
"""

from __future__ import annotations

import random
import sqlite3
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Result, interleaved, kept, summarise, timed
from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.services.deadlines import _due

NOW = datetime(2026, 6, 1, 10, tzinfo=UTC)
CHUNK = 50_000


# The deadlines row both data-set builders write (B3-q here, B4 in bench.web), in the table's own column order.
INSERT_DEADLINES = (
    "INSERT INTO deadlines (id, case_id, council_id, timer, rule, start_date, due_date, fires_at, basis, "
    "explanation, expiry_kind, on_expiry, status, attempts, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def stored(value: datetime) -> str:
    """How SQLAlchemy's DateTime stores a UTC datetime on SQLite: the text both data-set builders write."""
    return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def progress(what: str, done: int, n: int, started: float) -> None:
    """One line, rewritten in place, for a data set being built: builds of 10^6 cases take a minute or two."""
    print(f"\r  building {what}: {done:>9,} ({done * 100 // n:3d}%) {time.monotonic() - started:5.1f}s",
          end="", flush=True)  # fmt: skip


def build(path: Path, n: int) -> None:
    """Cases and deadlines for n cases in a migrated SQLite file, with a progress line."""
    if kept(path):
        return
    partial = path.with_suffix(".building")
    partial.unlink(missing_ok=True)
    db = Database(f"sqlite:///{partial}")
    upgrade_to_head(db)
    db.dispose()
    connection = sqlite3.connect(partial, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")  # building only; the benchmark reads it with the product settings
    council = uuid.uuid4().hex
    connection.execute(
        "INSERT INTO councils (id, code, name, nation, recent_past_years, reminder_offsets, created_at) "
        "VALUES (?, 'BEN', 'Benchmark Council', 'england', 5, '{}', ?)",
        (council, stored(NOW)),
    )
    rng = random.Random(n)
    states = ["interim_moratorium"] * 5 + ["full_moratorium"] * 3 + ["owner_free"] * 2
    started = time.monotonic()
    for offset in range(0, n, CHUNK):
        cases, deadlines = [], []
        for i in range(offset, min(n, offset + CHUNK)):
            case_id = uuid.uuid4().hex
            cases.append((case_id, council, f"BEN-MOR-{i:07d}", "moratorium", 1, rng.choice(states), 1, "{}",
                          stored(NOW), stored(NOW)))  # fmt: skip
            roll = rng.random()
            if roll < 0.01:
                fires = NOW - timedelta(minutes=rng.randint(1, 600))  # due now
            elif roll < 0.06:
                fires = NOW + timedelta(hours=rng.randint(1, 24 * 7))  # due within a week
            else:
                fires = NOW + timedelta(days=rng.randint(8, 540))
            status = "pending" if roll < 0.9 else rng.choice(["fired", "cancelled"])
            deadlines.append((uuid.uuid4().hex, case_id, council, "interim_end", "moratorium.interim",
                              fires.date().isoformat(), fires.date().isoformat(), stored(fires),
                              "LA 2011 s.95(3)(a)", "[]", "fire", "interim_ends", status, 0,
                              stored(NOW)))  # fmt: skip
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO cases (id, council_id, reference, workflow, workflow_version, state, version, facts, "
            "created_at, state_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            cases,
        )
        connection.executemany(INSERT_DEADLINES, deadlines)
        connection.execute("COMMIT")
        progress(f"{n:,} cases", min(n, offset + CHUNK), n, started)
    print()
    connection.execute("ANALYZE")
    connection.close()
    partial.rename(path)


def measure(path: Path) -> tuple[list[float], list[float], int]:
    db = Database(f"sqlite:///{path}")
    raw = sqlite3.connect(path, isolation_level=None)
    sql = (
        "SELECT id, case_id, fires_at FROM deadlines WHERE status = 'pending' AND fires_at <= ? "
        "ORDER BY fires_at, id LIMIT 500"
    )
    found = 0

    def ours(n: int) -> float:
        nonlocal found

        def run() -> None:
            nonlocal found
            for _ in range(n):
                with db.reader() as session:
                    found = len(_due(session, NOW, None, 500))

        return timed(run)

    def one() -> None:  # the same work as ours: a read transaction around the query
        raw.execute("BEGIN")
        raw.execute(sql, (stored(NOW),)).fetchall()
        raw.execute("ROLLBACK")

    def baseline(n: int) -> float:
        return timed(lambda: [one() for _ in range(n)])

    try:
        ours_t, base_t = interleaved(ours, baseline, ops=20, rounds=7)
    finally:
        raw.close()
        db.dispose()
    return ours_t, base_t, found


def b3(workdir: Path, sizes: tuple[int, ...] = (100_000, 1_000_000)) -> list[Result]:
    results, medians = [], {}
    for n in sizes:
        path = workdir / f"due-{n}-v2.db"  # v2: datetimes stored as the product stores them
        build(path, n)
        ours_t, base_t, found = measure(path)
        ratio, spread, ours_us, base_us = summarise(ours_t, base_t)
        medians[n] = ours_us
        met = ratio <= 1.2 and (n < 1_000_000 or ours_us <= 20_000)
        results.append(Result(
            f"B3-q {n:,}", f"first 500 due deadlines among {n:,} cases (SQLite)", ratio, spread, ours_us, base_us,
            "<= 1.2x raw; <= 20 ms at 10^6", met, {"rows_returned": found},
        ))  # fmt: skip
    if len(sizes) == 2:
        small, large = sizes
        growth = medians[large] / medians[small]
        results.append(Result(
            "B3-q growth", f"T({large:,}) / T({small:,}) for the engine's query", growth, (growth, growth),
            medians[large], medians[small], "<= 1.5", growth <= 1.5,
        ))  # fmt: skip
    return results
