"""An import-linter contract type the built-in ones lack: a package may import only what is listed.

`forbidden` names what may not be imported, so a package it forgets is allowed; this names what may be,
so `workflows` stays on the standard library, transitions and holidays until someone decides otherwise
(ARCHITECTURE.md §2). Registered in pyproject.toml under [tool.importlinter] contract_types.
"""

from __future__ import annotations

import sys
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

STANDARD_LIBRARY = frozenset(sys.stdlib_module_names) | {"__future__"}


class AllowedImportsContract(Contract):
    """Every module of `source_modules` imports only itself, the standard library and `allowed_modules`.

    Configuration options:
        - source_modules:  the packages whose imports are checked (their own modules may import each other).
        - allowed_modules: top-level packages they may also import, besides the standard library.
    """

    type_name = "allowed_imports"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    allowed_modules = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        sources = [module.name for module in self.source_modules]  # type: ignore[attr-defined]
        allowed = STANDARD_LIBRARY | set(self.allowed_modules)  # type: ignore[arg-type]
        illegal: list[dict[str, Any]] = []
        for source in sources:
            for importer in sorted({source, *graph.find_descendants(source)}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    if _within(imported, sources) or imported.split(".")[0] in allowed:
                        continue
                    details = graph.get_import_details(importer=importer, imported=imported)
                    lines = tuple(detail["line_number"] for detail in details)
                    illegal.append({"importer": importer, "imported": imported, "line_numbers": lines})
                    output.verbose_print(verbose, f"{importer} imports {imported}, which is not allowed")
        return ContractCheck(kept=not illegal, metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        allowed = ", ".join(sorted(self.allowed_modules))  # type: ignore[call-overload]
        output.print_error(f"Only the standard library and {allowed} may be imported:", bold=False)
        output.new_line()
        for link in check.metadata["illegal"]:
            lines = ", ".join(str(number) for number in link["line_numbers"])
            output.print_error(f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False)
        output.new_line()


def _within(module: str, packages: list[str]) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)
