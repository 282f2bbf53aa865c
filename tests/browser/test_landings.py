"""Every role lands on its work: a new person gets from "Start now" to their group, and each role signs in to its page.

Walked in real Chromium with axe-core on every page, as the other journeys are.
"""

from __future__ import annotations

from typing import Any

import pytest

from casework.services import accounts, councils
from casework.services.accounts import RoleGrant
from tests.browser.conftest import Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, _choose, _continue, _follow, _sign_in, _sign_out
from workflows.roles import Role

pytestmark = pytest.mark.browser


def test_a_new_person_starts_now_registers_a_group_and_lands_on_its_cases(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    councils.create_council(live_site.db, "BDC", "Borsetshire District Council")

    # "Start now" asks a visitor to sign in; they create an account from there instead.
    page.goto("/")
    axe.check(page)
    _follow(page, axe, page.get_by_role("button", name="Start now"))
    assert "/account/sign-in" in page.url
    _follow(page, axe, page.get_by_role("link", name="Create an account"))
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_label("Email address").fill("nia@example.org")
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    # They are asked what they are here to do, with no answer chosen for them.
    assert page.locator("input[name='purpose']:checked").count() == 0
    _continue(page, axe, "Create account")
    assert page.get_by_role("link", name="Select what you are here to do").is_visible()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    page.get_by_label("Nominate land or bid for it with a community group").check()
    _continue(page, axe, "Create account")

    # The community start page does not refuse them: it says to register a group first. They have no role yet, so
    # nothing calls them an owner.
    assert page.url.endswith("/community/")
    assert page.get_by_role("heading", name="Register your group first").is_visible()
    assert "Signed in as Nia New." in page.locator(".casework-acting").inner_text()
    _follow(page, axe, page.get_by_role("button", name="Register your group"))
    page.get_by_label("Name of the group").fill("Friends of the Green")
    page.get_by_label("Which council's area is the group in?").select_option("BDC")
    _choose(page, "body_type", "unincorporated")
    for question, answer in {"distributes_surplus": "no", "is_public_authority": "no", "activity_local": "yes",
                             "surplus_local": "yes"}.items():  # fmt: skip
        _choose(page, question, answer)
    page.get_by_label("How many individual members does it have?").fill("30")
    page.get_by_label("How many members are on the electoral register").fill("25")
    page.get_by_label("Email address for notices").fill("green@example.org")
    _continue(page, axe, "Save group")
    assert page.get_by_role("heading", name="Friends of the Green").is_visible()

    # Its creator is a member of it: "Start now" leads to the group's cases, today and after signing in again.
    page.goto("/")
    _follow(page, axe, page.get_by_role("button", name="Start now"))
    assert page.get_by_role("heading", name="Your group's cases").is_visible()
    assert page.get_by_role("link", name="Friends of the Green").is_visible()
    _sign_out(page)
    _sign_in(page, axe, "nia@example.org")
    axe.check(page)
    assert page.url.endswith("/community/")
    assert page.get_by_role("link", name="Nominate land").is_visible()
    assert axe.violations == [], "\n".join(axe.violations)


def test_an_owner_says_so_when_signing_up_and_lands_on_their_land(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    page.goto("/account/create")
    page.get_by_label("Full name").fill("Olga Owner")
    page.get_by_label("Email address").fill("olga@example.com")
    page.get_by_label("Act for land I own, or for its owner").check()
    page.get_by_label("Create a password").fill(PASSWORD)
    page.get_by_label("Confirm your password").fill(PASSWORD)
    _continue(page, axe, "Create account")

    assert page.url.endswith("/owner/")
    assert page.get_by_role("heading", name="Your land").is_visible()
    assert "acting as Owner or agent" in page.locator(".casework-acting").inner_text()
    _sign_out(page)
    _sign_in(page, axe, "olga@example.com")
    assert page.url.endswith("/owner/")
    assert axe.violations == []


LANDINGS = [
    (Role.OFFICER, "/officer/cases", "Work queue"),
    (Role.REVIEWER, "/officer/reviews", "Reviews to decide"),
    (Role.COUNCIL_ADMIN, "/admin/", None),
    (Role.OWNER, "/owner/", "Your land"),
]


def test_each_role_lands_on_its_own_work_after_signing_in(page: Any, live_site: LiveSite, axe: Accessibility) -> None:
    councils.create_council(live_site.db, "BDC", "Borsetshire District Council")
    for role, _, _ in LANDINGS:
        grants = (RoleGrant(role),) if role is Role.OWNER else (RoleGrant(role, council_code="BDC"),)
        email = f"{role.value}@bdc.example.org"
        accounts.create_user(live_site.db, email, role.value, password=PASSWORD, grants=grants)

    for role, path, heading in LANDINGS:
        _sign_in(page, axe, f"{role.value}@bdc.example.org")
        axe.check(page)
        assert page.url.removeprefix(live_site.base_url) == path, role
        assert "Your account" not in page.title(), role
        if heading:
            assert page.get_by_role("heading", name=heading, exact=False).first.is_visible(), role
        _sign_out(page)
    assert axe.violations == [], "\n".join(axe.violations)
