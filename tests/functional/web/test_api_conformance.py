"""Issue 18, item 6: the API matches its document. schemathesis reads /api/openapi.json and sends what it describes
(and what it forbids) to the real app on a seeded database, every operation with real references so that each is
exercised beyond a 404. Every built-in check must pass: no server error, every answer as documented, valid requests
accepted, invalid ones refused, and 405s that say which methods are allowed."""

from __future__ import annotations

import itertools
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from schemathesis import GenerationMode
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from casework.db import Database
from casework.services import credentials
from tests.functional.web.conftest import make_app
from tests.functional.web.scene import Scene
from tests.fuzzing import each_generated
from web.api.openapi import document
from workflows.roles import Role

pytestmark = pytest.mark.integration
EXAMPLES = 10  # generated requests per operation and mode, besides the coverage phase's boundary cases
COVERAGE_CASES = 250  # at most this many boundary cases per operation
CYCLE_PATHS = ("/api/v1/owner-notices/{reference}", "/api/v1/cases/{reference}/bidder-requests")
APPLICATION_PATHS = ("/scores", "/moderated-scores", "/eoi-assessment")
NOTIFY_TOKEN = "conformance-notify-callback-token"  # GOV.UK Notify's receipts carry this instead of an API token
RECEIPTS = "/api/v1/notify/delivery-receipts"


@pytest.fixture
def app(sqlite_db: Database, tmp_path: Path) -> Flask:
    return make_app(sqlite_db, tmp_path, settings={"notify_callback_token": NOTIFY_TOKEN})


def real_values(scene: Scene) -> dict[str, str]:
    return {
        "reference": scene.listing,
        "asset_id": str(scene.asset),
        "group_id": str(scene.group),
        "organisation_id": str(scene.group),
        "rule": "moratorium.full",
        "name": "decisions",
    }


def real_path(path: str, names: set[str], scene: Scene) -> dict[str, str]:
    """A real value for each path parameter, of the kind of case the operation reads."""
    values = {name: real_values(scene)[name] for name in names}
    if "reference" in values and path.startswith(CYCLE_PATHS):
        values["reference"] = scene.cycle
    if "reference" in values and path.endswith(APPLICATION_PATHS):
        values["reference"] = scene.application
    return values


class Findings:
    def __init__(self) -> None:
        self.tried = 0
        self.statuses: dict[str, set[int]] = {}
        self.failures: set[str] = set()

    def run(self, case: Any, headers: dict[str, str]) -> None:
        self.tried += 1
        header = case.meta.components.get("header") if case.meta else None
        if header is not None and header.mode is GenerationMode.NEGATIVE:
            headers = {}  # a case that leaves out a required header: our token must not put it back
        try:
            response = case.call(headers=headers)
            self.statuses.setdefault(case.operation.label, set()).add(response.status_code)
            case.validate_response(response, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                message = " ".join(str(failure.message).split())[:200]
                self.failures.add(
                    f"{case.operation.label} {case.method} [{response.status_code}]: {failure.title}: {message}"
                )


def operation(app: Flask, label: str) -> Any:
    """One operation of the document the app serves, with the checks' configuration below."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # Query parameters the document does not name are ignored, as HTTP APIs do; they do not make a request invalid.
    schema.config.generation.update(allow_extra_parameters=True)
    # A well-formed request the law or the council's policy refuses (an action the case's state does not allow, a
    # criterion the policy does not have) is a documented 422 problem naming the rule: no JSON Schema can hold a
    # case's state, so such a refusal is an accepted answer to a request the document allows. A 400 is not.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=["2xx", "401", "403", "404", "409", "422"]
    )
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the OpenAPI document has an invalid operation: {result.err()}"
        if result.ok().label == label:
            return result.ok()
    raise AssertionError(f"no operation {label}")


LABELS = [f"{method.upper()} {path}" for path, methods in document("http://casework.example")["paths"].items()
          for method in methods]  # fmt: skip


def test_the_api_answers_every_request_as_its_openapi_document_says(
    app: Flask, sqlite_db: Database, scene: Scene
) -> None:
    officer = scene.world.officer.user_id
    assert officer is not None
    token = credentials.create_api_token(sqlite_db, officer, "conformance", Role.OFFICER, council_code=scene.world.code)
    headers = {"Authorization": f"Bearer {token.token}"}
    found = Findings()
    for label in LABELS:
        tested = operation(app, label)
        headers = {"Authorization": f"Bearer {NOTIFY_TOKEN if tested.path == RECEIPTS else token.token}"}
        path = real_path(tested.path, {p.name for p in tested.path_parameters}, scene)
        schema = tested.schema
        boundaries = schema.iter_coverage_cases(
            tested, generation_modes=list(GenerationMode), generation_config=schema.config.generation
        )
        # The transitions body is an anyOf of every action (91): its 3,800 boundary cases take minutes to make, so
        # make test takes the first of them. Every action's schema is held to the parser by
        # tests/unit/test_api_action_bodies.py, and the bodies are fuzzed below and by make drills.
        for case in itertools.islice(boundaries, COVERAGE_CASES):
            component = case.meta.components.get("path") if case.meta else None
            if case.path_parameters and (component is None or component.mode is GenerationMode.POSITIVE):
                case.path_parameters.update(path)  # the boundary cases of everything else, on a real case
            found.run(case, headers)
        for mode in GenerationMode:
            each_generated(tested, mode, path or None, EXAMPLES, partial(found.run, headers=headers))
    assert sorted(found.statuses) == sorted(LABELS)
    only_404 = sorted(label for label, statuses in found.statuses.items() if statuses <= {404})
    assert not only_404, f"never answered but 404: {only_404}"
    assert not found.failures, f"{len(found.failures)} failures:\n" + "\n".join(sorted(found.failures))


def test_a_405_says_which_methods_are_allowed(app: Flask) -> None:
    client = app.test_client()
    api = client.open("/api/v1/cases", method="TRACE")
    assert api.status_code == 405 and api.mimetype == "application/problem+json"
    assert {"GET", "HEAD", "OPTIONS"} <= {method.strip() for method in api.headers["Allow"].split(",")}
    page = client.delete("/register")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_the_document_names_every_process_the_case_list_filters_by_and_refuses_others(
    app: Flask, sqlite_db: Database, scene: Scene
) -> None:
    client = app.test_client()
    parameters = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/cases"]["get"]["parameters"]
    workflow = next(p for p in parameters if p["name"] == "workflow")
    assert set(workflow["schema"]["enum"]) == {"", "acv_listing", "asset_transfer", "challenge", "compensation",
                                               "moratorium", "scotland_atr"}  # fmt: skip
    officer = scene.world.officer.user_id
    assert officer is not None
    token = credentials.create_api_token(sqlite_db, officer, "t", Role.OFFICER, council_code=scene.world.code).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cases?workflow=bogus", headers=headers).status_code == 422
    mixed = client.get("/api/v1/cases?workflow=moratorium&state=acv_listing:listed", headers=headers)
    assert mixed.status_code == 200 and mixed.get_json()["cases"] == []  # both allowed; together they match nothing


@pytest.mark.parametrize("query", ["list=null", "list=listed&list=unsuccessful", "list="])
def test_the_register_api_refuses_a_list_it_does_not_have(app: Flask, query: str) -> None:
    answered = app.test_client().get(f"/api/v1/register?{query}")
    assert answered.status_code == 422
    assert answered.get_json()["errors"] == {
        "list": "Give list once, as listed or unsuccessful, or leave it out for both"
    }
