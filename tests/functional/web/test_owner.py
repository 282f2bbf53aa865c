"""Owners on their pages: the notice check while an earlier protected period runs, review requests and claims."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.queries import case_summary
from casework.services import deadlines
from tests.factories import World, list_pub, make_world, owners_notice
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_forms import error_summary
from tests.integration.test_transitions import row_counts
from workflows import periods

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("days_ago", "state", "position"),
    [
        (3, "interim_moratorium", "Until then you may market the land and negotiate"),
        (60, "owner_free", "The moratorium has ended. You may sell to anyone until the end of"),
    ],
    ids=["in the interim moratorium", "free to sell"],
)
def test_an_owner_whose_protected_period_is_running_is_told_until_when_and_offered_no_notice(
    client: FlaskClient, sqlite_db: Database, days_ago: int, state: str, position: str
) -> None:
    world = make_world(sqlite_db)
    listing = list_pub(sqlite_db, world)
    asset_id = case_summary(sqlite_db, listing).asset_id
    received = london_date(utcnow()) - timedelta(days=days_ago)
    cycle = owners_notice(
        sqlite_db, world, listing, received_on=received, now=datetime.combine(received, datetime.min.time(), UTC)
    )
    deadlines.sweep(sqlite_db)
    assert case_summary(sqlite_db, cycle).state == state
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    before = row_counts(sqlite_db)

    page = client.get(f"/owner/land/{asset_id}/notice").get_data(as_text=True)
    answers = {"disposal_type": "freehold", "vacant_possession": "yes", "stage": "send"}
    sent = client.post(f"/owner/land/{asset_id}/notice", data=answers).get_data(as_text=True)

    assert "You do not need to give a new notice" in page
    assert case_summary(sqlite_db, cycle).reference in page
    protected_end = periods.moratorium_timeline(received)[2].due
    assert f"Its protected period runs until the end of <strong>{periods.long_date(protected_end)}</strong>" in page
    assert "section 95(4)" in page and "Protected period ends" in page
    assert position in page
    assert "Send the notice" not in page and "Interim moratorium ends" in page
    assert "Send the notice" not in sent
    assert row_counts(sqlite_db) == before


BOUNDARY = "casework-test-boundary"


def multipart(fields: dict[str, str], filename: str, content: bytes) -> bytes:
    """A form with one file, encoded by hand: the test client spools a big body to a file it never closes."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
    head += "Content-Type: application/pdf\r\n\r\n"
    return b"".join([*parts, head.encode(), content, f"\r\n--{BOUNDARY}--\r\n".encode()])


def recent_listing(db: Database, world: World) -> uuid.UUID:
    """A pub listed ten days ago, so the owner is still in time to ask for a review (8 weeks, Sch.2 para.1)."""
    decided = london_date(utcnow()) - timedelta(days=10)
    return list_pub(db, world, decided_on=decided, now=datetime.combine(decided, time(9), UTC) - timedelta(days=20))


