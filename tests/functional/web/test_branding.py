"""The council's own service: its name and logo in the header, its contact details in the footer, an accessibility
statement linked from every page, and no GOV.UK crown anywhere (that is for services on GOV.UK)."""

from __future__ import annotations

import html
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from casework.db import Database
from casework.queries import case_summary
from casework.services import accounts, council_details
from casework.services.accounts import RoleGrant
from tests.factories import list_pub, make_world
from tests.functional.web.conftest import make_app, sign_in_as
from tests.functional.web.test_forms import error_summary
from tests.integration.test_transitions import row_counts
from workflows.roles import Role

pytestmark = pytest.mark.integration

DETAILS = {
    "contact-email": "ACV@Borsetshire.example.gov.uk",
    "contact-phone": "01632  960 001",
    "contact-address": "Council Offices\r\n  Market Square\r\n\r\nBorchester BC1 1AA",
    "contact-website": "https://www.borsetshire.example.gov.uk/contact",
    "contact-accessibility_reviewed_on": ["1", "9", "2026"],
    "contact-save_details": "Save contact details",
}


def png(width: int = 30, height: int = 10) -> bytes:
    """A real (tiny, green) PNG: the logo check reads the content, not the name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x00\x5e\x20" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def header(html: str) -> str:
    found = re.search(r'<div class="govuk-generic-header.*?</div>\s*</div>\s*</div>', html, re.S)
    assert found, "no header on the page"
    return found.group(0)


def footer(html: str) -> str:
    found = re.search(r'<footer class="govuk-template__footer.*?</footer>', html, re.S)
    assert found, "no footer on the page"
    return found.group(0)


def test_no_page_carries_the_gov_uk_crown_or_crown_copyright(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)
    for path in ("/", "/register", "/accessibility", "/account/sign-in", "/nowhere"):
        page = client.get(path).get_data(as_text=True)
        assert "govuk-header__logotype" not in page and "govuk-footer__crown" not in page, path
        assert "Crown copyright" not in page and "\u2013 GOV.UK</title>" not in page, path
        assert "/assets/images/favicon" not in page, path  # GOV.UK's icons are its crown


def test_a_visitor_to_a_shared_deployment_sees_the_service_name_and_a_statement_naming_every_council(
    client: FlaskClient, sqlite_db: Database
) -> None:
    make_world(sqlite_db)  # two councils: Borsetshire and its neighbour Felpersham, which has staff here too
    felpersham = (RoleGrant(Role.OFFICER, council_code="BDN"),)
    accounts.create_user(sqlite_db, "officer@felpersham.example.gov.uk", "Fay Officer", grants=felpersham)

    home = client.get("/").get_data(as_text=True)

    assert "Community rights casework" in header(home) and "Borsetshire" not in header(home)
    assert '<a class="govuk-footer__link" href="/accessibility">Accessibility statement</a>' in footer(home)
    statement = client.get("/accessibility").get_data(as_text=True)
    assert '<h1 class="govuk-heading-xl">Accessibility statement for Community rights casework</h1>' in statement
    for section in ("How accessible this website is", "Feedback and contact information", "Enforcement procedure",
                    "Technical information about this website", "Compliance status", "Non-accessible content",
                    "Preparation of this accessibility statement"):  # fmt: skip
        assert section in statement, section
    assert "Borsetshire District Council" in statement and "Felpersham City Council" in statement
    assert "Equality Advisory and Support Service" in statement


def test_a_deployment_serving_one_council_shows_its_name_and_contacts_on_every_public_and_group_page(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)  # Felpersham is recorded only as Borsetshire's neighbour: no staff of its own
    council_details.set_my_details(
        sqlite_db, world.admin, council_details.ContactChanges(email="acv@borsetshire.example.gov.uk")
    )
    for path in ("/", "/register", "/register/map", "/accessibility"):
        page = client.get(path).get_data(as_text=True)
        assert "Borsetshire District Council" in header(page), path
        assert "acv@borsetshire.example.gov.uk" in footer(page), path
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    page = client.get("/community/", follow_redirects=True).get_data(as_text=True)
    assert "Borsetshire District Council" in header(page) and "acv@borsetshire.example.gov.uk" in footer(page)


def test_in_a_shared_deployment_a_groups_case_page_shows_the_header_of_the_council_whose_case_it_is(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    felpersham = (RoleGrant(Role.OFFICER, council_code="BDN"),)
    accounts.create_user(sqlite_db, "officer@felpersham.example.gov.uk", "Fay Officer", grants=felpersham)
    council_details.set_my_details(
        sqlite_db, world.admin, council_details.ContactChanges(email="acv@borsetshire.example.gov.uk")
    )
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")

    dashboard = client.get("/community/").get_data(as_text=True)
    case = client.get(f"/cases/{listing.reference}").get_data(as_text=True)

    assert "Borsetshire" not in header(dashboard)  # about no one council: the service's own header
    assert "Borsetshire District Council" in header(case) and "acv@borsetshire.example.gov.uk" in footer(case)


def test_an_admin_saves_the_councils_contact_details_and_its_pages_show_them(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    saved = client.post("/admin/council-details", data=DETAILS)

    assert saved.status_code == 302
    page = client.get("/admin/").get_data(as_text=True)
    assert "Borsetshire District Council" in header(page)
    bottom = footer(page)
    assert "Council Offices<br>Market Square<br>Borchester BC1 1AA" in bottom
    assert 'href="mailto:acv@borsetshire.example.gov.uk"' in bottom and 'href="tel:01632960001">01632 960 001' in bottom
    assert 'href="https://www.borsetshire.example.gov.uk/contact"' in bottom
    assert "© Borsetshire District Council" in bottom
    assert "<title>Admin \u2013 Community rights casework \u2013 Borsetshire District Council</title>" in page
    statement = client.get("/accessibility").get_data(as_text=True)  # a council in context: its contacts only
    assert "acv@borsetshire.example.gov.uk" in statement and "Felpersham" not in statement
    assert "Borsetshire District Council last reviewed it on 1 September 2026." in statement


def test_wrong_contact_details_are_each_named_in_the_error_summary_and_nothing_is_saved(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    before = row_counts(sqlite_db)

    page = client.post(
        "/admin/council-details",
        data={
            **DETAILS,
            "contact-email": "not an email",
            "contact-phone": "call me",
            "contact-website": "javascript:alert(1)",
            "contact-accessibility_reviewed_on": ["1", "1", "2999"],
        },
    )

    assert page.status_code == 400
    assert [html.unescape(error) for error in error_summary(page.get_data(as_text=True))] == [
        "Enter the council's email address in the correct format, like name@example.gov.uk",
        "Enter a telephone number, like 01632 960 001 or +44 808 157 0192",
        "Enter the web address of the council's contact page, starting with https://",
        "The date the statement was last reviewed must be today or in the past",
    ]
    assert 'value="call me"' in page.get_data(as_text=True)  # what was typed stays to be corrected
    assert row_counts(sqlite_db) == before


def test_a_logo_is_checked_by_its_content_shown_beside_the_councils_name_and_can_be_removed(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")

    pdf_named_png = client.post(
        "/admin/council-details",
        data={"logo-logo": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "logo.png"), "logo-upload_logo": "Upload logo"},
        content_type="multipart/form-data",
    )
    assert pdf_named_png.status_code == 400
    assert error_summary(pdf_named_png.get_data(as_text=True)) == ["The logo must be a PNG or JPG"]

    uploaded = client.post(
        "/admin/council-details",
        data={"logo-logo": (io.BytesIO(png()), "crest.png"), "logo-upload_logo": "Upload logo"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    top = header(client.get("/admin/").get_data(as_text=True))
    assert '<img class="casework-header__logo" src="/councils/BDC/logo" alt="">' in top  # the name beside it says it
    client.post("/account/sign-out")
    logo = client.get("/councils/BDC/logo")  # anyone may fetch it: it is on every page of the council's
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == png()
    assert client.get("/councils/BDC/logo", headers={"If-None-Match": logo.headers["ETag"]}).status_code == 304

    sign_in_as(client, sqlite_db, world.admin.user_id, "council_admin:BDC")
    assert client.post("/admin/council-details/logo/remove").status_code == 302
    assert "casework-header__logo" not in header(client.get("/admin/").get_data(as_text=True))
    assert client.get("/councils/BDC/logo").status_code == 404


def test_only_a_council_admin_changes_the_details_and_a_logo_over_512_kb_is_refused(sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    with pytest.raises(council_details.PermissionDenied):
        council_details.set_my_details(sqlite_db, world.officer, council_details.ContactChanges(phone="01632 960 001"))
    with pytest.raises(council_details.InvalidInput) as refused:
        council_details.set_my_logo(sqlite_db, None, world.admin, png() + b"\x00" * 600_000)  # type: ignore[arg-type]
    assert refused.value.errors == {"logo": "The logo must be smaller than 512 KB"}


def test_a_register_entry_shows_the_header_and_contacts_of_the_council_whose_register_it_is(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    council_details.set_my_details(
        sqlite_db, world.admin, council_details.ContactChanges(email="acv@borsetshire.example.gov.uk")
    )
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))

    page = client.get(f"/register/BDC/{listing.reference}").get_data(as_text=True)  # nobody signed in

    assert "Borsetshire District Council" in header(page) and "acv@borsetshire.example.gov.uk" in footer(page)


def test_when_the_database_does_not_answer_pages_still_show_the_service_header_not_a_crash(tmp_path: Path) -> None:
    gone = Database(f"sqlite:///{tmp_path / 'no such folder' / 'casework.db'}")  # every query fails to connect
    client = make_app(gone, tmp_path).test_client()

    page = client.get("/accessibility")  # lists the councils: the database is needed and is not there

    assert page.status_code == 500
    html = page.get_data(as_text=True)
    assert "Community rights casework" in header(html) and "Try again later." in html
