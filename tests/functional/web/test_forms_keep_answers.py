"""Forms that keep what people type: check answers shows every answer and comes back to itself, the evidence page
keeps its words through an upload, no radio is chosen for anyone, and each thing sent ends on a confirmation page.
Then the record officers read: withdrawals labelled, the council's own answers not blamed on a party, a service by
its name, the owner once, dates in the order they fall."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from html import unescape

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.db import Database
from casework.models import Case
from casework.notifying.notices.render import render
from casework.queries import case_summary
from casework.services import deadlines, nominations
from casework.services.case_transitions import apply_transition
from tests.factories import list_pub, make_world
from tests.functional.web.conftest import sign_in_as
from tests.functional.web.test_submissions import submitted_part
from tests.integration.test_nominations_and_claims import _decided_claim
from workflows.errors import GuardFailed

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def begin(client: FlaskClient) -> str:
    start = client.get("/community/nominations/new").get_data(as_text=True)
    group = re.search(r'name="group" type="hidden" value="([^"]+)"', start)
    assert group, "a member of one group is not asked which group"
    begun = client.post("/community/nominations/new", data={"group": group.group(1), "council": "BDC"})
    return str(begun.headers["Location"].split("/")[3])


ANSWERS = {
    "asset": {"name": "The Bull", "address": "1 High Street, Ambridge", "postcode": "BS1 4ND", "category": "pub",
              "ward": "Ambridge Ward", "parishes": ""},
    "land": {"boundary_description": "The pub, its garden and the car park", "latitude_longitude": "52.195, -2.095"},
    "people": {"occupants": "Bull Inns Ltd", "ownership": "Borchester Brewery plc",
               "owner_email": "brewery@example.com"},
    "reasons": {"reasons": "The only pub in the village"},
    "evidence": {"eligibility_evidence": "Community benefit society IP31234"},
    "listability": {"residence": "no", "residence_partly": "", "caravan_site": "no", "operational_land": "yes"},
}  # fmt: skip


def answer_everything(client: FlaskClient, reference: str) -> None:
    for step, data in ANSWERS.items():
        assert client.post(f"/community/nominations/{reference}/{step}", data=data).status_code == 302, step


def rows(page: str) -> dict[str, str]:
    """Check answers as a person reads it: each question and its answer."""
    found = re.findall(r'<dt class="govuk-summary-list__key">\s*(.*?)\s*</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>', page, re.S)
    return {unescape(key): unescape(re.sub(r"<[^>]+>", "", value)).strip() for key, value in found}


def test_check_answers_shows_every_answer_the_files_and_not_provided_for_what_was_skipped(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = begin(client)
    answer_everything(client, reference)
    client.post(
        f"/community/nominations/{reference}/evidence-file",
        data={"file": (io.BytesIO(PDF), "rules.pdf"), "description": "Our rules"},
        content_type="multipart/form-data",
    )

    shown = rows(client.get(f"/community/nominations/{reference}/check").get_data(as_text=True))

    assert shown["Postcode"] == "BS1 4ND"
    assert shown["Ward"] == "Ambridge Ward"
    assert shown["Location (latitude, longitude)"] == "52.195, -2.095"
    assert "brewery@example.com" in shown["Owners and occupiers to tell"]
    assert shown["A caravan site that needs a site licence"] == "No"
    assert shown["Operational land of a utility or transport company"] == "Yes"
    assert "rules.pdf" in shown["Files"] and "Our rules" in shown["Files"]
    assert shown["Unique property reference number (UPRN)"] == "Not provided"
    assert shown["Parishes the land is in"] == "Not in a parish"


def test_every_change_link_on_check_answers_returns_there_once_the_answer_is_saved(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = begin(client)
    answer_everything(client, reference)
    check = client.get(f"/community/nominations/{reference}/check").get_data(as_text=True)
    links = {link for link in re.findall(r'href="([^"]+)"[^>]*>\s*Change', check) if "/nominations/" in link}
    assert {link.split("?")[0].rsplit("/", 1)[1] for link in links} == set(ANSWERS)

    for link in sorted(links):
        link = link.replace("&amp;", "&")
        step = link.split("?")[0].rsplit("/", 1)[1]
        form = client.get(link).get_data(as_text=True)
        assert "return_to=check" in re.search(r'<form method="post" action="([^"]+)"', form).group(1)  # type: ignore[union-attr]
        saved = client.post(link, data=ANSWERS[step])
        assert saved.headers["Location"] == f"/community/nominations/{reference}/check", step


def test_words_typed_on_the_evidence_page_survive_an_upload_and_a_failed_one(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = begin(client)
    typed = "Registered society IP31234; our rules are attached"

    uploaded = client.post(
        f"/community/nominations/{reference}/evidence-file",
        data={"eligibility_evidence": typed, "file": (io.BytesIO(PDF), "rules.pdf"), "description": "Rules"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    page = client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert typed in page and "rules.pdf" in page

    no_file = client.post(
        f"/community/nominations/{reference}/evidence-file",
        data={"eligibility_evidence": typed + " and a letter"},
        content_type="multipart/form-data",
    )
    assert no_file.status_code == 400
    assert "Select a file" in no_file.get_data(as_text=True) and typed + " and a letter" in no_file.get_data(
        as_text=True
    )
    with sqlite_db.reader() as session:
        draft = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert draft.facts["nomination"]["eligibility_evidence"] == typed + " and a letter"

    continued = client.post(
        f"/community/nominations/{reference}/evidence",
        data={"eligibility_evidence": typed, "file": (io.BytesIO(PDF), "plan.pdf"), "description": "Plan"},
        content_type="multipart/form-data",
    )  # a file chosen and "Save and continue" pressed instead of "Upload": kept as well
    assert continued.status_code == 302
    assert "plan.pdf" in client.get(f"/community/nominations/{reference}/check").get_data(as_text=True)


def test_no_radio_starts_chosen_on_a_new_nomination(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = begin(client)

    for step in ("asset", "listability"):
        page = client.get(f"/community/nominations/{reference}/{step}").get_data(as_text=True)
        assert 'type="radio"' in page and "checked" not in page, step
    check = rows(client.get(f"/community/nominations/{reference}/check").get_data(as_text=True))
    assert check["Kind of place"] == "Not provided"
    assert check["Someone's home, or land that goes with a home"] == "Not provided"

    client.post(f"/community/nominations/{reference}/listability", data=ANSWERS["listability"])
    page = client.get(f"/community/nominations/{reference}/listability").get_data(as_text=True)
    assert re.search(r'name="operational_land" type="radio" value="yes" checked', page)  # the group's own answer


def test_a_nomination_ends_on_a_confirmation_page_with_its_reference_dates_contact_and_record(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = begin(client)
    answer_everything(client, reference)
    check = client.get(f"/community/nominations/{reference}/check").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', check)
    assert version
    sent = client.post(f"/community/nominations/{reference}/check", data={"version": version.group(1)})
    assert sent.headers["Location"] == f"/cases/{reference}/sent"

    page = client.get(sent.headers["Location"]).get_data(as_text=True)
    due = case_summary(sqlite_db, nominations.draft(sqlite_db, world.member, reference).case_id).deadlines[0]
    assert 'class="govuk-panel' in page and "Nomination sent" in page and reference in page
    assert "Decide the nomination" in page and f"{due.due_date.day} {due.due_date:%B %Y}" in page
    assert "Contact the council" in page and "Borsetshire" in page
    assert "The only pub in the village" in page and "Print this page" in page


def test_someone_who_sent_nothing_on_a_case_is_shown_the_case_not_a_confirmation(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    assert client.get(f"/cases/{listing.reference}/sent").headers["Location"] == f"/cases/{listing.reference}"


def test_an_owner_cannot_allow_their_own_late_review_request(sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    claim = _decided_claim(sqlite_db, world)
    deadlines.sweep(sqlite_db, now=datetime(2026, 9, 14, 0, tzinfo=UTC))
    waived = {"review_request_received_on": "2026-09-20", "late_request_allowed_in_writing": "yes"}

    with pytest.raises(GuardFailed, match="after the time limit ended"):  # the waiver is the council's to give
        apply_transition(sqlite_db, claim, "request_review", world.owner, waived, now=datetime(2026, 9, 21, tzinfo=UTC))


def test_the_record_labels_a_withdrawal_and_leaves_out_answers_only_the_council_gives(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    reference = begin(client)
    answer_everything(client, reference)
    check = client.get(f"/community/nominations/{reference}/check").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', check)
    assert version
    client.post(f"/community/nominations/{reference}/check", data={"version": version.group(1)})
    withdraw = client.get(f"/cases/{reference}/actions/withdraw").get_data(as_text=True)
    current = re.search(r'name="version" type="hidden" value="(\d+)"', withdraw)
    assert current
    gone = client.post(
        f"/cases/{reference}/actions/withdraw", data={"version": current.group(1), "reasons": "The pub has closed"}
    )
    assert gone.headers["Location"] == f"/cases/{reference}"  # a withdrawal is not something sent to consider

    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    submitted = submitted_part(client.get(f"/officer/cases/{reference}").get_data(as_text=True))
    assert "Withdrawal of the nomination" in submitted and "Withdrawn</strong>" in submitted
    assert "The pub has closed" in submitted


def test_the_owner_named_in_the_nomination_and_their_account_are_one_person_with_an_interest(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    page = client.get(f"/officer/cases/{listing.reference}").get_data(as_text=True)
    people = page.split("People with an interest")[1].split("</ul>")[0]
    owners = re.findall(r"<strong>Owner</strong>: ([^<]*)", people)
    emails = [owner.rsplit(", ", 1)[-1] for owner in owners]
    assert len(emails) == len(set(emails)), owners


def test_case_dates_are_listed_in_the_order_they_fall(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    client.post(
        f"/owner/land/{listing.asset_id}/notice",
        data={"disposal_type": "freehold", "vacant_possession": "yes", "stage": "send"},
    )
    with sqlite_db.reader() as session:
        cycle = session.scalars(select(Case.reference).where(Case.workflow == "moratorium")).one()
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    client.post(f"/community/bids/{cycle}", data={"group": str(world.group_id)})

    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    dates = client.get(f"/officer/cases/{cycle}").get_data(as_text=True).split("Dates</caption>")[1]
    order = [dates.index(label) for label in ("Interim moratorium ends", "Full moratorium ends", "Protected period")]
    assert order == sorted(order)


def test_the_calculator_says_what_ends_on_each_date(client: FlaskClient) -> None:
    page = client.get("/date-calculator?event=owners_notice&day=5&day=9&day=2025").get_data(as_text=True)
    headings = re.findall(r'<h3 class="govuk-summary-card__title">([^<]+)</h3>', page)
    assert headings[0] == "Interim moratorium ends" and headings[2] == "Protected period ends"


def test_plain_text_emails_give_what_happens_next_a_paragraph_of_its_own() -> None:
    text = render(
        "staff_invitation", "You are invited", {"council": "BDC", "role": "officer", "link": "https://x/y"}
    ).text
    assert "\n\nWhat happens next\n" in text and "Case reference" not in text