def test_an_owner_asks_for_a_review_in_their_own_words_straight_from_their_land_page(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, recent_listing(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    action = f"/cases/{listing.reference}/actions/request_review"

    land = client.get(f"/owner/land/{listing.asset_id}").get_data(as_text=True)
    case_page = client.get(f"/cases/{listing.reference}").get_data(as_text=True)
    form = client.get(action).get_data(as_text=True)
    asked = client.post(
        action, data={"version": listing.version, "oral_hearing_requested": "y"}, follow_redirects=True
    ).get_data(as_text=True)

    assert f'<a class="govuk-link" href="{action}">Ask for a review of the listing</a>' in land
    assert f'<a class="govuk-link" href="{action}">Ask for a review</a>' in case_page
    assert '<h1 class="govuk-heading-xl">Ask for a review</h1>' in form
    assert "I would like an oral hearing" in form and 'type="checkbox"' in form
    assert "What happens next" in form and "The council will write to you" in form
    for officers_words in ("Record a request for review", "An oral hearing was asked for", "the council must:"):
        assert officers_words not in form
    assert "date the council received" not in form.lower()
    assert "Request for review sent" in asked
    assert "Friends of the Bull" not in asked  # the owner asked for themselves, not for the nominating group
    assert "allowed a longer period" not in form + asked  # the council's answer, not theirs
    assert case_summary(sqlite_db, listing.id).state == "review_requested"
    assert case_summary(sqlite_db, listing.id).facts["oral_hearing_requested"] is True


def test_an_owner_claims_compensation_and_a_bad_claim_keeps_what_was_typed(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    asset_id = case_summary(sqlite_db, list_pub(sqlite_db, world)).asset_id
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    today = london_date(utcnow())
    before = row_counts(sqlite_db)

    bad = client.post(
        f"/owner/land/{asset_id}/claim",
        data={"loss_ended_on": ["31", "2", "2026"], "amount_claimed": "", "claim_parts": "Surveyor's fees: 400",
              "public_body": "no"},
    )  # fmt: skip
    assert row_counts(sqlite_db) == before
    sent = client.post(
        f"/owner/land/{asset_id}/claim",
        data={"loss_ended_on": [str(today.day), str(today.month), str(today.year)], "amount_claimed": "400.00",
              "claim_parts": "Surveyor's fees: 400", "public_body": "no"},
        follow_redirects=True,
    )  # fmt: skip

    assert error_summary(bad.get_data(as_text=True)) == [
        "The date the loss or expense was incurred, or finished being incurred must be a real date",
        "Enter total amount claimed",
    ]
    assert "Surveyor&#39;s fees: 400" in bad.get_data(as_text=True)
    assert "Claim sent" in sent.get_data(as_text=True) and "Surveyor&#39;s fees: 400" in sent.get_data(as_text=True)


def test_an_owner_records_an_exempt_disposal_and_the_land_stays_listed(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")

    recorded = client.post(
        f"/owner/land/{listing.asset_id}/exempt-disposal",
        data={"disposal_entered_on": ["1", "11", "2026"], "exemption": "family", "details": "To my daughter"},
        follow_redirects=True,
    )

    assert "The exempt disposal has been recorded. The land stays listed." in recorded.get_data(as_text=True)
    assert case_summary(sqlite_db, listing.id).state == "listed"


def test_an_owner_and_a_group_add_documents_to_their_cases(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    for user, role in ((world.owner.user_id, "owner:"), (world.member.user_id, "community_member:")):
        sign_in_as(client, sqlite_db, user, role)
        added = client.post(
            f"/cases/{listing.reference}/documents",
            data={"file": (io.BytesIO(PDF), f"{role[:5]}.pdf"), "description": "Our letter"},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert "The document has been added." in added.get_data(as_text=True)
        assert f"{role[:5]}.pdf" in added.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_on_the_form_keeping_what_was_typed(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    before = row_counts(sqlite_db)

    page = client.post(
        f"/cases/{listing.reference}/documents",
        data=multipart({"description": "Survey"}, "big.pdf", PDF + b"0" * (11 * 1024 * 1024)),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert error_summary(html) == ["The selected file must be smaller than 10 MB"]
    assert 'value="Survey"' in html
    assert row_counts(sqlite_db) == before


def test_a_request_too_big_to_read_gets_a_gov_uk_page_with_the_error_summary(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    case_url = f"http://localhost/cases/{listing.reference}"

    page = client.post(  # raw bytes: the refusal comes from the length alone, before anything is read
        f"/cases/{listing.reference}/documents",
        data=b"0" * (41 * 1024 * 1024),
        content_type="multipart/form-data; boundary=x",
        headers={"Referer": case_url},
    )

    html = page.get_data(as_text=True)
    assert page.status_code == 413
    assert "<title>Error: The file is too big" in html
    assert 'class="govuk-error-summary"' in html
    assert f'<a href="{case_url}#file">The selected file must be smaller than 10 MB</a>' in html  # to the form
    assert f'href="{case_url}">Go back and choose a smaller file' in html


def test_officers_see_internal_and_public_notes_and_the_owner_and_group_only_public_ones(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    reference = case_summary(sqlite_db, list_pub(sqlite_db, world)).reference
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    client.post(f"/officer/cases/{reference}/notes", data={"text": "Owner sounded unhappy"})
    client.post(f"/officer/cases/{reference}/notes", data={"text": "Site visit on 3 April", "public": "y"})

    officer = client.get(f"/officer/cases/{reference}").get_data(as_text=True)
    pages = {}
    for user, role in ((world.owner.user_id, "owner:"), (world.member.user_id, "community_member:")):
        sign_in_as(client, sqlite_db, user, role)
        pages[role] = client.get(f"/cases/{reference}").get_data(as_text=True)
    register = client.get(f"/register/BDC/{reference}").get_data(as_text=True)

    assert "Owner sounded unhappy" in officer and "Internal" in officer and "Site visit on 3 April" in officer
    for page in pages.values():
        assert "Site visit on 3 April" in page and "Owner sounded unhappy" not in page
    assert "Owner sounded unhappy" not in register


def test_checking_what_applies_puts_the_result_and_its_dates_at_the_top_of_the_page_in_a_banner_that_takes_focus(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")

    page = client.post(
        f"/owner/land/{listing.asset_id}/notice", data={"disposal_type": "freehold", "vacant_possession": "yes"}
    ).get_data(as_text=True)

    banner = re.search(r'<div class="govuk-notification-banner"[^>]*>', page)
    assert banner and 'role="alert"' in banner.group(0) and 'id="result"' in banner.group(0)
    assert banner.start() < page.index('<form method="post"')  # above the questions, not under them
    result = page[banner.start() : page.index('<form method="post"')]
    assert "You must give notice: a moratorium will apply" in result
    interim, full, protected = periods.moratorium_timeline(london_date(utcnow()))
    for due in (interim.due, full.due, protected.due):
        assert periods.long_date(due) in result


@pytest.mark.parametrize(
    ("answers", "verdict", "offered"),
    [
        (
            {"disposal_type": "freehold", "vacant_possession": "yes", "exemptions": ["gift"]},
            "The moratorium does not apply: record the exempt disposal",
            "Record the exempt disposal",
        ),
        (
            {"disposal_type": "lease", "lease_years": "10", "vacant_possession": "yes"},
            "You do not need to give notice",
            "Check what applies",
        ),
    ],
    ids=["a gift is exempt", "a ten-year lease is not a relevant disposal"],
)
def test_a_sale_the_moratorium_does_not_apply_to_says_why_and_offers_no_notice(
    client: FlaskClient, sqlite_db: Database, answers: dict[str, object], verdict: str, offered: str
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")

    page = client.post(f"/owner/land/{listing.asset_id}/notice", data=answers).get_data(as_text=True)

    assert verdict in page and offered in page
    assert "Send the notice to the council" not in page and "Interim moratorium ends" not in page
    assert row_counts(sqlite_db)["cases"] == 1  # the listing only: nothing was sent


def test_an_owners_land_under_a_moratorium_shows_its_dates_and_links_to_what_they_mean(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = list_pub(sqlite_db, world)
    asset_id = case_summary(sqlite_db, listing).asset_id
    received = london_date(utcnow()) - timedelta(days=3)
    owners_notice(sqlite_db, world, listing, received_on=received, now=datetime.combine(received, time(9), UTC))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")

    page = client.get(f"/owner/land/{asset_id}").get_data(as_text=True)

    interim, _, protected = periods.moratorium_timeline(received)
    assert "Interim moratorium ends" in page and periods.long_date(interim.due) in page
    assert "Protected period ends" in page and periods.long_date(protected.due) in page
    assert periods.long_date(received) in page
    assert f'href="/owner/land/{asset_id}/notice">What these dates mean for a sale</a>' in page
