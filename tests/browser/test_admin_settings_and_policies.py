"""A council admin's settings and policies in a real browser: reminders saved per process on a page with no
duplicate ids, and a policy changed through forms, not JSON, then published as a new version."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from casework.actors import SYSTEM
from casework.examples import load
from casework.services import accounts, councils, policies
from casework.services.accounts import RoleGrant
from tests.browser.conftest import Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, _continue, _follow, _sign_in
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


def test_an_admin_changes_a_weight_and_a_stage_adds_a_criterion_and_publishes_without_touching_json(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    _admin(live_site)
    policies.publish(live_site.db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"))
    _sign_in(page, axe, "admin@bdc.example.gov.uk")
    page.goto("/admin/policies")
    axe.check(page)
    _follow(page, axe, page.get_by_role("link", name="Publish a new version of the community asset transfer policy"))
    assert page.evaluate(DUPLICATE_IDS) == []

    first = page.get_by_role("group", name="Criterion 1", exact=True)
    assert first.get_by_label("Criterion", exact=True).input_value() == "Outcomes, evidenced need and community benefit"
    first.get_by_label("Weight").fill("35")
    stage = page.get_by_role("group", name="Expressions of interest close", exact=True)
    stage.get_by_label("Length").fill("6")
    _continue(page, axe, "Add another criterion")  # posts the form: it works without JavaScript
    assert page.get_by_role("group", name="Criterion 1", exact=True).get_by_label("Weight").input_value() == "35"
    count = page.get_by_role("group", name=re.compile(r"^Criterion \d+$")).count()
    added = page.get_by_role("group", name=f"Criterion {count}", exact=True)
    added.get_by_label("Criterion", exact=True).fill("Environmental impact")
    added.get_by_label("Weight").fill("not much")
    _continue(page, axe, "Publish this version")

    link = page.locator(".govuk-error-summary").get_by_role("link")
    assert link.count() == 1 and "must be a number, like 25" in link.inner_text()
    link.click()
    assert page.evaluate("document.activeElement.id") == added.get_by_label("Weight").get_attribute("id")
    added.get_by_label("Weight").fill("5")
    _continue(page, axe, "Publish this version")

    assert page.get_by_text("Version 2 published").is_visible()
    assert page.get_by_role("cell", name="Environmental impact").is_visible()
    assert page.get_by_role("row", name=re.compile("Outcomes, evidenced need and community benefit 35")).is_visible()
    assert page.get_by_role("row", name=re.compile("Expressions of interest invited 6 weeks")).is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download version 2 as JSON").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["rubric"]["criteria"][-1]["label"] == "Environmental impact"
    assert page.evaluate(DUPLICATE_IDS) == []
    assert axe.violations == [], "\n".join(axe.violations)
