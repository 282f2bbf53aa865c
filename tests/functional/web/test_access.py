"""Every route, walked by every kind of person from two councils: who is let in, who is turned away.

A new route without a row here fails `test_every_route_is_in_the_access_table`.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.db import Database
from casework.services import credentials
from tests.functional.web.conftest import csrf_token, make_app, sign_in_as
from tests.functional.web.scene import PERSONAS, Scene
from tests.functional.web.test_access_api import API, NOT_CALLED
from tests.integration.test_transitions import row_counts
from workflows.roles import Role

pytestmark = pytest.mark.integration

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

ROUTES: list[tuple[str, str, dict[str, int]]] = [
    ("public.home", "/", ALL),
    ("branding.accessibility_statement", "/accessibility", ALL),
    ("branding.logo", "/councils/BDC/logo", dict.fromkeys(PERSONAS, 404)),  # the council has uploaded none
    ("branding.no_icon", "/favicon.ico", dict.fromkeys(PERSONAS, 204)),  # no icon rather than GOV.UK's crown
    ("public.healthz", "/healthz", ALL),
    ("public.register_list", "/register?q=bull", ALL),
    ("public.register_map", "/register/map?q=bull", ALL),
    ("public.entry", "/register/BDC/{listing}", ALL),
    ("public.calculator", "/date-calculator?event=owners_notice&day=5&day=9&day=2025", ALL),
    ("public.subscribe", "/alerts", ALL),
    ("public.unsubscribe", "/alerts/unsubscribe/{unsubscribe}", ALL),
    ("public.check_alert_email", "/alerts/check-your-email", ALL),
    ("public.confirm_alerts", "/alerts/confirm/{confirm_alert}", ALL),
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
    ("account.confirm_email", "/account/confirm-email/not-a-token", ALL),
    ("account.invitation", "/account/invitations/not-a-token", dict.fromkeys(PERSONAS, 404)),
    ("account.index", "/account/", SIGNED_IN),
    ("account.switch_role", "/account/role", SIGNED_IN),
    ("cases.case", "/cases/{listing}", CASE_PEOPLE),
    # The member sent the nomination: their confirmation. Others who may read the case sent nothing: the case.
    (
        "cases.confirmation_page",
        "/cases/{listing}/sent",
        {**{k: 302 if v == 200 else v for k, v in CASE_PEOPLE.items()}, "member": 200},
    ),
    (
        "cases.action",
        "/cases/{listing}/actions/request_review",
        {**CASE_PEOPLE, "member": 404},
    ),  # the group has no such action on a listing
    ("community.dashboard", "/community/", SIGNED_IN),  # the start page: it says what to do next, never 403
    ("community.new_group", "/community/groups/new", SIGNED_IN),
    ("community.group", "/community/groups/{group}", OWN_GROUP),
    ("community.start_nomination", "/community/nominations/new", MEMBERS),
    ("community.nomination_step", "/community/nominations/{draft}/asset", OWN_GROUP),
    ("community.check_nomination", "/community/nominations/{draft}/check", OWN_GROUP),
    ("community.bid", "/community/bids/{cycle}", MEMBERS),  # any group may ask; only a CIG will succeed
    ("community.transfers_list", "/community/transfers", MEMBERS),
    ("community.apply", "/community/transfers/{offered}", MEMBERS),
    (
        "community.ask_about_land",
        "/community/transfers/{offered}/question",
        {**MEMBERS, "member": 404, "stranger": 404},
    ),  # the land on offer is in England, where there is no statutory request to ask about
    ("community.challenge", "/community/challenges/new?council=BDC", MEMBERS),
    ("owner.dashboard", "/owner/", OWNERS),
    ("owner.asset", "/owner/land/{asset}", OWN_LAND),
    ("owner.notice", "/owner/land/{asset}/notice", OWN_LAND),
    ("owner.claim", "/owner/land/{asset}/claim", OWN_LAND),
    ("officer.index", "/officer/", {**STAFF, **{k: 302 for k, v in STAFF.items() if v == 200}}),
    ("officer.queue", "/officer/cases", STAFF),
    ("officer.reviews", "/officer/reviews", STAFF),
    ("officer.case", "/officer/cases/{listing}", OUR_STAFF),
    (
        "officer.action",
        "/officer/cases/{listing}/actions/remove",
        {**OUR_STAFF, "reviewer": 404, "admin": 404},
    ),  # only officers remove listings
    ("officer.scores", "/officer/cases/{application}/scores", OUR_STAFF),
    ("officer.record_bid", "/officer/cases/{cycle}/bidder-request", {**OUR_STAFF, "reviewer": 403, "admin": 403}),
    ("officer.assess_eoi", "/officer/cases/{application}/eoi-assessment", OUR_STAFF),
    ("officer.compare", "/officer/assets/{offered}/applications", OUR_STAFF),
    ("officer.reports_page", "/officer/reports", STAFF),
    ("officer.letters", "/officer/letters", STAFF),
    # No letters ready: staff are sent back to the list; no such letter or delivery: not there, for any council.
    ("officer.letters_pdf", "/officer/letters/all.pdf", {**STAFF, **{k: 302 for k, v in STAFF.items() if v == 200}}),
    (
        "officer.letter_pdf",
        f"/officer/letters/{uuid.UUID(int=1)}.pdf",
        {**STAFF, **{k: 404 for k, v in STAFF.items() if v == 200}},
    ),
    (
        "officer.letter_other_step",
        f"/officer/letters/{uuid.UUID(int=1)}/other-step",
        {**STAFF, **{k: 404 for k, v in STAFF.items() if v == 200}},
    ),
    (
        "officer.send_by_post",
        f"/officer/deliveries/{uuid.UUID(int=1)}/by-post",
        {**STAFF, **{k: 404 for k, v in STAFF.items() if v == 200}},
    ),
    ("officer.report_csv", "/officer/reports/decisions.csv", STAFF),
    ("admin.index", "/admin/", ADMINS),
    ("admin.users", "/admin/users", ADMINS),
    ("admin.council_settings", "/admin/settings", ADMINS),
    ("admin.council_details_page", "/admin/council-details", ADMINS),
    ("admin.workflows", "/admin/workflows", ADMINS),
    ("admin.workflow", "/admin/workflows/moratorium/1", ADMINS),
    ("admin.import_register", "/admin/import", ADMINS),
    ("admin.postcodes_page", "/admin/postcodes", ADMINS),
    ("admin.import_columns", "/admin/import/column.csv", ADMINS),
    # No such upload or import: admins are sent back to upload a file, or told there is no such import.
    (
        "admin.import_mapping",
        f"/admin/import/{'0' * 32}",
        {**ADMINS, **{k: 302 for k, v in ADMINS.items() if v == 200}},
    ),
    (
        "admin.import_progress",
        f"/admin/import/jobs/{uuid.UUID(int=1)}",
        {**ADMINS, **{k: 404 for k, v in ADMINS.items() if v == 200}},
    ),
    (
        "admin.import_progress_status",
        f"/admin/import/jobs/{uuid.UUID(int=1)}/status",
        {**ADMINS, **{k: 404 for k, v in ADMINS.items() if v == 200}},
    ),
    ("admin.policies_page", "/admin/policies", ADMINS),
    ("admin.policy", "/admin/policies/{policy}", {**ADMINS, "admin_elsewhere": 404}),
    ("admin.new_policy", "/admin/policies/new/challenge", ADMINS),
    ("admin.import_policy", "/admin/policies/new/challenge/json", ADMINS),
    ("admin.export_policy", "/admin/policies/{policy}/policy.json", {**ADMINS, "admin_elsewhere": 404}),
]

# Every form target, posted by every persona with a valid CSRF token for their own session: who is let in.
# "Let in" is the form shown again with its errors, or the thing done; "kept out" is a 403, a 404 for something
# that is not theirs, or being sent to sign in. Bodies are empty unless said: a persona let in sees the form's
# errors, so nothing changes for the next one.
EVERYONE = frozenset(PERSONAS)
SIGNED = EVERYONE - {"anonymous"}
GROUPS = frozenset({"member", "stranger"})
OUR_GROUP = frozenset({"member"})
OUR_OWNER = frozenset({"owner"})
ALL_STAFF = frozenset({"officer", "reviewer", "admin", "officer_elsewhere", "admin_elsewhere"})
OURS = frozenset({"officer", "reviewer", "admin"})
ALL_ADMINS = frozenset({"admin", "admin_elsewhere"})

FORMS: list[tuple[str, str, dict[str, object], frozenset[str]]] = [
    ("account.register", "/account/create", {}, EVERYONE),
    ("account.forgot_password", "/account/forgot-password", {}, EVERYONE),
    ("account.reset_password", "/account/reset-password/not-a-token", {}, EVERYONE),
    ("account.confirm_email", "/account/confirm-email/not-a-token", {}, EVERYONE),  # refused: no such link
    ("account.send_confirmation", "/account/confirm-email", {}, SIGNED),
    ("account.sign_in", "/account/sign-in", {}, EVERYONE),
    ("account.sign_out", "/account/sign-out", {}, EVERYONE),
    ("account.sign_out_everywhere", "/account/sign-out-everywhere", {}, SIGNED),
    ("account.invitation", "/account/invitations/not-a-token", {}, frozenset()),  # no such invitation: 404
    ("account.change_password", "/account/password", {}, SIGNED),
    ("account.switch_role", "/account/role", {}, SIGNED),
    ("account.create_token", "/account/tokens", {}, SIGNED),
    ("account.revoke_token", "/account/tokens/{officer_token}/revoke", {}, frozenset({"officer"})),  # theirs only
    ("public.subscribe", "/alerts", {}, EVERYONE),
    ("public.unsubscribe", "/alerts/unsubscribe/{unsubscribe}", {}, EVERYONE),
    ("public.confirm_alerts", "/alerts/confirm/{confirm_alert}", {}, EVERYONE),
    ("cases.action", "/cases/{listing}/actions/request_review", {}, OUR_OWNER | ALL_STAFF),  # staff: sent on
    ("cases.upload", "/cases/{listing}/documents", {}, OUR_GROUP | OUR_OWNER | OURS),
    ("community.new_group", "/community/groups/new", {}, SIGNED),
    ("community.group", "/community/groups/{group}", {}, OUR_GROUP),
    ("community.upload_evidence", "/community/groups/{group}/evidence", {}, OUR_GROUP),
    ("community.start_nomination", "/community/nominations/new", {}, GROUPS),
    ("community.nomination_step", "/community/nominations/{draft}/asset", {}, OUR_GROUP),
    ("community.check_nomination", "/community/nominations/{draft}/check", {}, OUR_GROUP),
    ("community.nomination_upload", "/community/nominations/{draft}/evidence-file", {}, OUR_GROUP),
    ("community.bid", "/community/bids/{cycle}", {}, GROUPS),  # any group may ask; only a CIG will succeed
    ("community.apply", "/community/transfers/{offered}", {}, GROUPS),
    ("community.ask_about_land", "/community/transfers/{offered}/question", {}, frozenset()),  # English land: 404
    ("community.challenge", "/community/challenges/new?council=BDC", {}, GROUPS),
    ("owner.notice", "/owner/land/{asset}/notice", {}, OUR_OWNER),
    ("owner.exempt_disposal", "/owner/land/{asset}/exempt-disposal", {}, OUR_OWNER),
    ("owner.claim", "/owner/land/{asset}/claim", {}, OUR_OWNER),
    ("officer.assign", "/officer/cases/assign", {}, ALL_STAFF),
    ("officer.bulk_action", "/officer/cases/bulk/consider", {}, ALL_STAFF),
    ("officer.action", "/officer/cases/{listing}/actions/remove", {}, frozenset({"officer"})),  # officers remove
    ("officer.add_note", "/officer/cases/{listing}/notes", {}, OURS),
    ("officer.upload", "/officer/cases/{listing}/documents", {}, OURS),
    ("officer.record_owner", "/officer/cases/{listing}/owner", {}, OURS),
    ("officer.record_score", "/officer/cases/{application}/scores/benefit", {}, OURS),
    ("officer.moderate", "/officer/cases/{application}/moderation/benefit", {}, OURS),
    ("officer.declare_conflict", "/officer/cases/{application}/conflict", {}, OURS),
    ("officer.assess_eoi", "/officer/cases/{application}/eoi-assessment", {}, OURS),
    ("officer.record_bid", "/officer/cases/{cycle}/bidder-request", {}, frozenset({"officer"})),
    ("officer.letters", "/officer/letters", {}, ALL_STAFF),  # nothing chosen: the list again, with the error
    ("officer.letter_other_step", f"/officer/letters/{uuid.UUID(int=1)}/other-step", {}, frozenset()),  # none such
    ("officer.send_by_post", f"/officer/deliveries/{uuid.UUID(int=1)}/by-post", {}, frozenset()),  # none such
    # No problem with this id on the case: staff of another council are refused, ours told it is not there
    # (trying a real failure again, by those who may: test_problems.py).
    ("officer.fix_problem", f"/officer/cases/{{listing}}/problems/deadline/{uuid.UUID(int=1)}", {}, frozenset()),
    ("admin.users", "/admin/users", {}, ALL_ADMINS),
    ("admin.remove_role", "/admin/users/{officer_id}/roles/reviewer/remove", {}, ALL_ADMINS),
    ("admin.council_settings", "/admin/settings", {}, ALL_ADMINS),
    ("admin.council_details_page", "/admin/council-details", {}, ALL_ADMINS),
    ("admin.remove_logo", "/admin/council-details/logo/remove", {}, ALL_ADMINS),
    ("admin.remove_holiday", "/admin/settings/holidays/2027-01-04/remove", {}, ALL_ADMINS),
    ("admin.import_register", "/admin/import", {}, ALL_ADMINS),
    ("admin.postcodes_page", "/admin/postcodes", {}, ALL_ADMINS),
    ("admin.load_register", "/admin/import/load", {}, ALL_ADMINS),
    ("admin.import_mapping", f"/admin/import/{'0' * 32}", {}, ALL_ADMINS),
    ("admin.new_policy", "/admin/policies/new/challenge", {}, ALL_ADMINS),
    ("admin.import_policy", "/admin/policies/new/challenge/json", {}, ALL_ADMINS),
]

# The same table as {persona: 200 or 403}, for the drills' walk of every route (tests/drills/test_hostile_input.py).
POSTS = [(e, path, {p: 200 if p in let_in else 403 for p in PERSONAS}) for e, path, _, let_in in FORMS]
NOT_WALKED = {"static", *NOT_CALLED}  # asset transfer, Scotland and challenge API bodies: see test_access_api.py


def _fill(path: str, scene: Scene, **more: object) -> str:
    return path.format(
        **more,
        listing=scene.listing,
        cycle=scene.cycle,
        draft=scene.draft,
        asset=scene.asset,
        group=scene.group,
        public_doc=scene.public_doc,
        unsubscribe=scene.unsubscribe,
        confirm_alert=scene.confirm_alert,
        officer_id=scene.world.officer.user_id,
        offered=scene.offered,
        application=scene.application,
        policy=scene.policy,
    )


def test_every_route_is_in_the_access_table(app: Flask) -> None:
    walked = {row[0] for row in [*ROUTES, *FORMS, *API]}
    assert {rule.endpoint for rule in app.url_map.iter_rules()} - walked - NOT_WALKED == set()
    posted = {endpoint for endpoint, _, _, _ in FORMS}
    forms = {r.endpoint for r in app.url_map.iter_rules() if "POST" in (r.methods or ()) and r.endpoint[:4] != "api."}
    assert forms - posted == set()


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


def _kept_out(response: object) -> bool:
    status, location = response.status_code, response.headers.get("Location", "")  # type: ignore[attr-defined]
    return status in (401, 403, 404) or (status == 302 and "/account/sign-in" in location)


@pytest.mark.parametrize(("endpoint", "path", "data", "let_in"), FORMS, ids=[r[0] for r in FORMS])
def test_each_form_target_lets_in_exactly_who_it_should_and_the_rest_write_nothing(
    sqlite_db: Database,
    scene: Scene,
    tmp_path: Path,
    endpoint: str,
    path: str,
    data: dict[str, object],
    let_in: frozenset[str],
) -> None:
    officer_id = scene.people["officer"][0]
    assert officer_id is not None
    token = credentials.create_api_token(sqlite_db, officer_id, "old", Role.OFFICER, council_code="BDC")
    url = _fill(path, scene, officer_token=token.id)
    seen, wrote = set(), {}
    with make_app(sqlite_db, tmp_path, WTF_CSRF_ENABLED=True).test_client() as client:
        for persona in PERSONAS:
            user_id, role = scene.people[persona]
            sign_in_as(client, sqlite_db, user_id, role)
            # A page with a form for each: the header's sign-out for the signed in, the sign-in form for the rest
            form_token = csrf_token(client.get("/accessibility" if user_id else "/account/sign-in").get_data(True))
            before = row_counts(sqlite_db)
            response = client.post(url, data={**data, "csrf_token": form_token})
            assert response.status_code < 500, (persona, response.get_data(as_text=True)[-2000:])
            if _kept_out(response):
                wrote[persona] = row_counts(sqlite_db) != before
            else:
                seen.add(persona)
    assert seen == let_in
    assert not any(wrote.values()), wrote


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
