"""A definition's consistency checks: every state, trigger, rule and date field a process names must exist.

Run when a Definition is built, so a typo in a state name fails at import time and not in front of an officer.
workflows.definition calls `refuse_inconsistent`; the checks read a definition through the protocols below rather
than its classes, so the import runs one way only (a circle would tie the two modules together).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol

from workflows.errors import InvalidDefinition


class TransitionLike(Protocol):
    """What the checks read of a transition."""

    @property
    def trigger(self) -> str: ...

    @property
    def sources(self) -> tuple[str, ...]: ...

    @property
    def dest(self) -> str: ...

    @property
    def reflexive(self) -> bool: ...


class StateLike(Protocol):
    """What the checks read of a state."""

    @property
    def id(self) -> str: ...

    @property
    def terminal(self) -> bool: ...

    @property
    def dormant(self) -> bool: ...


class TimerLike(Protocol):
    """What the checks read of a timer."""

    @property
    def name(self) -> str: ...

    @property
    def active_in(self) -> frozenset[str]: ...

    @property
    def runs(self) -> tuple[tuple[str, str], ...]: ...

    @property
    def on_expiry(self) -> str | None: ...

    @property
    def armed_by(self) -> frozenset[str]: ...


class DefinitionLike(Protocol):
    """What the checks read of a definition."""

    @property
    def name(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def initial(self) -> str: ...

    @property
    def states(self) -> Sequence[StateLike]: ...

    @property
    def transitions(self) -> Sequence[TransitionLike]: ...

    @property
    def timers(self) -> Sequence[TimerLike]: ...

    @property
    def triggers(self) -> frozenset[str]: ...

    def knows_rule(self, rule: str) -> bool: ...

    def date_fields(self) -> frozenset[str]: ...


def refuse_inconsistent(defn: DefinitionLike) -> None:
    """Refuse a definition that names a state, trigger, rule or field that does not exist."""
    states = {state.id: state for state in defn.states}
    problems = [] if defn.initial in states else [f"initial state {defn.initial!r} is not a state"]
    problems += transition_problems(defn.transitions, states)
    for timer in defn.timers:
        problems += timer_problems(defn, timer, states)
    problems += dormant_problems(defn)
    if problems:
        raise InvalidDefinition(f"{defn.name} v{defn.version}: " + "; ".join(problems))


def transition_problems(transitions: Sequence[TransitionLike], states: dict[str, StateLike]) -> list[str]:
    """Unknown sources and destinations, two transitions leaving one state on one trigger, a terminal state left."""
    problems: list[str] = []
    seen: set[tuple[str, str]] = set()
    for t in transitions:
        problems += [f"{t.trigger}: unknown source {s!r}" for s in t.sources if s not in states]
        if not t.reflexive and t.dest not in states:
            problems.append(f"{t.trigger}: unknown destination {t.dest!r}")
        for source in t.sources:
            if (source, t.trigger) in seen:
                problems.append(f"{t.trigger}: two transitions leave {source!r}")
            seen.add((source, t.trigger))
        if any(states[s].terminal for s in t.sources if s in states):
            problems.append(f"{t.trigger}: leaves a terminal state")
    return problems


def timer_problems(defn: DefinitionLike, timer: TimerLike, states: Collection[str]) -> list[str]:
    """A timer active in an unknown state, running under an unknown rule or from an unknown date, or firing an
    unknown trigger."""
    problems = [f"timer {timer.name}: unknown state {s!r}" for s in timer.active_in if s not in states]
    for rule, start in timer.runs:
        if not defn.knows_rule(rule):
            problems.append(f"timer {timer.name}: unknown rule {rule!r}")
        if start not in defn.date_fields():
            problems.append(f"timer {timer.name}: no date field called {start!r}")
    if timer.on_expiry and timer.on_expiry not in defn.triggers:
        problems.append(f"timer {timer.name}: unknown trigger {timer.on_expiry!r}")
    problems += [f"timer {timer.name}: unknown trigger {t!r}" for t in timer.armed_by if t not in defn.triggers]
    return problems


def dormant_problems(defn: DefinitionLike) -> list[str]:
    """A dormant state must be able to reopen (not terminal) and wait on nothing (no timer runs in it)."""
    timed = {state for timer in defn.timers for state in timer.active_in}
    return [
        f"state {state.id!r}: a dormant state is neither terminal nor waits on a timer"
        for state in defn.states
        if state.dormant and (state.terminal or state.id in timed)
    ]
