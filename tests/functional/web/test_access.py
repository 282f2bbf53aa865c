"""Every route, walked by every kind of person from two councils: who is let in, who is turned away.

A new route without a row here fails `test_every_route_is_in_the_access_table`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.actors import SYSTEM
from casework.adapters.storage import FileStorage
from casework.assets import AssetDetails
from casework.db import Database
from casework.examples import load
from casework.models import Case
from casework.queries import case_summary
from casework.services import accounts, alerts, asset_transfers, documents, moratoria, nominations, policies
from casework.services.accounts import RoleGrant
from tests.factories import World, list_pub, make_world, pub_nomination
from tests.functional.web.conftest import sign_in_as
from workflows.roles import Role

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PERSONAS = (
    "anonymous",
    "member",
    "stranger",
    "owner",
    "other_owner",
    "officer",
    "reviewer",
    "admin",
    "officer_elsewhere",
    "admin_elsewhere",
)


@dataclass
class Scene:
    world: World
    other: World
    people: dict[str, tuple[uuid.UUID | None, str | None]]
    listing: str
    cycle: str
    draft: str
    asset: uuid.UUID
    group: uuid.UUID
    public_doc: uuid.UUID
    private_doc: uuid.UUID
    unsubscribe: str
    offered: uuid.UUID
    application: str
    policy: uuid.UUID


@pytest.fixture
def scene(sqlite_db: Database, app: Flask) -> Scene:
    db = sqlite_db
    world, other = make_world(db), make_world(db, code="XDC")
    listing_id = list_pub(db, world)
    listing = case_summary(db, listing_id)
    assert listing.asset_id is not None and world.owner.user_id is not None
    cycle = moratoria.record_owner_notice(
        db,
        world.owner,
        listing.asset_id,
        received_on=date(2026, 4, 1),
        notice_method="post",
        disposal_type="freehold",
        vacant_possession=True,
        now=datetime(2026, 4, 1, 12, tzinfo=UTC),
    )
    draft = nominations.save_draft(db, world.member, world.council_id, world.group_id, pub_nomination(uprn=None))
    storage: FileStorage = app.extensions["casework_storage"]
    public_doc = documents.upload(
        db, storage, world.officer, filename="report.pdf", content=PDF, case_id=listing_id, public=True
    )
    private_doc = documents.upload(db, storage, world.officer, filename="memo.pdf", content=PDF, case_id=listing_id)
    other_owner = accounts.create_user(
        db, "stranger.owner@example.com", "Stella Stranger", grants=(RoleGrant(Role.OWNER),)
    )
    token = alerts.subscribe(db, world.code, "resident@example.org", category="pub")
    policy = policies.publish(
        db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    policies.publish(db, SYSTEM, "BDC", "challenge", load("challenge"), effective_from=date(2026, 1, 1))
    offered = asset_transfers.offer_asset(db, world.officer, AssetDetails(name="Ambridge Library", address="The Green"))
    application = asset_transfers.start_application(
        db, world.member, offered, world.group_id, enquiry_received_on=date(2026, 3, 2), proposed_use="A library",
        tenure_sought="lease", now=datetime(2026, 3, 2, 10, tzinfo=UTC),
    )  # fmt: skip
    with db.transaction() as session:  # straight to the panel: the scoring pages are what is walked here
        session.get_one(Case, application.case_id).state = "panel_assessment"
    people: dict[str, tuple[uuid.UUID | None, str | None]] = {
        "anonymous": (None, None),
        "member": (world.member.user_id, "community_member:"),
        "stranger": (other.member.user_id, "community_member:"),
        "owner": (world.owner.user_id, "owner:"),
        "other_owner": (other_owner, "owner:"),
        "officer": (world.officer.user_id, f"officer:{world.code}"),
        "reviewer": (world.reviewer.user_id, f"reviewer:{world.code}"),
        "admin": (world.admin.user_id, f"council_admin:{world.code}"),
        "officer_elsewhere": (other.officer.user_id, f"officer:{other.code}"),
        "admin_elsewhere": (other.admin.user_id, f"council_admin:{other.code}"),
    }
    return Scene(
        world,
        other,
        people,
        listing.reference,
        cycle.reference,
        case_summary(db, draft).reference,
        listing.asset_id,
        world.group_id,
        public_doc,
        private_doc,
        token,
        offered,
        application.reference,
        policy.id,
    )


ALL = dict.fromkeys(PERSONAS, 200)
SIGNED_IN = {**ALL, "anonymous": 302}
MEMBERS = {**dict.fromkeys(PERSONAS, 403), "anonymous": 302, "member": 200, "stranger": 200}
OWN_GROUP = {**MEMBERS, "stranger": 403}
OWNERS = {**dict.fromkeys(PERSONAS, 403), "anonymous": 302, "owner": 200, "other_owner": 200}
OWN_LAND = {**OWNERS, "other_owner": 404}
STAFF = {
    **dict.fromkeys(PERSONAS, 403),
    "anonymous": 302,
    "officer": 200,
    "reviewer": 200,
    "admin": 200,
    "officer_elsewhere": 200,
    "admin_elsewhere": 200,
}
OUR_STAFF = {**STAFF, "officer_elsewhere": 403, "admin_elsewhere": 403}
ADMINS = {**dict.fromkeys(PERSONAS, 403), "anonymous": 302, "admin": 200, "admin_elsewhere": 200}
CASE_PEOPLE = {
    **dict.fromkeys(PERSONAS, 403),
    "anonymous": 302,
    "member": 200,
    "owner": 200,
    "officer": 302,
    "reviewer": 302,
    "admin": 302,
    "officer_elsewhere": 302,
    "admin_elsewhere": 302,
}
API_TOKEN = dict.fromkeys(PERSONAS, 401)  # the session does not count: the API wants a bearer token

ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("public.home", "/", ALL),
    ("public.healthz", "/healthz", ALL),
    ("public.register_list", "/register?q=bull", ALL),
    ("public.entry", "/register/BDC/{listing}", ALL),
    ("public.calculator", "/date-calculator?event=owners_notice&day=5&day=9&day=2025", ALL),
    ("public.subscribe", "/alerts", ALL),
    ("public.unsubscribe", "/alerts/unsubscribe/{unsubscribe}", ALL),
    ("public.document", "/documents/{public_doc}", ALL),
    ("public.register_csv", "/register.csv", ALL),
    ("public.register_geojson", "/register.geojson", ALL),
    ("public.register_json", "/register.json", ALL),
    ("public.register_atom", "/register.atom", ALL),
    ("public.register_ics", "/register.ics", ALL),
    ("account.register", "/account/create", ALL),
    ("account.sign_in", "/account/sign-in", ALL),
    ("account.forgot_password", "/account/forgot-password", ALL),
    ("account.reset_password", "/account/reset-password/not-a-token", ALL),
    ("account.index", "/account/", SIGNED_IN),
    ("account.switch_role", "/account/role", SIGNED_IN),
    ("cases.case", "/cases/{listing}", CASE_PEOPLE),
    (
        "cases.action",
        "/cases/{listing}/actions/request_review",
        {**CASE_PEOPLE, "member": 404},
    ),  # the group has no such action on a listing
    ("community.dashboard", "/community/", MEMBERS),
    ("community.new_group", "/community/groups/new", SIGNED_IN),
    ("community.group", "/community/groups/{group}", OWN_GROUP),
    ("community.start_nomination", "/community/nominations/new", MEMBERS),
    ("community.nomination_step", "/community/nominations/{draft}/asset", OWN_GROUP),
    ("community.check_nomination", "/community/nominations/{draft}/check", OWN_GROUP),
    ("community.bid", "/community/bids/{cycle}", MEMBERS),  # any group may ask; only a CIG will succeed
    ("community.transfers_list", "/community/transfers", MEMBERS),
    ("community.apply", "/community/transfers/{offered}", MEMBERS),
    ("community.challenge", "/community/challenges/new?council=BDC", MEMBERS),
    ("owner.dashboard", "/owner/", OWNERS),
    ("owner.asset", "/owner/land/{asset}", OWN_LAND),
    ("owner.notice", "/owner/land/{asset}/notice", OWN_LAND),
    ("owner.claim", "/owner/land/{asset}/claim", OWN_LAND),
    ("officer.index", "/officer/", {**STAFF, **{k: 302 for k, v in STAFF.items() if v == 200}}),
    ("officer.queue", "/officer/cases", STAFF),
    ("officer.case", "/officer/cases/{listing}", OUR_STAFF),
    (
        "officer.action",
        "/officer/cases/{listing}/actions/remove",
        {**OUR_STAFF, "reviewer": 404, "admin": 404},
    ),  # only officers remove listings
    ("officer.scores", "/officer/cases/{application}/scores", OUR_STAFF),
    ("officer.compare", "/officer/assets/{offered}/applications", OUR_STAFF),
    ("officer.reports_page", "/officer/reports", STAFF),
    ("officer.report_csv", "/officer/reports/decisions.csv", STAFF),
    ("admin.index", "/admin/", ADMINS),
    ("admin.users", "/admin/users", ADMINS),
    ("admin.council_settings", "/admin/settings", ADMINS),
    ("admin.workflows", "/admin/workflows", ADMINS),
    ("admin.workflow", "/admin/workflows/moratorium/1", ADMINS),
    ("admin.import_register", "/admin/import", ADMINS),
    ("admin.policies_page", "/admin/policies", ADMINS),
    ("admin.policy", "/admin/policies/{policy}", {**ADMINS, "admin_elsewhere": 404}),
    ("admin.new_policy", "/admin/policies/new/challenge", ADMINS),
    ("api.openapi", "/api/openapi.json", ALL),
    ("api.register_entries", "/api/v1/register", ALL),
    ("api.period", "/api/v1/periods/moratorium.full?start=2025-09-05", ALL),
    ("api.cases", "/api/v1/cases", API_TOKEN),
    ("api.case", "/api/v1/cases/{listing}", API_TOKEN),
    ("api.deadlines", "/api/v1/cases/{listing}/deadlines", API_TOKEN),
    ("api.scores", "/api/v1/cases/{application}/scores", API_TOKEN),
    ("api.applications", "/api/v1/assets/{offered}/applications", API_TOKEN),
]

PANEL_FORM = {**OUR_STAFF, **dict.fromkeys(("officer", "reviewer", "admin"), 400)}  # let in, but the form is empty

POSTS: list[tuple[str, str, dict[str, int]]] = [
    (
        "officer.add_note",
        "/officer/cases/{listing}/notes",
        {**OUR_STAFF, **dict.fromkeys(("officer", "reviewer", "admin"), 302)},
    ),
    ("officer.assign", "/officer/cases/assign", {**STAFF, **{k: 302 for k, v in STAFF.items() if v == 200}}),
    (
        "admin.remove_role",
        "/admin/users/{officer_id}/roles/officer/remove",
        {**ADMINS, "admin": 302, "admin_elsewhere": 302},
    ),
    ("community.upload_evidence", "/community/groups/{group}/evidence", {**OWN_GROUP, "member": 400}),
    ("account.sign_out", "/account/sign-out", {**ALL, **dict.fromkeys(PERSONAS, 302)}),
    ("officer.record_score", "/officer/cases/{application}/scores/benefit", PANEL_FORM),
    ("officer.moderate", "/officer/cases/{application}/moderation/benefit", PANEL_FORM),
    ("officer.declare_conflict", "/officer/cases/{application}/conflict", PANEL_FORM),
]

NOT_WALKED = {  # POST-only routes, each covered by the tests named
    "account.change_password",
    "account.create_token",
    "account.revoke_token",  # test_forms.py
    "cases.upload",
    "officer.upload",
    "officer.record_owner",  # test_journeys.py
    "officer.fix_problem",  # test_problems.py
    "community.nomination_upload",
    "owner.exempt_disposal",
    "admin.remove_holiday",
    "admin.load_register",
    "api.transition",
    "api.nominate",
    "api.owner_notice",
    "api.bidder_request",
    "api.asset_transfer_application",
    "api.transfer_request",
    "api.challenge",
    "api.moderated_score",  # test_api.py
    "static",
}


def _fill(path: str, scene: Scene) -> str:
    return path.format(
        listing=scene.listing,
        cycle=scene.cycle,
        draft=scene.draft,
        asset=scene.asset,
        group=scene.group,
        public_doc=scene.public_doc,
        unsubscribe=scene.unsubscribe,
        officer_id=scene.world.officer.user_id,
        offered=scene.offered,
        application=scene.application,
        policy=scene.policy,
    )


def test_every_route_is_in_the_access_table(app: Flask) -> None:
    walked = {endpoint for endpoint, _, _ in [*ROUTES, *POSTS]}
    assert {rule.endpoint for rule in app.url_map.iter_rules()} - walked - NOT_WALKED == set()


@pytest.mark.parametrize(("endpoint", "path", "expected"), ROUTES, ids=[r[0] for r in ROUTES])
def test_each_page_lets_in_exactly_who_it_should(
    client: FlaskClient, sqlite_db: Database, scene: Scene, endpoint: str, path: str, expected: dict[str, int]
) -> None:
    seen = {}
    for persona in PERSONAS:
        user_id, role = scene.people[persona]
        sign_in_as(client, sqlite_db, user_id, role)
        seen[persona] = client.get(_fill(path, scene)).status_code
    assert seen == expected


@pytest.mark.parametrize(("endpoint", "path", "expected"), POSTS, ids=[r[0] for r in POSTS])
def test_each_form_target_refuses_who_it_should(
    client: FlaskClient, sqlite_db: Database, scene: Scene, endpoint: str, path: str, expected: dict[str, int]
) -> None:
    seen = {}
    for persona in PERSONAS:
        user_id, role = scene.people[persona]
        sign_in_as(client, sqlite_db, user_id, role)
        seen[persona] = client.post(_fill(path, scene), data={"text": "A note", "cases": []}).status_code
    assert seen == expected


def test_a_private_document_is_only_for_the_council_that_holds_it(
    client: FlaskClient, sqlite_db: Database, scene: Scene
) -> None:
    seen = {}
    for persona in PERSONAS:
        user_id, role = scene.people[persona]
        sign_in_as(client, sqlite_db, user_id, role)
        seen[persona] = client.get(f"/documents/{scene.private_doc}").status_code
    assert seen == {**dict.fromkeys(PERSONAS, 403), "officer": 200, "reviewer": 200, "admin": 200}


def test_another_councils_officer_cannot_see_or_act_on_a_case(
    client: FlaskClient, sqlite_db: Database, scene: Scene
) -> None:
    user_id, role = scene.people["officer_elsewhere"]
    sign_in_as(client, sqlite_db, user_id, role)
    page = client.get(f"/officer/cases/{scene.listing}")
    assert page.status_code == 403
    assert "You can only work on cases of your own council" in page.get_data(as_text=True)
    queue = client.get("/officer/cases").get_data(as_text=True)
    assert scene.listing not in queue
    posted = client.post(f"/officer/cases/{scene.listing}/actions/remove", data={"version": 1})
    assert posted.status_code == 403
