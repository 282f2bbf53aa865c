"""The API's action bodies are generated from the workflow definitions: every field of every action people can take
is in the OpenAPI document, as required as the definition makes it, in the form the definitions' parser takes."""

from __future__ import annotations

import ast
import uuid
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

import web.api
from casework.queries.actions import FIELD_KINDS, ActionField
from web.api.action_bodies import OPENING, VALUES, field_schema
from web.api.openapi import body_fields, document
from web.api.schemas import SCHEMAS
from workflows import registry
from workflows.definition import Definition, Field, FieldKind, Transition
from workflows.errors import InvalidData
from workflows.fields import parse_data
from workflows.roles import OFFICER, Role

TODAY = date(2026, 3, 27)
DOCUMENT = document("https://casework.example", TODAY)
SCHEMAS_IN_DOCUMENT: dict[str, Any] = DOCUMENT["components"]["schemas"]
ACTIONS = [
    (defn, transition)
    for defn in registry.all_definitions()
    for transition in defn.transitions
    if transition.who - {Role.SYSTEM}
]


def component_name(defn: Definition, transition: Transition) -> str:
    name = f"{defn.name}.v{defn.version}.{transition.trigger}"
    repeated = sum(t.trigger == transition.trigger for d, t in ACTIONS if d is defn) > 1
    return f"{name}.from_{transition.sources[0]}" if repeated else name


NAMES = [component_name(defn, transition) for defn, transition in ACTIONS]


def is_valid(schema: dict[str, Any], value: Any) -> bool:
    return bool(jsonschema_rs.validator_for(schema, validate_formats=True).is_valid(value))


@pytest.mark.parametrize(("defn", "transition"), ACTIONS, ids=NAMES)
def test_every_field_of_every_action_people_take_is_in_its_request_schema_as_required_as_its_definition_says(
    defn: Definition, transition: Transition
) -> None:
    name = component_name(defn, transition)
    schema = SCHEMAS_IN_DOCUMENT[name]
    data = schema["properties"]["data"]
    assert schema["properties"]["trigger"]["const"] == transition.trigger
    assert list(data["properties"]) == [field.name for field in transition.fields]
    assert data["required"] == [field.name for field in transition.fields if field.required and not field.stamped]
    assert ("data" in schema["required"]) is bool(data["required"])
    assert {"$ref": f"#/components/schemas/{name}"} in SCHEMAS_IN_DOCUMENT["Action"]["anyOf"]


