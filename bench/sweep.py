"""B3-fire: the deadline sweep draining 10^4 due deadlines, against the same transitions applied one by one.

Why: the sweep exists so that thousands of statutory deadlines falling due at
once (a bank-holiday weekend, a worker that was down) are fired in batches,
one transaction and one commit per `batch_size` deadlines, instead of paying a
durable commit per deadline. PERFORMANCE.md §6.1 asks it to be at least as fast
as the engine's own one-transition-per-transaction path (B1-D), ideally 3x.

Ours: `deadlines.sweep(db, now=..., batch_size=200)` over moratorium cases in
their interim moratorium, each with one due `interim_end` deadline whose expiry
fires `interim_ends` (a real transition: new state, deadlines armed, audit
event, outbox rows, register). The due deadlines are spaced one second apart,
so each round's `now` makes exactly the next `ops` of them due: over the rounds
the sweep drains the whole 10^4. Baseline: `apply_transition(..., "interim_ends",
SYSTEM)` on identical cases, each in its own transaction (B1-D). Both run on the
same durable database (SQLite WAL with synchronous=FULL; PostgreSQL with
synchronous_commit=on), interleaved. The data is bulk inserted with Core
`executemany`, not through the ORM.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.harness import Result, interleaved, postgres_database, summarise, timed
from casework.actors import SYSTEM
from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.models import Case, Deadline
from casework.services import councils, deadlines
from casework.services.case_transitions import apply_transition

T0 = datetime(2026, 6, 1, 0, tzinfo=UTC)  # the first due deadline; the n-th falls due n seconds later
NOTICE = date(2026, 4, 20)  # the owner's notice: the interim moratorium ends on 31 May 2026
BATCH = 200  # the worker's default batch size
BASELINE_SHARE = 4  # the baseline times one transition in four: its cost per transition is flat


class Drain:
    """Moratorium cases in their interim moratorium: a stock due for the sweep, another for the baseline."""

    def __init__(self, db: Database) -> None:
        self.db = db
        upgrade_to_head(db)
        self.council_id = councils.create_council(db, "BEN", "Benchmark Council")
        self._serial = 0
        self._due = 0  # deadlines made due so far, in fires_at order
        self._swept = 0

    def cases(self, n: int, *, first_due: datetime, spacing: timedelta) -> list[uuid.UUID]:
        """n cases, each with its interim_end deadline pending, due at first_due + i * spacing."""
        case_rows: list[dict[str, Any]] = []
        deadline_rows: list[dict[str, Any]] = []
        ids: list[uuid.UUID] = []
        for i in range(n):
            self._serial += 1
            case_id = uuid.uuid4()
            ids.append(case_id)
            case_rows.append({
                "id": case_id, "council_id": self.council_id, "reference": f"BEN-MOR-{self._serial:07d}",
                "workflow": "moratorium", "workflow_version": 1, "state": "interim_moratorium", "version": 1,
                "facts": {"notice_received_on": NOTICE.isoformat(), "disposal_type": "freehold"},
                "created_at": T0 - timedelta(days=40), "state_changed_at": T0 - timedelta(days=40),
            })  # fmt: skip
            deadline_rows.append({
                "id": uuid.uuid4(), "case_id": case_id, "council_id": self.council_id, "timer": "interim_end",
                "rule": "moratorium.interim", "start_date": NOTICE, "due_date": date(2026, 5, 31),
                "fires_at": first_due + i * spacing, "basis": "LA 2011 s.95(3)(a)",
                "explanation": ["6 weeks beginning with 20 April 2026"], "expiry_kind": "fire",
                "on_expiry": "interim_ends", "status": "pending", "attempts": 0, "created_at": T0 - timedelta(days=40),
            })  # fmt: skip
        with self.db.engine.begin() as connection:
            for start in range(0, n, 5000):
                connection.execute(insert(Case), case_rows[start : start + 5000])
                connection.execute(insert(Deadline), deadline_rows[start : start + 5000])
        return ids

    def sweep(self, n: int) -> float:
        """Let the next n deadlines fall due and sweep them; the seconds taken."""
        self._due += n
        now = T0 + timedelta(seconds=self._due - 1)

        def run() -> None:
            report = deadlines.sweep(self.db, now=now, batch_size=BATCH)
            if report.fired != n or report.failed or report.skipped:
                raise RuntimeError(f"the sweep did not fire the {n} due deadlines: {report}")
            self._swept += report.fired

        return timed(run)

    @property
    def swept(self) -> int:
        return self._swept


def one_by_one(drain: Drain, stock: Iterator[uuid.UUID]) -> Any:
    def run(n: int) -> float:
        ids = [next(stock) for _ in range(max(1, n // BASELINE_SHARE))]
        took = timed(lambda: [apply_transition(drain.db, i, "interim_ends", SYSTEM, now=T0) for i in ids])
        return took * n / len(ids)

    return run


def b3_fire(db: Database, result_id: str, what: str, *, due: int, rounds: int = 8) -> Result:
    """Drain `due` deadlines over `rounds` interleaved rounds (plus a warm-up of a tenth of a round)."""
    drain = Drain(db)
    ops = due // rounds
    warm = max(1, ops // 10)
    drain.cases(warm + ops * rounds, first_due=T0, spacing=timedelta(seconds=1))
    baseline_total = (warm + ops * rounds) // BASELINE_SHARE + rounds + 1
    stock = iter(drain.cases(baseline_total, first_due=T0 + timedelta(days=400), spacing=timedelta(0)))
    ours_t, base_t = interleaved(drain.sweep, one_by_one(drain, stock), ops=ops, rounds=rounds)
    ratio, spread, ours_us, base_us = summarise(ours_t, base_t)
    speedup = 1 / ratio
    notes = {
        "deadlines_swept": drain.swept,
        "batch_size": BATCH,
        "ops_per_round": ops,
        "rounds": rounds,
        "baseline_transitions_timed": f"1 in {BASELINE_SHARE}",
        "speedup": round(speedup, 2),
        "sweep_per_second": round(1e6 / ours_us),
        "drain_seconds_for_10k": round(ours_us * 10_000 / 1e6, 1),
    }
    return Result(
        result_id, f"{what}: sweep of {drain.swept:,} due deadlines vs apply_transition one by one",
        ratio, (spread[0], spread[1]), ours_us, base_us, ">= 3x faster (ratio <= 0.33); 10^4 in <= 60 s",
        speedup >= 3 and ours_us * 10_000 / 1e6 <= 60, notes,
    )  # fmt: skip


def sqlite_durable(workdir: Path, *, due: int = 10_000) -> Result:
    path = workdir / "b3-fire.db"
    for leftover in workdir.glob(path.name + "*"):
        leftover.unlink()
    db = Database(f"sqlite:///{path}")
    try:
        return b3_fire(db, "B3-fire sqlite", "durable SQLite (WAL, synchronous=FULL)", due=due)
    finally:
        db.dispose()


def postgres(*, due: int = 10_000) -> Result | None:
    db = postgres_database("sweep")
    if db is None:
        return None
    try:
        return b3_fire(db, "B3-fire postgres", "PostgreSQL (synchronous_commit=on)", due=due)
    finally:
        db.dispose()
