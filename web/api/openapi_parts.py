"""Pieces the OpenAPI document of /api/v1 is built from: parameters, responses and operations of a few kinds."""

from __future__ import annotations

from typing import Any

from web.api.schemas import STORABLE, Schema

PROBLEM = {"$ref": "#/components/responses/Problem"}
RESULT = {"$ref": "#/components/schemas/TransitionResult"}
TEXT: Schema = {"type": "string", "pattern": STORABLE}  # any text a database can store: no NUL byte (that is a 400)
MAYBE_TEXT: Schema = {"type": ["string", "null"]}
OBJECT: Schema = {"type": "object", "additionalProperties": True}
UUID_IN_PATH: Schema = {"type": "string", "format": "uuid"}
SECURED: list[dict[str, list[str]]] = [{"bearer": []}]
REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": TEXT,
    "description": "A case reference, like BDC-ACV-00012",
}


def in_path(name: str, schema: Schema = UUID_IN_PATH) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def in_query(name: str, schema: Schema, description: str = "", **more: Any) -> dict[str, Any]:
    described = {"description": description} if description else {}
    return {"name": name, "in": "query", "schema": schema, **described, **more}


def errors(*codes: int) -> dict[str, Any]:
    """The problems an operation can answer with; any request may be refused as malformed (400: a NUL byte)."""
    return {str(code): PROBLEM for code in (400, *codes)}


def answer(schema: Schema, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def listing(key: str, description: str, item: Schema = OBJECT) -> dict[str, Any]:
    """An answer holding one list, under `key`."""
    schema = {"type": "object", "required": [key], "properties": {key: {"type": "array", "items": item}}}
    return answer(schema, description)


def named_body(name: str) -> dict[str, Any]:
    """A request body whose shape is one of the components' schemas."""
    return body({"$ref": f"#/components/schemas/{name}"})


def body(schema: Schema) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def get(summary: str, parameters: list[dict[str, Any]], ok: dict[str, Any], *also: int) -> dict[str, Any]:
    """A read with a bearer token: refused without one (401), for another's case (403), or as not found (404)."""
    responses = {"200": ok, **errors(401, 403, 404, *also)}
    return {"get": {"summary": summary, "security": SECURED, "parameters": parameters, "responses": responses}}


def post(
    summary: str,
    parameters: list[dict[str, Any]],
    request: dict[str, Any],
    status: str,
    ok: dict[str, Any],
    method: str = "post",
) -> dict[str, Any]:
    """A change with a bearer token; besides a read's refusals, a conflict (409) and invalid data or a refusal the
    rules give (422)."""
    operation = {"summary": summary, "security": SECURED, "parameters": parameters, "requestBody": request}
    return {method: {**operation, "responses": {status: ok, **errors(401, 403, 404, 409, 422)}}}
