"""An officer writes to someone by post from the case, prints the letter from the letters to post, marks it posted,
and sees the proof of service on the case: walked in Chromium, with axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.clock import london_date, utcnow
from casework.models import Letter
from casework.notifying.letters import sending as letters
from casework.services import accounts
from casework.services.accounts import RoleGrant
from tests.browser.conftest import Accessibility, LiveSite, send_all_mail
from tests.browser.test_journey import PASSWORD, _continue, _date, _follow, _sign_in
from tests.factories import list_pub, make_world
from web.filters import gov_date
from workflows.roles import Role

pytestmark = pytest.mark.browser
ADDRESS = ["The Secretary", "Ambridge Village Hall", "Church Lane", "Ambridge", "BC4 2XY"]


def _listed_pub_with_its_notices_sent(site: LiveSite) -> str:
    """A pub listed, its notices emailed to those with an address and planned as letters to the rest."""
    world = make_world(site.db)
    accounts.create_user(
        site.db, "olivia@bdc.example.gov.uk", "Olivia Officer", password=PASSWORD,
        grants=(RoleGrant(Role.OFFICER, council_code="BDC"),),
    )  # fmt: skip
    list_pub(site.db, world)
    send_all_mail(site.db)
    return "BDC-ACV-00001"


def test_an_officer_sends_a_notice_by_post_prints_it_marks_it_posted_and_the_case_shows_when_it_arrives(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    reference = _listed_pub_with_its_notices_sent(live_site)
    _sign_in(page, axe, "olivia@bdc.example.gov.uk")
    page.goto(f"/officer/cases/{reference}")
    axe.check(page)

    # The nominating group was emailed; the officer writes to it as well, at its secretary's address.
    _follow(page, axe, page.get_by_role("link", name=re.compile(r"^Send by post to ")).first)
    assert page.get_by_role("heading", name="Send by post").is_visible()
    page.get_by_label("Name", exact=True).fill("Ambridge Pub Society")
    page.get_by_label("Postal address").fill("\n".join(ADDRESS))
    _continue(page, axe, "Make the letter")
    assert page.get_by_text("A letter to Ambridge Pub Society is being prepared").is_visible()

    # The worker's beat step makes the PDFs; until then the list says one is being prepared.
    page.goto("/officer/letters")
    assert page.get_by_text("being prepared and will appear here shortly").is_visible()
    assert letters.prepare(live_site.db).rendered == 3  # the owner's and occupier's letters, and this one

    page.goto(f"/officer/cases/{reference}")
    _follow(page, axe, page.get_by_role("link", name="Letters to post").first)
    assert page.get_by_role("heading", name="Letters to post").is_visible()
    assert page.get_by_text("Waiting to be posted (3)").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all letters to print (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-3.pdf")
    pdf = PdfReader(download.path())
    text = "\n".join(sheet.extract_text() for sheet in pdf.pages)
    assert all(line in text for line in ADDRESS), text
    assert "Bull Inns Ltd" in text  # the owner's letter is in the same file

    # Posted today, first class: ticked, dated and recorded.
    page.get_by_label(re.compile(r"^Ambridge Pub Society: ")).check()
    posted = london_date(utcnow())
    _date(page, "posted_on", posted)
    _continue(page, axe, "Mark as posted")
    arrives = "In the ordinary course of post it arrives on"
    assert page.get_by_text(f"1 letter recorded as posted. {arrives}").is_visible()
    assert page.get_by_text("Waiting to be posted (2)").is_visible()
    with live_site.db.reader() as session:
        letter = session.scalars(select(Letter).where(Letter.recipient_name == "Ambridge Pub Society")).one()
    assert letter.posted_on == posted and letter.arrives_on is not None and letter.arrives_on > posted

    page.goto(f"/officer/cases/{reference}")
    axe.check(page)
    proof = page.locator("td", has_text=f"Posted {gov_date(posted)}")
    assert proof.count() == 1
    assert f"Arrives {gov_date(letter.arrives_on)} in the ordinary course of post" in proof.inner_text()
    assert axe.violations == []
