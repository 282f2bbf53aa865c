"""Interleaved A/B timing: ours against a baseline doing the same work, in the same run, ratio of medians.

PERFORMANCE.md §6.0: ratios, not absolutes; ABBA order over several rounds;
report the median of per-round ratios with its spread, and the absolute
numbers only as a floor.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from casework.db import Database
from casework.migrate import current_revision, head_revision, upgrade_to_head

RESULTS = Path(__file__).parent / "results"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def kept(path: Path) -> bool:
    """Whether a data set is already built. A file kept from an older checkout is first brought up to the
    newest migration (its new indexes built once, with fresh statistics for the planner)."""
    if not path.exists():
        return False
    db = Database(f"sqlite:///{path}")
    try:
        if current_revision(db) != head_revision():
            print(f"bringing {path.name} up to the newest migration ...", flush=True)
            upgrade_to_head(db)
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
    finally:
        db.dispose()
    return True


def postgres_database(suffix: str) -> Database | None:
    """A fresh PostgreSQL database of the benchmark's own (TEST_DATABASE_URL's server), or None, saying why."""
    base = make_url(os.environ.get("TEST_DATABASE_URL", PG_DEFAULT))
    name = f"{base.database}_bench_{suffix}"
    try:
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:  # no PostgreSQL here: say so and go on with the rest
        print(f"PostgreSQL is not available ({type(exc).__name__}): its {suffix} benchmark runs without it")
        return None
    return Database(base.set(database=name).render_as_string(hide_password=False))


@dataclass
class Result:
    id: str
    what: str
    ratio: float  # ours / baseline in time per operation (higher is slower), or the reported measure
    spread: tuple[float, float]  # the ratio's interquartile range over the rounds
    ours_per_op_us: float
    baseline_per_op_us: float
    target: str
    met: bool
    notes: dict[str, Any] = field(default_factory=dict)

    def line(self) -> str:
        mark = "ok  " if self.met else "MISS"
        low, high = self.spread
        return (
            f"{mark} {self.id:14} {self.ratio:6.2f}x (IQR {low:.2f}-{high:.2f})  ours {self.ours_per_op_us:9.1f} us/op"
            f"  baseline {self.baseline_per_op_us:9.1f} us/op  target {self.target}  {self.what}"
        )


def interleaved(
    ours: Callable[[int], float], baseline: Callable[[int], float], *, ops: int, rounds: int = 7
) -> tuple[list[float], list[float]]:
    """Each callable does `ops` operations of its kind and returns the seconds taken; ABBA order per round."""
    ours(max(1, ops // 10))  # warm caches, statement caches and the machine
    baseline(max(1, ops // 10))
    ours_times, base_times = [], []
    for round_no in range(rounds):
        pair = (ours, baseline) if round_no % 2 == 0 else (baseline, ours)
        for fn in pair:
            gc.collect()
            took = fn(ops) / ops
            (ours_times if fn is ours else base_times).append(took)
    return ours_times, base_times


def summarise(ours_times: list[float], base_times: list[float]) -> tuple[float, tuple[float, float], float, float]:
    ratios = sorted(o / b for o, b in zip(ours_times, base_times, strict=True))
    quartiles = statistics.quantiles(ratios, n=4) if len(ratios) >= 2 else [ratios[0]] * 3
    return (
        statistics.median(ratios),
        (quartiles[0], quartiles[2]),
        statistics.median(ours_times) * 1e6,
        statistics.median(base_times) * 1e6,
    )


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter_ns()
    fn()
    return (time.perf_counter_ns() - start) / 1e9


def environment() -> dict[str, Any]:
    versions = {}
    for package in ("sqlalchemy", "transitions", "psycopg", "flask", "celery"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "packages": versions,
    }


def save(results: list[Result], extra: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "latest.json"
    path.write_text(
        json.dumps({"environment": environment(), **extra, "results": [asdict(r) for r in results]}, indent=2),
        encoding="utf-8",
    )
    return path
