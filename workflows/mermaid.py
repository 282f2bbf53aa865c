"""Render a workflow definition as a Mermaid state diagram, for the README, the CLI and the web."""

from __future__ import annotations

from workflows.definition import SAME, Definition
from workflows.roles import Role


def to_mermaid(defn: Definition) -> str:
    """A `stateDiagram-v2` of every state, transition and timer; edges only the system fires are marked.

    Edges carry each transition's title ("List the asset"), which people read, not its trigger id.
    """
    lines = ["---", f'title: "{defn.title} (version {defn.version})"', "---", "stateDiagram-v2"]
    for state in defn.states:
        lines.append(f'    state "{state.label}" as {state.id}')
    lines.append(f"    [*] --> {defn.initial}")
    for transition in defn.transitions:
        by_system = transition.who == frozenset({Role.SYSTEM})
        label = _text(f"{transition.label} (automatic)" if by_system else transition.label)
        for source in transition.sources:
            dest = source if transition.dest == SAME else transition.dest
            lines.append(f"    {source} --> {dest}: {label}")
    for state in defn.states:
        if state.terminal:
            lines.append(f"    {state.id} --> [*]")
    for timer in defn.timers:
        first = sorted(timer.active_in)[0]
        action = {"fire": f"fires {timer.on_expiry}", "escalate": "escalates as overdue", "window": "window closes"}
        lines.append(f"    note right of {first}: {timer.label} ({timer.rule}) {action[timer.expiry_kind]}")
    return "\n".join(lines) + "\n"


def _text(words: str) -> str:
    """Words safe on a Mermaid edge label: `#`, `;` and a second `:` would end or break it, so they go as
    Mermaid's entity codes (drawn as the characters themselves)."""
    return words.replace("#", "#35;").replace(";", "#59;").replace(":", "#58;")
