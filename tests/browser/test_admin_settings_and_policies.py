"""A council admin's settings and policies in a real browser: reminders saved per process on a page with no
duplicate ids, and a policy changed through forms, not JSON, then published as a new version."""

from __future__ import annotations

from typing import Any

import pytest

from casework.services import accounts, councils
from casework.services.accounts import RoleGrant
from tests.browser.conftest import Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, _continue, _sign_in
from workflows.roles import Role

pytestmark = pytest.mark.browser
DUPLICATE_IDS = (
    "() => { const seen = {}; document.querySelectorAll('[id]').forEach(e => { seen[e.id] = (seen[e.id] || 0) + 1; });"
    " return Object.keys(seen).filter(id => seen[id] > 1); }"
)


def _admin(site: LiveSite) -> None:
    councils.create_council(site.db, "BDC", "Borsetshire District Council")
    grant = (RoleGrant(Role.COUNCIL_ADMIN, council_code="BDC"),)
    accounts.create_user(site.db, "admin@bdc.example.gov.uk", "Ada Admin", password=PASSWORD, grants=grant)


def test_an_admin_saves_the_nominations_reminders_without_touching_the_challenges_on_a_page_with_unique_ids(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    _admin(live_site)
    _sign_in(page, axe, "admin@bdc.example.gov.uk")
    page.goto("/admin/settings")
    axe.check(page)
    assert page.evaluate(DUPLICATE_IDS) == []

    nomination = page.get_by_role("group", name="Asset of community value: nomination and listing")
    challenge = page.get_by_role("group", name="Community right to challenge")
    nomination.get_by_label("Decide the nomination").fill("21, 2")
    challenge.get_by_label("Decision due (published maximum)").fill("30")
    _continue(page, axe, "Save reminders")
    assert page.get_by_text("Reminder days saved").is_visible()
    assert nomination.get_by_label("Decide the nomination").input_value() == "21, 2"
    assert challenge.get_by_label("Decision due (published maximum)").input_value() == "30"

    challenge.get_by_label("Decision due (published maximum)").fill("thirty")
    _continue(page, axe, "Save reminders")
    summary = page.locator(".govuk-error-summary")
    link = summary.get_by_role("link", name="Decision due (published maximum)")
    assert "(community right to challenge) must be numbers of days" in link.inner_text()
    link.click()
    assert page.evaluate("document.activeElement.id") == "challenge__decision_due"
    assert page.evaluate(DUPLICATE_IDS) == []
    assert axe.violations == []
