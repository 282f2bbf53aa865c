"""A resident asks for alerts near their postcode, gets the confirmation email at a real SMTP server, and follows its
link to start them: walked in Chromium at desktop width and at 320 px, with axe-core on every page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from casework import examples
from casework.models import Subscription
from casework.services import councils, postcodes
from tests.browser.conftest import Accessibility, LiveSite, Viewport, send_all_mail
from tests.browser.test_journey import _continue

pytestmark = pytest.mark.browser


def test_a_resident_asks_for_alerts_near_their_postcode_and_starts_them_from_the_emailed_link(
    page: Any, live_site: LiveSite, axe: Accessibility, viewport: Viewport
) -> None:
    councils.create_council(live_site.db, "BDC", "Borsetshire District Council")
    postcodes.load(live_site.db, [examples.postcode_file()])

    page.goto("/alerts")
    axe.check(page)
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_label("Everything near a postcode").check()
    page.get_by_label("Postcode", exact=True).fill("bs1 4nd")
    page.get_by_label("Within 2 miles (3.2 km)").check()
    _continue(page, axe, "Send me alerts")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport.width

    server = send_all_mail(live_site.db)
    [email] = server.to("resident@example.org")
    assert email.subject == "Confirm your alerts from Borsetshire District Council"
    link = re.search(r"http://127\.0\.0\.1/alerts/confirm/\S+", email.text)
    assert link, email.text

    page.goto(urlsplit(link.group(0)).path)
    axe.check(page)
    assert page.get_by_text("will email you about everything within 2 miles of BS1 4ND").is_visible()
    _continue(page, axe, "Confirm and start my alerts")
    assert page.get_by_role("heading", name="Alerts confirmed").is_visible()
    with live_site.db.reader() as session:
        [subscription] = session.query(Subscription).all()
        assert subscription.confirmed_at is not None and subscription.radius_m == 3219
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport.width
    assert axe.violations == []
