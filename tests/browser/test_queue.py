"""An officer drives the work queue in Chromium: the overdue case first, a process then its statuses, a search,
a sort; at desktop width and at 320 px, with axe-core on every page and no element id used twice."""

from __future__ import annotations

from typing import Any

import pytest

from casework import demo
from casework.demo.people import PASSWORD, USERS
from casework.services import deadlines
from tests.browser.conftest import Accessibility, LiveSite

pytestmark = pytest.mark.browser

DUPLICATE_IDS = """() => {
  const seen = {}
  for (const element of document.querySelectorAll('[id]')) seen[element.id] = (seen[element.id] || 0) + 1
  return Object.keys(seen).filter(id => seen[id] > 1)
}"""


def _checked(page: Any, axe: Accessibility) -> None:
    axe.check(page)
    assert page.evaluate(DUPLICATE_IDS) == []
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"


def _apply(page: Any, axe: Accessibility, button: str = "Apply filters") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    _checked(page, axe)


def _cases(page: Any) -> list[str]:
    return [text.strip() for text in page.locator("tbody .govuk-table__row td:nth-child(2) a").all_inner_texts()]


def test_an_officer_finds_the_overdue_case_filters_by_a_process_status_searches_and_sorts(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    demo.load(live_site.db)
    deadlines.sweep(live_site.db)  # as the worker does every minute: the pavilion's decision is escalated as overdue
    page.goto("/account/sign-in")
    page.get_by_label("Email address").fill(USERS[0][0])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    _apply(page, axe, "Sign in")

    # An officer lands on the queue, the overdue nomination first with its flag
    assert page.get_by_role("heading", name="Work queue").is_visible()
    first = page.locator("tbody .govuk-table__row").first
    assert "Ambridge Cricket Pavilion" in first.inner_text() and "Overdue" in first.inner_text()

    # The status list waits for a process; choosing one fills it with that process's statuses alone
    status = page.get_by_label("Status")
    assert status.is_disabled()
    page.get_by_label("Process").select_option(label="Asset of community value: nomination and listing")
    assert status.is_enabled()
    offered = status.locator("option").all_inner_texts()
    assert "Nomination received" in offered and "Under consideration" in offered
    assert not [label for label in offered if ":" in label]  # no process names: they are all of the one chosen
    status.select_option(label="Nomination received")
    _apply(page, axe)
    assert "state=acv_listing%3Anomination_received" in page.url
    assert _cases(page) == ["Ambridge Cricket Pavilion", "Lakey Hill Park"]

    # A search keeps the other filters; the sort is kept too, and shown
    page.get_by_label("Search").fill("pavilion")
    _apply(page, axe)
    assert _cases(page) == ["Ambridge Cricket Pavilion"]
    page.get_by_label("Search").fill("")
    page.get_by_label("Sort by").select_option(label="Received, newest first")
    _apply(page, axe, "Sort")
    assert _cases(page) == ["Lakey Hill Park", "Ambridge Cricket Pavilion"]
    assert "sorted by received, newest first" in page.get_by_role("status").inner_text()
    assert page.get_by_label("Status").input_value() == "acv_listing:nomination_received"
