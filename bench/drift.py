"""B6 drift: does a long-lived worker's memory stay flat over many transitions?

Why: a worker runs for days (Celery recycles a child only after 10,000 tasks).
A leak per transition (an identity map that is never cleared, a machine that
keeps a reference to every case it moved, a growing statement cache) shows as
memory rising with the count, so PERFORMANCE.md §6.1 asks for RSS drift <= 5%
over 10^5 transitions after warm-up.

One process applies `apply_transition` (a compensation claim decided, as in B1)
again and again on commit-cheap SQLite (tmpfs, so the run is CPU-bound and
short), sampling RSS (/proc/self/statm) and tracemalloc's current total at ten
even points. The count is 10^5 if this machine can do them in about 90 s,
otherwise fewer, and the printed line says so. Growth is measured from the
first sample (after 1/10 of the run: warm-up) to the last and given per 10^4
transitions; the drift over 10^5 is extrapolated linearly from it.
"""

from __future__ import annotations

import gc
import os
import time
import tracemalloc
from pathlib import Path

from bench.harness import Result
from bench.transitions import DECISION, NOW, Fixture
from casework.db import Database
from casework.services.case_transitions import apply_transition

FULL = 100_000
BUDGET_SECONDS = 90.0
SAMPLES = 10


def rss_bytes() -> int:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE")


def b6_drift(workdir: Path, *, budget: float = BUDGET_SECONDS) -> Result:
    shm = Path("/dev/shm")  # noqa: S108 - a private, pid-named file, removed afterwards
    path = (shm if shm.is_dir() else workdir) / f"casework-b6-drift-{os.getpid()}.db"
    path.unlink(missing_ok=True)
    db = Database(f"sqlite:///{path}")
    try:
        fixture = Fixture(db)
        rate = _rate(db, fixture, traced=False)
        total = min(FULL, int(rate * budget * 0.75) // 1000 * 1000) or 1000
        samples = _run(db, fixture, total)
        traced_rate = _rate(db, fixture, traced=True)
        traced_total = max(1000, int(traced_rate * budget * 0.25) // 1000 * 1000)
        tracemalloc.start()
        traced = _run(db, fixture, traced_total)
        tracemalloc.stop()
    finally:
        db.dispose()
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink(missing_ok=True)
    (first_n, first_rss, _), (last_n, last_rss, _) = samples[0], samples[-1]
    rss_growth = (last_rss - first_rss) * 10_000 / (last_n - first_n)
    (t_first_n, _, first_traced), (t_last_n, _, last_traced) = traced[0], traced[-1]
    traced_growth = (last_traced - first_traced) * 10_000 / (t_last_n - t_first_n)
    drift_pct = rss_growth * 10 / first_rss * 100  # extrapolated to 10^5 transitions
    shortened = "" if total == FULL else f" (only {total:,}: at {rate:.0f}/s here 10^5 would take {FULL / rate:.0f} s)"
    return Result(
        "B6 drift", f"worker memory over {total:,} transitions{shortened}: RSS {first_rss / 2**20:.1f} -> "
        f"{last_rss / 2**20:.1f} MiB, traced {first_traced / 2**10:.0f} -> {last_traced / 2**10:.0f} KiB; "
        f"(tracemalloc over another {traced_total:,}); growth per 10^4: RSS {rss_growth / 2**10:+.0f} KiB, "
        f"traced {traced_growth / 2**10:+.0f} KiB",
        drift_pct, (drift_pct, drift_pct), rss_growth / 1024, traced_growth / 1024,
        "RSS drift <= 5% per 10^5 after warm-up (ratio column: % extrapolated)", drift_pct <= 5,
        {"transitions": total, "traced_transitions": traced_total, "rate_per_second": round(rate),
         "rss_kib": [(n, rss // 1024) for n, rss, _ in samples], "traced_kib": [(n, t // 1024) for n, _, t in traced],
         "note": "us/op columns are KiB per 10^4 transitions: RSS, then tracemalloc"},
    )  # fmt: skip


def _rate(db: Database, fixture: Fixture, *, traced: bool) -> float:
    """Transitions per second here, after a warm-up, with or without tracemalloc running."""
    probe = fixture.claims(400)
    if traced:
        tracemalloc.start()
    for case_id in probe[:100]:
        apply_transition(db, case_id, "decide", fixture.officer, DECISION, now=NOW)
    started = time.perf_counter()
    for case_id in probe[100:]:
        apply_transition(db, case_id, "decide", fixture.officer, DECISION, now=NOW)
    rate = 300 / (time.perf_counter() - started)
    if traced:
        tracemalloc.stop()
    return rate


def _run(db: Database, fixture: Fixture, total: int) -> list[tuple[int, int, int]]:
    """total transitions; (done, RSS bytes, traced bytes) at ten even points, the first after warm-up."""
    step = total // SAMPLES
    stock = fixture.claims(total)  # inserted before the first sample, so the data is not what grows
    gc.collect()
    samples = []
    for start in range(0, total, step):
        for case_id in stock[start : start + step]:
            apply_transition(db, case_id, "decide", fixture.officer, DECISION, now=NOW)
        gc.collect()
        traced = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
        samples.append((start + step, rss_bytes(), traced))
    return samples
