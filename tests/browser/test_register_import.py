"""An admin imports the council's register in its own layout in a real browser: the mapping page guesses each
column's field, the admin changes one, checks every row, loads it through the worker and keeps the mapping."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from casework.register import jobs as register_jobs
from casework.services import accounts, councils
from casework.services.accounts import RoleGrant
from tests.browser.conftest import Accessibility, LiveSite
from tests.browser.test_journey import PASSWORD, _continue, _sign_in
from tests.registers import BOROUGH_HEADERS, BOROUGH_ROWS, as_xlsx, with_reasons
from workflows.roles import Role

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to keep a screenshot of each step, to look at


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _field_of(page: Any, header: str) -> Any:
    return page.get_by_label(header, exact=True)


def test_an_admin_maps_a_councils_own_columns_checks_every_row_and_loads_the_register(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    db = live_site.db
    councils.create_council(db, "BDC", "Borsetshire District Council")
    admin = RoleGrant(Role.COUNCIL_ADMIN, council_code="BDC")
    accounts.create_user(db, "admin@bdc.example.gov.uk", "Ada Admin", password=PASSWORD, grants=(admin,))
    headers, rows = with_reasons(BOROUGH_HEADERS, BOROUGH_ROWS)

    _sign_in(page, axe, "admin@bdc.example.gov.uk")
    page.goto("/admin/import")
    axe.check(page)
    _shot(page, "1-upload")
    page.set_input_files("input[name='file']", files=[{"name": "register.xlsx", "mimeType": XLSX,
                                                        "buffer": as_xlsx(headers, rows)}])  # fmt: skip
    _continue(page, axe, "Upload and map the columns")
    _shot(page, "2-mapping")

    assert _field_of(page, "Ref Number").input_value() == "reference"  # guessed from the council's own headers
    assert _field_of(page, "Date Nomination Received").input_value() == "nomination-date"
    assert _field_of(page, "Location").input_value() == "point"
    preview = page.locator("#preview").inner_text()
    assert "The Crown" in preview and "1 Market Street, London" in preview  # name and address split
    assert "POINT (-0.1409 51.5373)" in preview  # Camden-style "(lat, lon)" read as a WGS84 point

    _field_of(page, "Outcome").select_option("")  # the admin leaves the decision out by mistake
    _continue(page, axe, "Check every row")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "No column is mapped to decision" in summary and "nothing has been loaded" in summary
    _shot(page, "3-mapping-problem")

    _field_of(page, "Outcome").select_option("decision")
    _continue(page, axe, "Check every row")
    assert page.locator(".govuk-error-summary").count() == 0
    checked = page.inner_text("main")
    assert "4 rows checked: 3 listings, 0 invalid." in checked
    assert "merged into line 3: the same listing (BORACV02), the 2nd disposal cycle" in checked
    _shot(page, "4-checked")

    _continue(page, axe, "Load the register")
    assert "Waiting for the worker to start: 3 listings to load." in page.inner_text("main")
    _shot(page, "5-waiting")
    assert register_jobs.run_queued(db) == 1  # the worker's beat task; the page, polling, sees it finish
    page.get_by_text("3 entries loaded into the register.").wait_for()
    axe.check(page)
    _shot(page, "6-loaded")

    page.goto("/admin/import")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it as a column.csv").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert saved.startswith("dataset,endpoint,resource,column,field,start-date,end-date,entry-date")
    assert "asset-of-community-value,,,Date Nomination Received,nomination-date,,," in saved
    assert axe.violations == [], "\n".join(axe.violations)
