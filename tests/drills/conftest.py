"""The drills: slow reliability and security exercises that report figures.

Two paces. `make drills` (CASEWORK_DRILLS=1) runs each in full and reports its figures. Otherwise, in
`make test` and any plain pytest run, each runs a quick pass: a few rounds, examples or payloads of the same
drill (`pace` below), so a drill that no longer fits the product fails in the regular suite instead of going
stale. The quick pass never stops or restarts a server it did not start itself: it runs on the shared servers
in CI, next to the rest of the suite under xdist. Its Redis faults strike a throwaway redis-server of its own
(tests/drills/servers.py), and what would stop the machine's PostgreSQL, or reach PyPI, runs in full only.

Each drill records what it measured with the `figures` fixture as it goes. In full, every figure is written to
`var/drills/latest.json` the moment it is recorded (so a run that dies still leaves what it measured), and
the table of every figure, its target and whether it held is printed at the end of the run. At either pace a
failing drill prints its own figures with its failure.

The fault drills stop Redis and PostgreSQL; tests/drills/servers.py makes sure both come back, also
when the run is interrupted: at the end of the session and on SIGTERM or SIGINT.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import sys
from collections.abc import Generator, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import pytest

from casework.db import Database
from casework.migrate import upgrade_to_head
from tests.drills import databases, servers

RESULTS = Path("var/drills/latest.json")
FULL = os.environ.get("CASEWORK_DRILLS") == "1"  # make drills; otherwise the quick pass of make test


def pace(full: int, quick: int) -> int:
    """How many rounds, examples or versions a drill runs: in full, or in the quick pass."""
    return full if FULL else quick


@dataclass(frozen=True)
class Figure:
    drill: str
    measure: str
    value: str
    target: str
    met: bool


class Figures:
    """What the drills measured, in the order they measured it; recording a measure again replaces it."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], Figure] = {}
        self.by_test: dict[tuple[str, str], str] = {}
        self.current = ""  # the test running now
        self.started = datetime.now(UTC)

    def record(self, drill: str, measure: str, value: object, target: str, met: bool) -> None:
        self.rows[drill, measure] = Figure(drill, measure, str(value), target, bool(met))
        self.by_test[drill, measure] = self.current
        self.write(complete=False)

    def of_test(self, nodeid: str) -> list[Figure]:
        return [row for key, row in self.rows.items() if self.by_test[key] == nodeid]

    def write(self, *, complete: bool) -> None:
        if not FULL:  # the file is the record of full runs; a quick pass's figures go with its failures only
            return
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(
            json.dumps(
                {
                    "when": self.started.isoformat(timespec="seconds"),
                    "complete": complete,  # false: the run was still going (or died) when this was written
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "figures": [asdict(row) for row in self.rows.values()],
                },
                indent=2,
            )
        )


_FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Figures:
    return _FIGURES


@pytest.fixture(scope="session")
def _postgres() -> Iterator[Database]:
    """Instead of the regular tests' `<name>_<worker>`: a database of this run's own (tests/drills/databases.py),
    so no other test run on the same server can drop or empty it under a drill. `pg_db` empties it after each test."""
    url = databases.create("drills")
    database = Database(url.render_as_string(hide_password=False))
    upgrade_to_head(database)
    yield database
    database.dispose()
    databases.drop(url)


def table(rows: list[Figure]) -> list[str]:
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("drill", "measure", "value", "target")]
    lines = []
    for row in rows:
        cells = (row.drill, row.measure, row.value, row.target)
        line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        lines.append(f"{line}  {'met' if row.met else 'NOT MET'}")
    return lines


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/drills/" in item.nodeid:
            item.add_marker(pytest.mark.drill)


def _bring_servers_back(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGINT: start whatever a drill stopped, then stop the run as Ctrl-C would (figures still print)."""
    problems = servers.restore()
    if problems:
        sys.stderr.write("drills: could not start again: " + "; ".join(problems) + "\n")
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    if not FULL:  # the quick pass stops no server of the machine's; the suite's own handling of signals stands
        return
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _bring_servers_back)


def pytest_runtest_logstart(nodeid: str) -> None:
    _FIGURES.current = nodeid


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    rows = _FIGURES.of_test(item.nodeid)
    if report.failed and rows:  # what the drill had measured before it failed, printed with the failure
        report.sections.append(("drill figures", "\n".join(table(rows))))
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    problems = servers.restore()
    if problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        sys.stderr.write("drills: a server the drills stopped could not start again: " + "; ".join(problems) + "\n")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    rows = list(_FIGURES.rows.values())
    if not rows or not FULL:
        return
    terminalreporter.section("drill figures")
    for line in table(rows):
        terminalreporter.write_line(line)
    _FIGURES.write(complete=True)
    terminalreporter.write_line(f"written to {RESULTS}")
