"""The actions people can take under the registered workflows, with what each field takes: read from the
definitions, so that what is generated from them (the API's OpenAPI document) follows a change of law without
a second edit. Plain data: the web reads the workflows through casework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflows import registry
from workflows.definition import Definition, Field, FieldKind, Transition
from workflows.roles import Role

FIELD_KINDS = tuple(kind.value for kind in FieldKind)  # what ActionField.kind can be


@dataclass(frozen=True)
class ActionField:
    name: str
    kind: str  # one of FIELD_KINDS
    label: str
    required: bool
    choices: tuple[tuple[str, str], ...]
    hint: str
    max_length: int  # for text: counted after surrounding spaces are trimmed
    allow_future: bool  # for a date: a later day than today is taken
    stamped: bool  # when a group or owner acts, the day they act, whatever they send
    staff_only: bool  # the council's own answer: dropped when a group or owner sends it


@dataclass(frozen=True)
class Action:
    workflow: str
    version: int
    workflow_title: str
    trigger: str
    label: str
    basis: str
    sources: tuple[str, ...]
    roles: tuple[str, ...]
    fields: tuple[ActionField, ...]


def people_actions() -> tuple[Action, ...]:
    """Every transition a person can take (not the ones only the deadline sweeper fires), of every registered
    definition, by workflow and version, each definition's in its own order."""
    return tuple(
        _action(defn, transition)
        for defn in registry.all_definitions()
        for transition in defn.transitions
        if taken_by_people(transition)
    )


def opening_action(workflow: str, trigger: str, today: date) -> Action:
    """The action `trigger` of the version of `workflow` a case opened on `today` runs under: what a body that
    opens a case (an enquiry, a request, an expression of interest) is applied as."""
    defn = registry.in_force(workflow, today)
    transition = next((t for t in defn.transitions if t.trigger == trigger), None)
    if transition is None:
        raise LookupError(f"{workflow} version {defn.version} has no action {trigger!r}")
    return _action(defn, transition)


def taken_by_people(transition: Transition) -> bool:
    return bool(transition.who - {Role.SYSTEM})


def _action(defn: Definition, transition: Transition) -> Action:
    return Action(
        workflow=defn.name,
        version=defn.version,
        workflow_title=defn.title,
        trigger=transition.trigger,
        label=transition.label,
        basis=transition.basis,
        sources=transition.sources,
        roles=tuple(sorted(role.value for role in transition.who - {Role.SYSTEM})),
        fields=tuple(_field(spec) for spec in transition.fields),
    )


def _field(spec: Field) -> ActionField:
    return ActionField(
        name=spec.name,
        kind=spec.kind.value,
        label=spec.label,
        required=spec.required,
        choices=spec.choices,
        hint=spec.hint,
        max_length=spec.max_length,
        allow_future=spec.allow_future,
        stamped=spec.stamped,
        staff_only=spec.staff_only,
    )
