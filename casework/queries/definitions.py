"""The workflow definitions as admins and officers see them: the processes, one version's states and
transitions with its Mermaid diagram, and what each period a council's policy sets is for."""

from __future__ import annotations

from dataclasses import dataclass

from workflows import registry
from workflows.definition import POLICY, Definition
from workflows.mermaid import to_mermaid
from workflows.policies import KINDS, OPTIONAL_PERIODS


@dataclass(frozen=True)
class DrawnDefinition:
    definition: Definition
    diagram: str  # Mermaid source of its state diagram


def all_definitions() -> list[Definition]:
    """Every version of every workflow, as the registry holds them."""
    return list(registry.all_definitions())


def processes() -> list[tuple[str, str]]:
    """(name, title) of each workflow version, for choosing a process."""
    return [(defn.name, defn.title) for defn in registry.all_definitions()]


def drawn(name: str, version: int) -> DrawnDefinition:
    """One version of a workflow with its diagram; an unknown name or version raises the registry's refusal."""
    defn = registry.get(name, version)
    return DrawnDefinition(defn, to_mermaid(defn))


def policy_stages(workflow: str) -> dict[str, str]:
    """Each period the policy sets, by key, with what it is for in the workflow (the timer that runs it)."""
    timers = {t.rule.removeprefix(POLICY): t.label for t in registry.get(workflow).timers if t.rule.startswith(POLICY)}
    keys = (*KINDS[workflow], *OPTIONAL_PERIODS[workflow])
    return {key: timers.get(key, key.replace("_", " ").capitalize()) for key in keys}
