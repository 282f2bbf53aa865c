"""Every API route called with each persona's bearer token, for their own council and another: who is let in.

"Let in" means the route went on to do (or refuse, on the merits) what was asked; "kept out" is a 401 or 403.
Bodies are chosen so that a persona let in is refused on the merits or on a stale version where a success
would change what the next persona sees; a persona kept out writes nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries import case_summary
from casework.services import credentials
from tests.functional.web.scene import PERSONAS, Scene
from tests.integration.test_transitions import row_counts
from workflows.roles import Role

pytestmark = pytest.mark.integration

TOKEN_HOLDERS = frozenset(PERSONAS) - {"anonymous"}
EVERYONE = frozenset(PERSONAS)
OUR_STAFF = frozenset({"officer", "reviewer", "admin"})
STAFF = OUR_STAFF | {"officer_elsewhere", "admin_elsewhere"}
LISTING_READERS = OUR_STAFF | {"member", "owner"}  # the nominating group and the owner of the land
NOBODY: frozenset[str] = frozenset()

ROLES = {"community_member": Role.COMMUNITY_MEMBER, "owner": Role.OWNER, "officer": Role.OFFICER,
         "reviewer": Role.REVIEWER, "council_admin": Role.COUNCIL_ADMIN}  # fmt: skip

# (endpoint, method, path, body, who is let in)
API: list[tuple[str, str, str, dict[str, Any] | None, frozenset[str]]] = [
    ("api.openapi", "GET", "/api/openapi.json", None, EVERYONE),
    ("api.register_entries", "GET", "/api/v1/register", None, EVERYONE),
    ("api.period", "GET", "/api/v1/periods/moratorium.full?start=2025-09-05", None, EVERYONE),
    ("api.cases", "GET", "/api/v1/cases", None, TOKEN_HOLDERS),
    ("api.case", "GET", "/api/v1/cases/{listing}", None, LISTING_READERS),
    ("api.deadlines", "GET", "/api/v1/cases/{listing}/deadlines", None, LISTING_READERS),
    ("api.nominations_list", "GET", "/api/v1/nominations", None, TOKEN_HOLDERS),
    ("api.nomination", "GET", "/api/v1/nominations/{listing}", None, LISTING_READERS),
    ("api.owner_notices", "GET", "/api/v1/owner-notices", None, TOKEN_HOLDERS),
    ("api.owner_notice_one", "GET", "/api/v1/owner-notices/{cycle}", None, LISTING_READERS),
    ("api.bidder_requests", "GET", "/api/v1/cases/{cycle}/bidder-requests", None, LISTING_READERS),
    ("api.bidder_request_one", "GET", "/api/v1/cases/{cycle}/bidder-requests/{group}", None, LISTING_READERS),
    ("api.notes", "GET", "/api/v1/cases/{listing}/notes", None, LISTING_READERS),
    ("api.report", "GET", "/api/v1/reports/decisions", None, STAFF),
    ("api.group", "GET", "/api/v1/groups/{group}", None, OUR_STAFF | {"member"}),
    ("api.scores", "GET", "/api/v1/cases/{application}/scores", None, OUR_STAFF),
    ("api.eoi_assessment", "GET", "/api/v1/cases/{application}/eoi-assessment", None, OUR_STAFF),
    ("api.applications", "GET", "/api/v1/assets/{offered}/applications", None, OUR_STAFF),
    # Only officers remove a listing, and a removal needs its reasons: officers are let in and told so.
    ("api.transition", "POST", "/api/v1/cases/{listing}/transitions",
     {"trigger": "remove", "expected_version": "{listing_version}"}, frozenset({"officer"})),
    # A review is asked for by the owner or recorded by an officer: both are let in and told it is too late.
    ("api.review_request", "POST", "/api/v1/cases/{listing}/review-requests",
     {"expected_version": "{listing_version}"}, frozenset({"owner", "officer"})),
    ("api.notes", "POST", "/api/v1/cases/{listing}/notes", {"text": "Checked the boundary"}, OUR_STAFF),
    ("api.assignment", "PUT", "/api/v1/cases/{listing}/assignment", {"assignee": None}, OUR_STAFF),
    # The group's own nomination, or an officer recording it; missing its contents, so refused on the merits.
    ("api.nominate", "POST", "/api/v1/nominations",
     {"council": "BDC", "organisation_id": "{group}", "asset": {"name": "The Swan", "address": "2 River Road"}},
     frozenset({"member", "officer"})),
    # A protected period is running: the owner and their council's staff are told so.
    ("api.owner_notice", "POST", "/api/v1/assets/{asset}/owner-notices",
     {"disposal_type": "freehold", "vacant_possession": True}, frozenset({"owner", "officer"})),
    # The interim moratorium ended long ago: the group (or an officer for it) is told the request is late.
    ("api.bidder_request", "POST", "/api/v1/cases/{cycle}/bidder-requests", {"organisation_id": "{group}"},
     frozenset({"member", "officer"})),
    # Out of time (reg.14(5)(b)): an owner, or an officer recording a paper claim, is told so; so is any other
    # owner, since a former owner may claim and the council need not have recorded them.
    ("api.compensation_claim", "POST", "/api/v1/assets/{asset}/compensation-claims",
     {"loss_ended_on": "2020-01-01", "amount_claimed": "10.00", "claim_parts": "Fees"},
     frozenset({"owner", "other_owner", "officer"})),
    ("api.exempt_disposal", "POST", "/api/v1/assets/{asset}/exempt-disposals",
     {"disposal_entered_on": "2026-05-01", "exemption": "family", "details": "To a daughter"},
     frozenset({"owner", "officer"})),
]  # fmt: skip

NOT_CALLED = {  # asset transfer, Scotland and challenge bodies: their shapes are checked in test_api.py
    "api.asset_transfer_application",
    "api.transfer_request",
    "api.challenge",
    "api.moderated_score",
    "api.notify_delivery_receipt",  # GOV.UK Notify's bearer token, not a person's: test_notify_callbacks.py
}
# A panel member's score (test_journeys.py, test_api.py) and an assessment (test_transfer_pages.py).
NOT_CALLED_WITH = {("api.scores", "POST"), ("api.eoi_assessment", "POST")}


def _fill(value: Any, scene: Scene, version: int) -> Any:
    if isinstance(value, dict):
        return {key: _fill(v, scene, version) for key, v in value.items()}
    if value == "{listing_version}":
        return version
    if isinstance(value, str):
        return value.format(listing=scene.listing, cycle=scene.cycle, group=scene.group, asset=scene.asset,
                            application=scene.application, offered=scene.offered)  # fmt: skip
    return value


def tokens(db: Database, scene: Scene) -> dict[str, dict[str, str]]:
    """Each persona's Authorization header, made for the role (and council) they act in; none for anonymous."""
    found = {"anonymous": {}}
    for persona in TOKEN_HOLDERS:
        user_id, key = scene.people[persona]
        assert user_id is not None and key is not None
        role, _, council = key.partition(":")
        token = credentials.create_api_token(db, user_id, "access", ROLES[role], council_code=council or None)
        found[persona] = {"Authorization": f"Bearer {token.token}"}
    return found


