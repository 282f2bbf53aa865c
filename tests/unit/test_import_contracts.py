"""The allowlist contract that keeps `workflows` pure refuses any import it does not name, installed or not."""

from __future__ import annotations

import tomllib
from pathlib import Path

from grimp import ImportGraph

from tests.import_contracts import AllowedImportsContract

PYPROJECT = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
SETTINGS = PYPROJECT["tool"]["importlinter"]


def _workflows_contract() -> AllowedImportsContract:
    [options] = [c for c in SETTINGS["contracts"] if c["name"].startswith("workflows is pure")]
    options = {key: value for key, value in options.items() if key not in ("name", "type")}
    return AllowedImportsContract("workflows is pure", {"root_packages": SETTINGS["root_packages"]}, options)


def _graph(*imports: tuple[str, str]) -> ImportGraph:
    graph = ImportGraph()
    for module in ("workflows", "workflows.machines", "workflows.periods", "workflows.periods.compute"):
        graph.add_module(module)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=7, line_contents=f"import {imported}")
    return graph


def test_workflows_may_import_itself_the_standard_library_transitions_and_holidays() -> None:
    graph = _graph(
        ("workflows.machines", "workflows.periods.compute"),
        ("workflows.machines", "transitions"),
        ("workflows.periods.compute", "holidays"),
        ("workflows.periods", "zoneinfo"),
        ("workflows", "__future__"),
    )
    assert _workflows_contract().check(graph, verbose=False).kept


def test_any_other_import_breaks_the_contract_with_the_module_and_line_named() -> None:
    graph = _graph(
        ("workflows.machines", "transitions"),
        ("workflows.periods.compute", "dateutil"),  # a package no blocklist ever named
        ("workflows.machines", "casework.clock"),  # a layer above
    )
    check = _workflows_contract().check(graph, verbose=False)
    assert not check.kept
    assert check.metadata["illegal"] == [
        {"importer": "workflows.machines", "imported": "casework.clock", "line_numbers": (7,)},
        {"importer": "workflows.periods.compute", "imported": "dateutil", "line_numbers": (7,)},
    ]


def test_the_contract_is_the_one_lint_imports_runs_for_workflows() -> None:
    assert "allowed_imports: tests.import_contracts.AllowedImportsContract" in SETTINGS["contract_types"]
    contract = _workflows_contract()
    assert sorted(contract.allowed_modules) == ["holidays", "transitions"]  # type: ignore[call-overload]
