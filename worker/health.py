"""Health checks for the processes docker-compose runs.

`python -m worker.health beat SCHEDULE [--within SECONDS]` exits 0 if beat has
written its schedule file lately. Beat records when it last sent each task in
that file and writes it at least every few minutes while it runs (Celery's
`sync_every`, 3 minutes), so a file older than `--within` means beat has
stopped sending sweeps. The file may carry a suffix (`.db`, `.dat`...), as
Python's dbm module chooses.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def beat_wrote_lately(schedule: Path, within: float, *, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    written = [path.stat().st_mtime for path in schedule.parent.glob(f"{schedule.name}*") if path.is_file()]
    return bool(written) and now - max(written) <= within


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m worker.health")
    checks = parser.add_subparsers(dest="check", required=True)
    beat = checks.add_parser("beat", help="has beat written its schedule file lately?")
    beat.add_argument("schedule", type=Path)
    beat.add_argument("--within", type=float, default=600.0, help="seconds (default 600)")
    arguments = parser.parse_args(argv)
    if beat_wrote_lately(arguments.schedule, arguments.within):
        return 0
    sys.stderr.write(f"beat has not written {arguments.schedule} in the last {arguments.within:.0f} s\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
