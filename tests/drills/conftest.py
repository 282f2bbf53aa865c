"""The drills: slow reliability and security exercises that report figures (`make drills`).

They are collected only when CASEWORK_DRILLS=1 (the Makefile sets it), so `make test` never runs
them. Each drill records what it measured with the `figures` fixture; the table of every figure,
its target and whether it held is printed at the end of the run and written to
`var/drills/latest.json`, which is where the README's figures come from.
"""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

RESULTS = Path("var/drills/latest.json")


@dataclass(frozen=True)
class Figure:
    drill: str
    measure: str
    value: str
    target: str
    met: bool


class Figures:
    """What the drills measured, in the order they measured it."""

    def __init__(self) -> None:
        self.rows: list[Figure] = []

    def record(self, drill: str, measure: str, value: object, target: str, met: bool) -> None:
        self.rows.append(Figure(drill, measure, str(value), target, bool(met)))


_FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Figures:
    return _FIGURES


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/drills/" in item.nodeid:
            item.add_marker(pytest.mark.drill)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    rows = _FIGURES.rows
    if not rows:
        return
    terminalreporter.section("drill figures")
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("drill", "measure", "value", "target")]
    for row in rows:
        cells = (row.drill, row.measure, row.value, row.target)
        line = "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
        terminalreporter.write_line(f"{line}  {'met' if row.met else 'NOT MET'}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "python": platform.python_version(),
                "machine": platform.machine(),
                "figures": [asdict(row) for row in rows],
            },
            indent=2,
        )
    )
    terminalreporter.write_line(f"written to {RESULTS}")
