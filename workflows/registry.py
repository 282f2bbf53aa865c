"""Every workflow definition by name and version, each with its one shared machine.

A case pins (name, version). A new version of the law is a new definition
registered beside the old one; running cases move only by an explicit migration.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from workflows import acv_listing, asset_transfer, challenge, compensation, moratorium, scotland_atr
from workflows.definition import Definition
from workflows.errors import UnknownWorkflow
from workflows.machines import build_machine, forget_machine

_DEFINITIONS: dict[tuple[str, int], Definition] = {}


def register(defn: Definition) -> Definition:
    """Add a definition version and build its machine (once). Re-registering the same object is a no-op."""
    existing = _DEFINITIONS.get(defn.key)
    if existing is not None and existing is not defn:
        raise ValueError(f"{defn.name} version {defn.version} is already registered")
    _DEFINITIONS[defn.key] = defn
    build_machine(defn)
    return defn


@contextmanager
def registered(defn: Definition) -> Iterator[Definition]:
    """Register `defn` for the length of a block, then forget it and its machine.

    For a version that exists only in a test or a rehearsal: the law's versions are registered for good below.
    """
    register(defn)
    try:
        yield defn
    finally:
        _DEFINITIONS.pop(defn.key, None)
        forget_machine(defn.key)


def get(name: str, version: int | None = None) -> Definition:
    """A definition by name, at `version` or the latest; raises UnknownWorkflow."""
    if version is not None:
        try:
            return _DEFINITIONS[(name, version)]
        except KeyError:
            raise UnknownWorkflow(f"There is no version {version} of the workflow {name!r}") from None
    versions = [v for (n, v) in _DEFINITIONS if n == name]
    if not versions:
        known = ", ".join(sorted(names()))
        raise UnknownWorkflow(f"There is no workflow called {name!r}; the workflows are: {known}")
    return _DEFINITIONS[(name, max(versions))]


def in_force(name: str, on: date) -> Definition:
    """The newest version of `name` whose effective date is on or before `on`: what a new case starts under."""
    versions = [defn for (n, _), defn in _DEFINITIONS.items() if n == name and defn.effective_from <= on]
    if not versions:
        get(name)  # raises UnknownWorkflow for a name that does not exist at all
        raise UnknownWorkflow(f"No version of the workflow {name!r} was in force on {on.isoformat()}")
    return max(versions, key=lambda defn: defn.version)


def versions(name: str) -> list[Definition]:
    """Every registered version of `name`, oldest first: the cases of a process may run under any of them."""
    return [defn for (n, _), defn in sorted(_DEFINITIONS.items()) if n == name]


def names() -> set[str]:
    return {name for name, _ in _DEFINITIONS}


def all_definitions() -> list[Definition]:
    return [defn for _, defn in sorted(_DEFINITIONS.items())]


for _defn in (
    acv_listing.DEFINITION,
    moratorium.DEFINITION,
    compensation.DEFINITION,
    asset_transfer.DEFINITION,
    scotland_atr.DEFINITION,
    challenge.DEFINITION,
):
    register(_defn)
