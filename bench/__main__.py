"""`make bench`: every benchmark, each as a ratio to its baseline measured in the same run, against its target.

python -m bench [--quick]   (--quick: 10^5 cases only for B3-q, for a fast look)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench import due, micro, transitions
from bench.harness import Result, environment, save

WORKDIR = Path(__file__).resolve().parents[1] / "var" / "bench"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="skip the 10^6-case data set")
    args = parser.parse_args()
    WORKDIR.mkdir(parents=True, exist_ok=True)
    env = environment()
    print(f"casework benchmarks on {env['cpu']} ({env['cores']} cores), Python {env['python']}, "
          f"SQLite {env['sqlite']}, SQLAlchemy {env['packages']['sqlalchemy']}")  # fmt: skip
    started = time.monotonic()
    results: list[Result] = []
    steps = [
        ("B2", lambda: [micro.b2_trigger()]),
        ("B6", lambda: [micro.b6_memory()]),
        ("B1-C", lambda: [transitions.sqlite_cheap(WORKDIR)]),
        ("B1-D sqlite", lambda: [transitions.sqlite_durable(WORKDIR)]),
        ("B1-D postgres", lambda: [r for r in (transitions.postgres(),) if r is not None]),
        ("B3-q", lambda: due.b3(WORKDIR, (100_000,) if args.quick else (100_000, 1_000_000))),
    ]
    for name, step in steps:
        print(f"{name} ...", flush=True)
        for result in step():
            results.append(result)
            print(result.line(), flush=True)
    path = save(results, {"seconds": round(time.monotonic() - started, 1)})
    print()
    print("Summary (ratio = ours / baseline, time per operation; lower is better)")
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
