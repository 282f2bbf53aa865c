"""The only place that reads the wall clock: services take `now` and default to this.

Tests and rehearsals can move every process's clock at once: with
CASEWORK_CLOCK_FILE naming a file that holds a number of seconds, that many
seconds are added to the wall clock (write a new number to jump, and time goes
on from there). Without the variable, as in production, the clock is the wall
clock and the file is never looked at.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from workflows.periods import LONDON

CLOCK_FILE = "CASEWORK_CLOCK_FILE"


class _Offset:
    """The offset in a clock file, read again only when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp: tuple[int, int, int] | None = None
        self.offset = timedelta(0)

    def get(self) -> timedelta:
        try:
            status = self.path.stat()
        except FileNotFoundError:
            return timedelta(0)
        stamp = (status.st_ino, status.st_mtime_ns, status.st_size)  # each write is a new file
        if stamp != self.stamp:
            text = self.path.read_text().strip()
            self.offset = timedelta(seconds=float(text)) if text else timedelta(0)
            self.stamp = stamp
        return self.offset


_offsets: dict[str, _Offset] = {}


def utcnow() -> datetime:
    now = datetime.now(UTC)
    path = os.environ.get(CLOCK_FILE)
    if not path:
        return now
    offset = _offsets.get(path)
    if offset is None:
        offset = _offsets[path] = _Offset(Path(path))
    return now + offset.get()


def set_offset_file(path: Path, moment: datetime) -> None:
    """Write `path` so that a process reading it through CASEWORK_CLOCK_FILE sees `moment` now, then time goes on."""
    offset = (moment - datetime.now(UTC)).total_seconds()
    scratch = path.with_name(path.name + ".new")
    scratch.write_text(f"{offset:.6f}\n")
    scratch.replace(path)  # readers see the old number or the new one, never half of one


def london_date(moment: datetime) -> date:
    """The calendar date in England at `moment`: statutory days are English days."""
    return moment.astimezone(LONDON).date()
