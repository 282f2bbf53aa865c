"""No module of ours imports itself round a circle: the import graph grimp builds (as lint-imports does) is acyclic.

A circle means neither module can be read, changed or tested without the other; the last one (effects and the
transition writer calling each other back) went when effects began returning follow-on commands. A module importing
its own package (a blueprint's views taking `bp` from the package that imports them, as Flask documents, or a CLI
command taking its group) is not counted: that is one unit split over files, as an import-graph tool such as
pydeps counts it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import grimp

PACKAGES = ("casework", "workflows", "web", "worker")


def reachable(imports: Mapping[str, Iterable[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = list(imports.get(start, ()))
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(imports.get(module, ()))
    return seen


def circles(imports: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Each group of modules that import one another round a circle, sorted (a few hundred modules: brute force)."""
    reach = {module: reachable(imports, module) for module in imports}
    groups = {
        tuple(sorted({module} | {other for other in reach[module] if module in reach.get(other, ())}))
        for module in imports
        if module in reach[module]
    }
    return sorted(list(group) for group in groups)


def test_a_circle_of_two_modules_is_found_and_a_chain_is_not() -> None:
    assert circles({"a": ["b"], "b": ["a", "c"], "c": []}) == [["a", "b"]]
    assert circles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert circles({"a": ["b"], "b": ["c"], "c": []}) == []


def test_no_module_of_ours_imports_itself_round_a_circle() -> None:
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    ours = {module for module in graph.modules if module.split(".")[0] in PACKAGES}
    imports = {
        module: sorted(imported for imported in graph.find_modules_directly_imported_by(module) & ours
                       if not module.startswith(f"{imported}."))  # its own package
        for module in ours
    }  # fmt: skip
    assert circles(imports) == []
