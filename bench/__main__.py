"""`make bench`: every benchmark, each as a ratio to its baseline measured in the same run, against its target.

python -m bench [--quick]   (--quick: no 10^6-case data set (B3-q and B4 at 10^5), 2,000 deadlines for B3-fire,
                              shorter B4, B5 and B6-drift runs: a fast look, not figures to quote)
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from bench import delivery, drift, due, imports, micro, sweep, transitions, web
from bench.harness import Result, environment, save

WORKDIR = Path(__file__).resolve().parents[1] / "var" / "bench"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="skip the 10^6-case data sets; shorter runs")
    args = parser.parse_args()
    if shutil.which("wrk") is None:  # B4's load generator: say so now, not after the benchmarks before it
        print("python -m bench: wrk is not installed (Debian's package wrk; `make bench` installs it as root)",
              file=sys.stderr)  # fmt: skip
        return 2
    WORKDIR.mkdir(parents=True, exist_ok=True)
    env = environment()
    print(f"casework benchmarks on {env['cpu']} ({env['cores']} cores), Python {env['python']}, "
          f"SQLite {env['sqlite']}, SQLAlchemy {env['packages']['sqlalchemy']}")  # fmt: skip
    started = time.monotonic()
    results: list[Result] = []
    due_now = 2_000 if args.quick else 10_000
    steps = [
        ("B2", lambda: [micro.b2_trigger()]),
        ("B6", lambda: [micro.b6_memory()]),
        ("B1-C", lambda: [transitions.sqlite_cheap(WORKDIR)]),
        ("B1-D sqlite", lambda: [transitions.sqlite_durable(WORKDIR)]),
        ("B1-D postgres", lambda: [r for r in (transitions.postgres(),) if r is not None]),
        ("B1-D pg x4", lambda: [r for r in (transitions.postgres_throughput(),) if r is not None]),
        ("B3-q", lambda: due.b3(WORKDIR, (100_000,) if args.quick else (100_000, 1_000_000))),
        ("B3-fire sqlite", lambda: [sweep.sqlite_durable(WORKDIR, due=due_now)]),
        ("B3-fire postgres", lambda: [r for r in (sweep.postgres(due=due_now),) if r is not None]),
        ("B4", lambda: web.b4(WORKDIR, n=100_000 if args.quick else 1_000_000, quick=args.quick)),
        ("B5", lambda: [r for r in (delivery.b5(WORKDIR, ops=100 if args.quick else 200),) if r is not None]),
        ("B6 drift", lambda: [drift.b6_drift(WORKDIR, budget=25 if args.quick else 90)]),
        ("B7", lambda: [r for r in (imports.b7(rows=5_000 if args.quick else 50_000),) if r is not None]),
    ]
    for name, step in steps:
        print(f"{name} ...", flush=True)
        for result in step():
            results.append(result)
            print(result.line(), flush=True)
    path = save(results, {"seconds": round(time.monotonic() - started, 1)})
    print()
    print(
        "Summary: ratio = ours / baseline in time per operation, lower is better, except where a line says it is "
        "a rate (requests or messages per second: higher is better) or a drift (per cent)"
    )
    for result in results:
        print(result.line())
    missed = [r.id for r in results if not r.met]
    print(f"\n{len(results) - len(missed)} of {len(results)} targets met in {time.monotonic() - started:.0f}s; "
          f"results in {path}")  # fmt: skip
    if missed:
        print("Missed: " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
