"""Issue 18, item 5: numbers too big for the database, bodies nested too deep and owners' email addresses that would
add headers to a notice. Each is refused with a clear 400 or 422 (a GOV.UK page or a problem document), never a 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries.cases import case_summary
from casework.services import credentials
from tests.factories import World, list_pub, make_world
from tests.functional.web.conftest import make_app, sign_in_as
from workflows.roles import Role

pytestmark = pytest.mark.integration
WHOLE = {"boundary_description": "The building", "occupants": "Not known", "ownership": "Not known",
         "reasons": "The village pub", "eligibility_evidence": "CLG 01234567"}  # fmt: skip


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


@pytest.fixture
def web(db: Database, tmp_path: Path) -> FlaskClient:
    return make_app(db, tmp_path).test_client()


def bearer(db: Database, world: World, role: Role = Role.OFFICER) -> dict[str, str]:
    person = {Role.OFFICER: world.officer, Role.COMMUNITY_MEMBER: world.member}[role]
    assert person.user_id is not None
    council = world.code if role is Role.OFFICER else None
    token = credentials.create_api_token(db, person.user_id, "t", role, council_code=council).token
    return {"Authorization": f"Bearer {token}"}


def test_a_register_page_number_too_big_for_the_database_shows_the_last_page(
    web: FlaskClient, db: Database, world: World
) -> None:
    list_pub(db, world)
    shown = web.get("/register?page=922337203685477580")
    assert shown.status_code == 200
    assert "The Bull" in shown.get_data(as_text=True)


@pytest.mark.parametrize("page", ["²", "1.5", "-3", "two", "9" * 5000])
def test_a_page_number_that_is_not_a_whole_number_is_a_400_page_saying_what_to_give(
    web: FlaskClient, db: Database, world: World, page: str
) -> None:
    public = web.get("/register", query_string={"page": page})
    assert public.status_code == 400
    assert "Enter a page number, like 2" in public.get_data(as_text=True)
    sign_in_as(web, db, world.officer.user_id, f"officer:{world.code}")
    assert web.get("/officer/cases", query_string={"page": page}).status_code == 400
    listed = web.get("/api/v1/cases", query_string={"page": page}, headers=bearer(db, world))
    assert listed.status_code == 422
    assert listed.get_json()["errors"] == {"page": "Enter a page number, like 2"}


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [300, 100_000])
def test_an_action_nested_hundreds_deep_is_a_400_problem_and_changes_nothing(
    web: FlaskClient, db: Database, world: World, levels: int
) -> None:
    case_id = list_pub(db, world)
    before = case_summary(db, case_id)
    reference = before.reference
    body = f'{{"trigger": "start_review", "expected_version": 1, "data": {{"x": {nested(levels)}}}}}'
    answered = web.post(
        f"/api/v1/cases/{reference}/transitions",
        data=body,
        headers={**bearer(db, world), "Content-Type": "application/json"},
    )
    assert answered.status_code == 400
    assert answered.mimetype == "application/problem+json"
    assert "nested no more than 32 deep" in answered.get_json()["detail"]
    assert case_summary(db, case_id).version == before.version


def test_a_page_form_sent_as_deeply_nested_json_is_a_400_page(web: FlaskClient, db: Database, world: World) -> None:
    sign_in_as(web, db, world.member.user_id, "community_member:")
    answered = web.post("/community/groups/new", data=nested(5000), content_type="application/json")
    assert answered.status_code == 400
    assert "govuk-heading-l" in answered.get_data(as_text=True)


def test_a_body_as_deep_as_the_api_takes_is_still_read(web: FlaskClient, db: Database, world: World) -> None:
    answered = web.post(
        "/api/v1/nominations",
        data=json.dumps({"council": "BDC", "organisation_id": str(world.group_id), "asset": {"name": "X", "address":
                         "Y", "title_numbers": ["AB1"]}, "owners": [{"name": "O", "email": "o@example.com"}], **WHOLE}),
        headers={**bearer(db, world, Role.COMMUNITY_MEMBER), "Content-Type": "application/json"},
    )  # fmt: skip
    assert answered.status_code == 201, answered.get_json()


@pytest.mark.parametrize(
    "email", ["owner@example.com\r\nBcc: everyone@example.org", "owner@example.com\nX-Header: 1", "not an email",
              "owner@localhost"],
)  # fmt: skip
def test_an_owners_email_the_pages_would_refuse_is_refused_by_the_api_too(
    web: FlaskClient, db: Database, world: World, email: str
) -> None:
    answered = web.post(
        "/api/v1/nominations",
        json={"council": "BDC", "organisation_id": str(world.group_id), "asset": {"name": "X", "address": "Y"},
              "owners": [{"name": "The owner", "email": email}]},
        headers=bearer(db, world, Role.COMMUNITY_MEMBER),
    )  # fmt: skip
    assert answered.status_code == 422
    assert answered.get_json()["errors"] == {
        "owners.0.email": "Enter an email address in the correct format, like name@example.com"
    }