def test_the_actions_are_those_people_take_and_only_those() -> None:
    documented = [ref["$ref"].rsplit("/", 1)[1] for ref in SCHEMAS_IN_DOCUMENT["Action"]["anyOf"]]
    assert Counter(documented) == Counter(component_name(defn, transition) for defn, transition in ACTIONS)
    body = DOCUMENT["paths"]["/api/v1/cases/{reference}/transitions"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Action"}


def test_every_kind_of_field_a_definition_can_ask_for_has_a_schema() -> None:
    assert set(VALUES) == set(FIELD_KINDS) == {kind.value for kind in FieldKind}


def sample(field: Field) -> Any:
    """A value of the field's kind in the form the document asks for."""
    samples: dict[FieldKind, Any] = {
        FieldKind.DATE: "2026-03-02",
        FieldKind.TIME: "16:30",
        FieldKind.TEXT: "Valued by the village",
        FieldKind.BOOL: True,
        FieldKind.CHOICE: field.choices[0][0] if field.choices else "",
        FieldKind.MONEY: "1250.00",
        FieldKind.REFERENCE: str(uuid.uuid4()),
    }
    return samples[field.kind]


@pytest.mark.parametrize(("defn", "transition"), ACTIONS, ids=NAMES)
def test_a_body_with_each_required_field_of_an_action_passes_the_document_the_api_check_and_the_parser(
    defn: Definition, transition: Transition
) -> None:
    data = {field.name: sample(field) for field in transition.fields if field.required}
    sent = {"trigger": transition.trigger, "expected_version": 3, "data": data}
    assert is_valid(SCHEMAS_IN_DOCUMENT[component_name(defn, transition)], sent)
    assert is_valid(SCHEMAS["Transition"], sent)  # what web.api.views checks before casework parses the data
    assert parse_data(transition, data, today=TODAY).keys() == data.keys()


def one_field(kind: FieldKind, *, required: bool = True) -> Field:
    return Field("answer", kind, "answer", required=required, choices=(("a", "A"), ("b", "B")), max_length=10)


def as_documented(field: Field) -> ActionField:
    return ActionField(field.name, field.kind.value, field.label, field.required, field.choices, field.hint,
                       field.max_length, field.allow_future, field.stamped, field.staff_only)  # fmt: skip


def parser_takes(field: Field, value: Any) -> bool:
    transition = Transition(
        trigger="answer", source="open", dest="open", who=OFFICER, label="Answer", basis="", fields=(field,)
    )
    try:
        parse_data(transition, {field.name: value}, today=TODAY)
    except InvalidData:
        return False
    return True


# The shape of each value, not whether a date is late: that the document says in words (today or earlier).
VALUES_AND_VERDICTS = [
    (FieldKind.DATE, "2026-03-27", True), (FieldKind.DATE, "2026-02-30", False), (FieldKind.DATE, "27/3/2026", False),
    (FieldKind.TIME, "16:30", True), (FieldKind.TIME, "7:05", True), (FieldKind.TIME, "24:00", False),
    (FieldKind.TIME, "16:3", False), (FieldKind.TEXT, "ten chars!", True), (FieldKind.TEXT, "eleven char", False),
    (FieldKind.TEXT, "   ", False), (FieldKind.BOOL, True, True), (FieldKind.BOOL, False, True),
    (FieldKind.BOOL, "maybe", False), (FieldKind.CHOICE, "a", True), (FieldKind.CHOICE, "c", False),
    (FieldKind.MONEY, "1250.00", True), (FieldKind.MONEY, "12.5", True), (FieldKind.MONEY, "1.234", False),
    (FieldKind.MONEY, "-5", False), (FieldKind.MONEY, "lots", False),
    (FieldKind.REFERENCE, "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b", True), (FieldKind.REFERENCE, "BDC-1", False),
    *[(kind, None, False) for kind in FieldKind], *[(kind, "", False) for kind in FieldKind],
]  # fmt: skip


@pytest.mark.parametrize(("kind", "value", "taken"), VALUES_AND_VERDICTS)
def test_a_required_fields_value_the_document_allows_is_one_the_parser_takes_and_one_it_refuses_the_parser_refuses(
    kind: FieldKind, value: Any, taken: bool
) -> None:
    field = one_field(kind)
    assert (is_valid(field_schema(as_documented(field)), value), parser_takes(field, value)) == (taken, taken)


@pytest.mark.parametrize("kind", list(FieldKind))
@pytest.mark.parametrize("value", [None, "", "  "])
def test_a_field_that_may_be_left_out_may_be_null_or_blank_in_the_document_as_in_the_parser(
    kind: FieldKind, value: Any
) -> None:
    field = one_field(kind, required=False)
    assert is_valid(field_schema(as_documented(field)), value) and parser_takes(field, value)


@pytest.mark.parametrize("kind", list(OPENING))
def test_a_body_that_opens_a_case_takes_the_fields_of_the_action_it_applies_but_the_day_it_is_sent(kind: str) -> None:
    workflow, trigger, ids = OPENING[kind]
    transition = next(t for t in registry.in_force(workflow, TODAY).transitions if t.trigger == trigger)
    asked = [field for field in transition.fields if not field.stamped]
    path = {"enquiry": "/api/v1/asset-transfers", "transfer_request": "/api/v1/transfer-requests",
            "challenge": "/api/v1/challenges"}[kind]  # fmt: skip
    schema = DOCUMENT["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert list(schema["properties"]) == [*ids, *(field.name for field in asked)]
    assert schema["required"] == [*ids, *(field.name for field in asked if field.required)]
    assert body_fields(kind, TODAY) == tuple(schema["properties"])
    choices = [field for field in asked if field.kind is FieldKind.CHOICE]
    for field in choices:
        assert schema["properties"][field.name]["enum"] == [key for key, _ in field.choices]


@pytest.mark.parametrize("module", ["openapi", "openapi_paths", "openapi_parts", "action_bodies"])
def test_the_document_reads_the_workflows_through_casework_only(module: str) -> None:
    tree = ast.parse((Path(web.api.__file__).parent / f"{module}.py").read_text())
    imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if name.split(".")[0] == "workflows"}