def test_every_api_route_and_method_is_in_the_table(app: Flask) -> None:
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    called = {(endpoint, method) for endpoint, method, _, _, _ in API}
    assert {(e, m) for e, m in routes if e not in NOT_CALLED} - called - NOT_CALLED_WITH == set()


@pytest.mark.parametrize(("endpoint", "method", "path", "body", "let_in"), API, ids=[f"{r[0]} {r[1]}" for r in API])
def test_each_api_route_lets_in_exactly_the_token_holders_it_should(
    client: FlaskClient,
    sqlite_db: Database,
    scene: Scene,
    endpoint: str,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    let_in: frozenset[str],
) -> None:
    headers = tokens(sqlite_db, scene)
    seen, wrote = set(), {}
    for persona in PERSONAS:
        version = case_summary(sqlite_db, reference=scene.listing).version
        before = row_counts(sqlite_db)
        response = client.open(
            _fill(path, scene, version), method=method, headers=headers[persona], json=_fill(body, scene, version)
        )
        assert response.status_code < 500, (persona, response.get_data(as_text=True))
        if response.status_code in (401, 403):
            wrote[persona] = row_counts(sqlite_db) != before
        else:
            seen.add(persona)
    assert seen == let_in
    assert not any(wrote.values()), wrote


def test_a_stranger_to_the_case_gets_a_403_not_a_404_nor_the_case(
    client: FlaskClient, sqlite_db: Database, scene: Scene
) -> None:
    headers = tokens(sqlite_db, scene)["officer_elsewhere"]

    response = client.get(f"/api/v1/cases/{scene.listing}", headers=headers)

    assert response.status_code == 403
    assert response.get_json()["detail"] == "You can only work on cases of your own council"
