"""The shared machines: one `transitions` Machine per definition version, and pure fire().

The Machine is built once when a definition is registered and never holds a
model: each call drives a throwaway token, so it is safe to share between
threads and cases (see the transitions FAQ on memory footprint).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from transitions import EventData, Machine, MachineError, State

from workflows.definition import Definition, GuardContext, Timer, Transition
from workflows.errors import (
    GuardFailed,
    RoleNotAllowed,
    TransitionNotAllowed,
    UnknownTrigger,
    cited,
)
from workflows.roles import Role

_machines: dict[tuple[str, int], Machine] = {}
machines_built = 0  # counted, so a benchmark can prove no machine is built per case or request


class _State(State):
    """A state of a definition: definitions attach no callbacks to entering or leaving a state, so the
    machine's per-state callback dispatch and its logging (a fifth of a trigger's cost) are skipped."""

    def enter(self, event_data: EventData) -> None:
        pass

    def exit(self, event_data: EventData) -> None:
        pass


class _Machine(Machine):
    state_cls = _State


class _Token:
    """Stand-in model: transitions reads and writes `.state` on it, nothing else."""

    __slots__ = ("state",)

    def __init__(self, state: str) -> None:
        self.state = state


def build_machine(defn: Definition) -> Machine:
    """Build (once) the shared machine for a definition version."""
    global machines_built
    if defn.key in _machines:
        return _machines[defn.key]
    machine = _Machine(
        model=None,  # no per-case Machine and no add_model: a row's state is never reset
        states=[state.id for state in defn.states],
        transitions=[_machine_transition(t) for t in defn.transitions],
        initial=None,
        auto_transitions=False,  # no to_<state>() back doors around the statutory rules
        ignore_invalid_triggers=False,
    )
    _machines[defn.key] = machine
    machines_built += 1
    return machine


def machines_held() -> int:
    """How many shared machines exist now: one per registered definition version."""
    return len(_machines)


def forget_machine(key: tuple[str, int]) -> None:
    """Drop the machine of a definition version no longer registered (one a test or rehearsal defined)."""
    _machines.pop(key, None)


def _machine_transition(t: Transition) -> dict[str, Any]:
    def role_allowed(ctx: GuardContext) -> bool:
        return ctx.role in t.who

    return {
        "trigger": t.trigger,
        "source": list(t.sources),
        "dest": t.dest,
        "conditions": [role_allowed, *(guard.check for guard in t.guards)],
    }


@dataclass(frozen=True)
class Outcome:
    trigger: str
    source: str
    dest: str
    transition: Transition


def transition_for(defn: Definition, state: str, trigger: str, role: Role) -> Transition:
    """The transition `trigger` would take from `state` for `role`, before any guard runs.

    Raises UnknownTrigger, TransitionNotAllowed or RoleNotAllowed.
    """
    if trigger not in defn.triggers:
        raise UnknownTrigger(f"{defn.title} has no action called {trigger!r}")
    transition = defn.transition_from(state, trigger)
    if transition is None:
        label = defn.state(state).label.lower() if state in defn.state_ids else state
        basis = _basis_of(defn, trigger)
        raise TransitionNotAllowed(
            cited(f"You cannot {_action(defn, trigger)} when the case is {label}", basis), citations=(basis,)
        )
    if role not in transition.who:
        name = role.value.replace("_", " ")
        article = "An" if name[0] in "aeiou" else "A"
        raise RoleNotAllowed(
            cited(f"{article} {name} cannot {transition.label.lower()}", transition.basis),
            citations=(transition.basis,),
        )
    return transition


def fire(defn: Definition, state: str, trigger: str, ctx: GuardContext) -> Outcome:
    """Where `trigger` takes a case in `state`, or raise why not. Touches nothing but a token.

    Raises UnknownTrigger, TransitionNotAllowed, RoleNotAllowed or GuardFailed,
    each with reasons a user can read.
    """
    transition = transition_for(defn, state, trigger, ctx.role)
    token = _Token(state)
    try:
        moved = build_machine(defn).events[trigger].trigger(token, ctx)
    except MachineError as exc:  # pragma: no cover - transition_for() already ruled this out
        raise TransitionNotAllowed(str(exc)) from exc
    if not moved:
        failed = [
            (guard, cited(guard.explain(ctx), guard.basis)) for guard in transition.guards if not guard.check(ctx)
        ]
        on_fields: dict[str, tuple[str, ...]] = {}
        for guard, reason in failed:
            if guard.field:
                on_fields[guard.field] = (*on_fields.get(guard.field, ()), reason)
        raise GuardFailed(
            *(reason for _, reason in failed), citations=(guard.basis for guard, _ in failed), on_fields=on_fields
        )
    return Outcome(trigger, state, token.state, transition)


def _basis_of(defn: Definition, trigger: str) -> str:
    """The provisions behind a trigger: where it may be used from is what they allow."""
    return "; ".join(dict.fromkeys(t.basis for t in defn.transitions if t.trigger == trigger and t.basis))


def _action(defn: Definition, trigger: str) -> str:
    labels = {t.label for t in defn.transitions if t.trigger == trigger}
    return next(iter(labels)).lower() if len(labels) == 1 else trigger.replace("_", " ")


def available_triggers(defn: Definition, state: str, role: Role) -> list[Transition]:
    """Transitions leaving `state` that `role` may use (guards not run): which actions to offer."""
    return [t for t in defn.transitions if state in t.sources and role in t.who]


def timer_changes(
    defn: Definition, source: str, outcome: Outcome, pending: Iterable[str]
) -> tuple[list[Timer], list[str]]:
    """Which timers an applied transition arms, and which pending ones it cancels.

    A timer is armed on entering its `active_in` states from outside them, or by
    one of its `armed_by` triggers; it is cancelled when the case enters a state
    outside them. Re-arming a pending timer supersedes it.
    """
    dest = outcome.dest
    cancel = [name for name in pending if dest not in defn.timer(name).active_in]
    arm = []
    for timer in defn.timers:
        if dest not in timer.active_in:
            continue
        entering = source not in timer.active_in
        if (timer.armed_by and outcome.trigger in timer.armed_by) or (not timer.armed_by and entering):
            arm.append(timer)
    return arm, cancel


__all__ = [
    "Outcome",
    "available_triggers",
    "build_machine",
    "fire",
    "forget_machine",
    "machines_held",
    "timer_changes",
    "transition_for",
]
