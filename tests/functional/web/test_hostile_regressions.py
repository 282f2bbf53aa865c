"""What the hostile-input drills (tests/drills/test_hostile_input.py) broke, kept broken-proof in `make test`.

Each test is one bug the drills found: a request nobody should send that crashed the service (a 500), a header a
server cannot send, or an answer the OpenAPI document did not describe.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries.cases import case_summary
from casework.services import credentials, nominations
from tests.factories import World, make_world, pub_nomination
from tests.functional.web.conftest import make_app, sign_in_as
from workflows.roles import Role

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db: Database) -> World:
    return make_world(db)


@pytest.fixture
def web(db: Database, tmp_path: Path) -> FlaskClient:
    return make_app(db, tmp_path).test_client()


def officer_token(db: Database, world: World) -> dict[str, str]:
    assert world.officer.user_id is not None
    token = credentials.create_api_token(db, world.officer.user_id, "t", Role.OFFICER, council_code=world.code).token
    return {"Authorization": f"Bearer {token}"}


def test_a_page_number_too_big_for_the_database_shows_the_last_page(
    web: FlaskClient, db: Database, world: World
) -> None:
    huge = "279477767309858032739942350"
    listed = web.get(f"/api/v1/cases?page={huge}", headers=officer_token(db, world))
    assert listed.status_code == 200 and listed.get_json()["page"] == 1
    sign_in_as(web, db, world.officer.user_id, f"officer:{world.code}")
    assert web.get(f"/officer/cases?page={huge}").status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "sent"),
    [
        ("GET", "/api/v1/cases?state=a%00b", {}),
        ("GET", "/officer/cases?ward=a%00b", {}),
        ("POST", "/community/groups/new", {"data": {"name": "The\x00Bull"}}),
        (
            "POST",
            "/api/v1/nominations",
            {"json": {"council": "BDC", "organisation_id": "x", "asset": {"name": "\ud800"}}},
        ),
    ],
    ids=["NUL in an API query", "NUL in a page's query", "NUL in a form", "lone surrogate in JSON"],
)
def test_text_no_database_can_store_is_refused_with_a_400_not_a_crash(
    web: FlaskClient, db: Database, world: World, method: str, url: str, sent: dict[str, object]
) -> None:
    sign_in_as(web, db, world.officer.user_id, f"officer:{world.code}")
    response = web.open(url, method=method, headers=officer_token(db, world), **sent)  # type: ignore[arg-type]
    assert response.status_code == 400
    assert "cannot be stored" in response.get_data(as_text=True)


def test_the_openapi_document_lists_the_refusals_the_case_list_gives(
    web: FlaskClient, db: Database, world: World
) -> None:
    responses = web.get("/api/openapi.json").get_json()["paths"]["/api/v1/cases"]["get"]["responses"]
    answer = web.get("/api/v1/cases?workflow=no-such-workflow", headers=officer_token(db, world))
    assert answer.status_code == 422
    assert {"400", "422"} <= responses.keys()


def test_a_document_with_a_name_outside_latin_1_downloads_with_a_header_a_server_can_send(
    web: FlaskClient, db: Database, world: World
) -> None:
    sign_in_as(web, db, world.member.user_id, "community_member:")
    sent = web.post(
        f"/community/groups/{world.group_id}/evidence",
        data={"file": (io.BytesIO(PDF), "Доказательство.pdf"), "description": "Articles"},
    )
    assert sent.status_code == 302
    page = web.get(f"/community/groups/{world.group_id}").get_data(as_text=True)
    document = re.search(r"/documents/([0-9a-f-]{36})", page)
    assert document
    disposition = web.get(f"/documents/{document.group(1)}").headers["Content-Disposition"]
    assert disposition.isascii()
    assert disposition.endswith(
        "filename*=UTF-8''%D0%94%D0%BE%D0%BA%D0%B0%D0%B7%D0%B0%D1%82%D0%B5%D0%BB%D1%8C%D1%81%D1%82%D0%B2%D0%BE.pdf"
    )


def test_loading_an_import_without_its_id_says_there_is_nothing_to_load_rather_than_crashing(
    web: FlaskClient, db: Database, world: World
) -> None:
    sign_in_as(web, db, world.admin.user_id, f"council_admin:{world.code}")
    loaded = web.post("/admin/import/load", data={"load": "Load the register"}, follow_redirects=True)
    assert loaded.status_code == 200 and "There is no checked file to load" in loaded.get_data(as_text=True)


def test_a_draft_nominations_case_page_sends_the_group_to_its_form_to_submit_it(
    web: FlaskClient, db: Database, world: World
) -> None:
    """The generic action would be refused (the land is recorded by the form), so the page must not offer it."""
    draft = nominations.save_draft(db, world.member, world.council_id, world.group_id, pub_nomination())
    reference = case_summary(db, draft).reference
    sign_in_as(web, db, world.member.user_id)
    page = web.get(f"/cases/{reference}").get_data(as_text=True)
    assert f'href="/community/nominations/{reference}/check"' in page
    assert f"/cases/{reference}/actions/submit" not in page
    generic = web.get(f"/cases/{reference}/actions/submit")  # an old link or a typed address goes there too
    assert (generic.status_code, generic.headers["Location"]) == (302, f"/community/nominations/{reference}/check")
