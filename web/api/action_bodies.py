"""The API's action bodies as JSON Schema, generated from the workflow definitions as the forms are: one schema per
action people can take, and the bodies that open a case with one action (an enquiry, a transfer request, an
expression of interest). A field added to a transition is documented without a second edit.

Each field is described in the form the definition's own parser (workflows.fields.parse_data, which every action
goes through) takes it: a date as 2026-03-27, yes or no as true or false, a choice by its id. A field that is not
required may be left out, null or blank, which the parser reads as not given. The parser is more forgiving still
(it reads "yes" as true, and a number sent for text as its digits); the document does not promise that.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date

from casework.queries.actions import Action, ActionField, opening_action, people_actions
from web.api.schemas import SCHEMAS, STORABLE, UUID, Schema, text

TIME_OF_DAY = "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"  # the 24-hour clock, like 16:30
AMOUNT = r"^\d+(\.\d{1,2})?$"  # pounds, with pence if any: 1250.00
# Every value of an action's data is also held to the Transition body's bound, checked before the parser runs.
DATA_MAX_LENGTH: int = SCHEMAS["Transition"]["properties"]["data"]["additionalProperties"]["maxLength"]
LEFT_OUT: Schema = {"type": ["null", "string"], "pattern": "^\\s*$"}  # null or blank: the parser's "not given"
FILLED = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"  # text that is not blank (and holds no NUL byte)
# The bodies that open a case by applying one action, as the services apply it: (workflow, trigger), and the ids
# the body names besides the action's fields. The action's stamped date is the day the body is sent.
OPENING: dict[str, tuple[str, str, dict[str, Schema]]] = {
    "enquiry": ("asset_transfer", "enquire", {"asset_id": UUID, "organisation_id": UUID}),
    "transfer_request": ("scotland_atr", "submit", {"asset_id": UUID, "organisation_id": UUID}),
    "challenge": ("challenge", "submit", {"council": {"type": "string", "pattern": STORABLE}, "organisation_id": UUID}),
}


def required(field: ActionField) -> bool:
    """Whether every actor must give the field: a stamped date is the day a group or owner sends the action, so
    only staff give it (and must, when the definition requires it)."""
    return field.required and not field.stamped


def _text(field: ActionField, most: int) -> Schema:
    """Text up to the field's length (and the bound of the body it comes in); not blank, when it is required."""
    return text(min(field.max_length, most), **({"pattern": FILLED} if required(field) else {}))


VALUES: dict[str, Callable[[ActionField, int], Schema]] = {
    "date": lambda _field, _most: {"type": "string", "format": "date"},
    "time": lambda _field, _most: {"type": "string", "pattern": TIME_OF_DAY},
    "text": _text,
    "bool": lambda _field, _most: {"type": "boolean"},
    "choice": lambda field, _most: {"type": "string", "enum": [key for key, _ in field.choices]},
    "money": lambda _field, _most: {"type": "string", "pattern": AMOUNT},
    "reference": lambda _field, _most: UUID,
}


def field_schema(field: ActionField, most: int = DATA_MAX_LENGTH) -> Schema:
    """One field's value: its kind's schema, or, when it may be left out, that or null or blank."""
    value = VALUES[field.kind](field, most)
    shape = value if required(field) else {"anyOf": [value, LEFT_OUT]}
    notes = _notes(field)
    return {"title": field.label[0].upper() + field.label[1:], **shape, **({"description": notes} if notes else {})}


def _notes(field: ActionField) -> str:
    notes = [field.hint] if field.hint else []
    if field.kind == "date" and not field.allow_future:
        notes.append("Today or earlier.")
    if field.stamped:
        notes.append("Given by council staff; when a group or owner acts, it is the day they send it.")
    if field.staff_only:
        notes.append("The council's own answer: left out when a group or owner sends it.")
    return " ".join(notes)


def data_schema(fields: Iterable[ActionField], most: int = DATA_MAX_LENGTH) -> Schema:
    listed = list(fields)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [field.name for field in listed if required(field)],
        "properties": {field.name: field_schema(field, most) for field in listed},
    }


def action_schema(action: Action) -> Schema:
    """The body of /cases/{reference}/transitions for one action: its trigger, the version seen, its data."""
    data = data_schema(action.fields)
    return {
        "title": f"{action.label} ({action.workflow_title}, version {action.version})",
        "description": f"{action.basis}. Taken by: {', '.join(action.roles)}; in the states: "
        f"{', '.join(action.sources)}.",
        "type": "object",
        "additionalProperties": False,
        "required": ["trigger", "expected_version", *(["data"] if data["required"] else [])],
        "properties": {
            "trigger": {"type": "string", "const": action.trigger},
            "expected_version": {"type": "integer", "minimum": 1},
            "data": data,
        },
    }


def action_name(action: Action, repeated: bool) -> str:
    """The component name: workflow, version and trigger; with its first source state when the definition has the
    trigger more than once (scotland_atr's `agree` after a review and after an appeal take different fields)."""
    name = f"{action.workflow}.v{action.version}.{action.trigger}"
    return f"{name}.from_{action.sources[0]}" if repeated else name


def action_schemas() -> dict[str, Schema]:
    """Every action people can take, by component name, in the definitions' order."""
    actions = people_actions()
    times = Counter((action.workflow, action.version, action.trigger) for action in actions)
    return {
        action_name(action, times[(action.workflow, action.version, action.trigger)] > 1): action_schema(action)
        for action in actions
    }


def any_action(names: Iterable[str]) -> Schema:
    return {
        "description": "One action of a case's workflow: its trigger, the version of the case you saw, and the data "
        "its fields take. Which actions a case allows now, and to whom, is on the case (GET /cases/{reference}).",
        "anyOf": [{"$ref": f"#/components/schemas/{name}"} for name in names],
    }


def opening_body(kind: str, today: date) -> Schema:
    """The body of an API call that opens a case with one action: its ids and the action's fields but the stamped
    date (the day it is sent). Its text is held only to the definition's lengths: no Transition body wraps it."""
    workflow, trigger, ids = OPENING[kind]
    body = data_schema(_asked(opening_action(workflow, trigger, today)), most=10**9)
    return {**body, "required": [*ids, *body["required"]], "properties": {**ids, **body["properties"]}}


def opening_fields(kind: str, today: date) -> tuple[str, ...]:
    """The names an opening body may hold; web.api.bodies.body refuses any other."""
    workflow, trigger, ids = OPENING[kind]
    return (*ids, *(field.name for field in _asked(opening_action(workflow, trigger, today))))


def _asked(action: Action) -> tuple[ActionField, ...]:
    return tuple(field for field in action.fields if not field.stamped)
