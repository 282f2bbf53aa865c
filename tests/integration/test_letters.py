"""Letters by post: planned with the notice, printed by the worker, posted by officers or by GOV.UK Notify, and the
posting recorded on the case as the proof of service."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pdfplumber
import pytest
from sqlalchemy import select, update

from casework.adapters.notify_letters import NotifyLetters
from casework.adapters.smtp import SmtpMailer
from casework.db import Database
from casework.errors import Conflict, InvalidInput, NotFound
from casework.models import CaseEvent, Council, Delivery, Letter
from casework.notifying.letters import posting
from casework.notifying.letters import sending as letters
from casework.notifying.letters import statuses as letter_statuses
from casework.queries.case_page import case_page
from casework.queries.letters import letter_file, letters_file, letters_page
from tests.factories import World, list_pub, make_world
from tests.integration.test_notifications import deliver_everything
from tests.mailserver import start_mail_server
from tests.notifyserver import API_KEY, Notify, start_notify

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 2, 9, tzinfo=UTC)  # Thursday before Easter: Good Friday and Easter Monday are not working days
RETURN_ADDRESS = "Council Offices\nMain Street\nBorchester\nBC1 1AA"


@pytest.fixture
def mailer() -> Iterator[SmtpMailer]:
    _, controller = start_mail_server()
    sender = SmtpMailer(f"smtp://127.0.0.1:{controller.port}", "Casework <noreply@casework.example>")
    yield sender
    sender.close()
    controller.stop()


def _listed_with_letters(db: Database, mailer: SmtpMailer) -> tuple[World, uuid.UUID]:
    world = make_world(db)
    with db.transaction() as session:
        session.execute(update(Council).values(address=RETURN_ADDRESS))
    case_id = list_pub(db, world)
    deliver_everything(db, mailer)
    return world, case_id


def _letters(db: Database) -> list[Letter]:
    with db.reader() as session:
        return list(session.scalars(select(Letter).order_by(Letter.created_at)))


def _letter(db: Database, letter_id: uuid.UUID) -> Letter:
    """One letter read again: two letters made in the same instant have no fixed order between reads."""
    with db.reader() as session:
        return session.get_one(Letter, letter_id)


def _events(db: Database, kind: str) -> list[CaseEvent]:
    with db.reader() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.kind == kind)))


def test_a_notice_to_someone_with_no_email_becomes_a_letter_with_its_words_and_the_councils_return_address(
    db: Database, mailer: SmtpMailer
) -> None:
    _listed_with_letters(db, mailer)
    assert [(letter.status, letter.pdf) for letter in _letters(db)] == [("rendering", None), ("rendering", None)]
    assert letters.prepare(db, now=NOW).rendered == 2
    first, second = _letters(db)
    assert (first.status, second.status) == ("to_post", "to_post")
    with pdfplumber.open(io.BytesIO(second.pdf or b"")) as document:
        text = " ".join(" ".join(page.extract_text() for page in document.pages).split())
    assert "Dear Bull Inns Ltd" in text
    assert "has been included in the council's list of assets of community value" in text
    assert "Council Offices Main Street Borchester BC1 1AA" in text
    assert "Furthers the social wellbeing of the village" in text  # the reasons (s.91(3))
    assert "We are writing to you as the occupier." in text
    with db.reader() as session:
        deliveries = session.scalars(select(Delivery).where(Delivery.channel == "post")).all()
    assert {d.status for d in deliveries} == {"by_post"}  # a letter still to post is still to do


def test_an_officer_downloads_every_letter_in_one_pdf_marks_them_posted_and_the_case_shows_when_they_arrive(
    db: Database, mailer: SmtpMailer
) -> None:
    world, _ = _listed_with_letters(db, mailer)
    letters.prepare(db, now=NOW)
    page = letters_page(db, world.officer, now=NOW)
    assert [view.status_label for view in page.waiting] == ["To post", "To post"]
    count, pdf = letters_file(db, world.officer)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert count == 2 and sum("Dear Bull Inns Ltd" in (p.extract_text() or "") for p in document.pages) == 2
    name, one = letter_file(db, world.officer, page.waiting[0].id)
    assert name.startswith("letter-bdc-acv-") and one.startswith(b"%PDF")

    arrivals = posting.mark_posted(db, world.officer, [v.id for v in page.waiting], date(2026, 4, 2), now=NOW)

    assert arrivals == [date(2026, 4, 8)] * 2  # Good Friday and Easter Monday skipped (Interpretation Act s.7)
    assert letters_page(db, world.officer, now=NOW).waiting == ()
    posted = _events(db, "letter_posted")
    assert len(posted) == 2
    assert "Posted on Thursday 2 April 2026" in posted[0].summary
    assert "arrives on Wednesday 8 April 2026 (Interpretation Act 1978 s.7)" in posted[0].summary
    shown = [d for d in case_page(db, world.officer, "BDC-ACV-00001").deliveries if d.channel == "post"]
    assert {(d.status, d.posted_on, d.arrives_on) for d in shown} == {("sent", date(2026, 4, 2), date(2026, 4, 8))}
    with pytest.raises(Conflict, match="posted already"):
        posting.mark_posted(db, world.officer, [page.waiting[0].id], date(2026, 4, 2), now=NOW)


def test_posting_is_refused_in_the_future_for_nothing_and_for_another_councils_letter(
    db: Database, mailer: SmtpMailer
) -> None:
    world, _ = _listed_with_letters(db, mailer)
    letters.prepare(db, now=NOW)
    waiting = [v.id for v in letters_page(db, world.officer, now=NOW).waiting]
    with pytest.raises(InvalidInput, match="today or in the past"):
        posting.mark_posted(db, world.officer, waiting, date(2026, 4, 3), now=NOW)
    with pytest.raises(InvalidInput, match="Select the letters"):
        posting.mark_posted(db, world.officer, [], date(2026, 4, 2), now=NOW)
    elsewhere = make_world(db, code="ODC")
    with pytest.raises(NotFound):
        posting.mark_posted(db, elsewhere.officer, waiting, date(2026, 4, 2), now=NOW)
    with pytest.raises(NotFound):
        letter_file(db, elsewhere.officer, waiting[0])
    assert [letter.status for letter in _letters(db)] == ["to_post", "to_post"]


def test_another_reasonable_step_is_recorded_in_words_instead_of_posting(db: Database, mailer: SmtpMailer) -> None:
    world, _ = _listed_with_letters(db, mailer)
    letters.prepare(db, now=NOW)
    first = letters_page(db, world.officer, now=NOW).waiting[0]
    with pytest.raises(InvalidInput, match="Describe the step"):
        posting.record_other_step(db, world.officer, first.id, "  ", date(2026, 4, 2), now=NOW)
    step = "Notice fixed to the front door of the pub and photographed"
    posting.record_other_step(db, world.officer, first.id, step, date(2026, 4, 2), now=NOW)
    (event,) = _events(db, "notice_other_step")
    assert "another reasonable step was taken on Thursday 2 April 2026 (LA 2011 s.91)" in event.summary
    assert step in event.summary
    assert [v.id for v in letters_page(db, world.officer, now=NOW).done] == [first.id]


def test_an_officer_writes_by_post_as_well_as_an_email_or_instead_of_one_that_failed(
    db: Database, mailer: SmtpMailer
) -> None:
    world, _ = _listed_with_letters(db, mailer)
    with db.reader() as session:
        email = session.scalars(
            select(Delivery).where(Delivery.channel == "email", Delivery.template == "listed").order_by(Delivery.id)
        ).first()
    assert email is not None and email.status == "sent"
    with pytest.raises(Conflict, match="as well, not instead"):
        posting.send_by_post(
            db, world.officer, email.id, "Friends of the Bull", "1 Green, Ambridge, BC3 1AA", instead=True, now=NOW
        )
    posting.send_by_post(db, world.officer, email.id, "Friends of the Bull", "1 Green\nAmbridge\nBC3 1AA", now=NOW)
    with pytest.raises(Conflict, match="made for this notice already"):
        posting.send_by_post(db, world.officer, email.id, "Friends of the Bull", "1 Green\nAmbridge\nBC3 1AA", now=NOW)
    with db.transaction() as session:
        session.execute(update(Delivery).where(Delivery.id == email.id).values(status="failed"))
    posting.send_by_post(
        db, world.officer, email.id, "Friends of the Bull", "2 Green, Ambridge, BC3 1AA", instead=True, now=NOW
    )
    letters.prepare(db, now=NOW)
    with db.reader() as session:
        assert session.get_one(Delivery, email.id).status == "replaced"
        written = session.scalars(select(Letter).where(Letter.recipient_name == "Friends of the Bull")).all()
    assert len(written) == 2
    with pdfplumber.open(io.BytesIO(written[0].pdf or b"")) as document:
        text = " ".join(document.pages[0].extract_text().split())
    assert "has been included in the council's list of assets of community value" in text  # the email's own words
    assert len(_events(db, "letter_requested")) == 2


@pytest.fixture
def notify() -> Iterator[tuple[Notify, NotifyLetters]]:
    stand_in, server = start_notify()
    yield stand_in, NotifyLetters(API_KEY, base_url=stand_in.url)
    server.shutdown()
    server.server_close()


def test_with_notify_letters_are_sent_as_precompiled_pdfs_followed_to_the_post_and_a_returned_one_comes_back(
    db: Database, mailer: SmtpMailer, notify: tuple[Notify, NotifyLetters]
) -> None:
    stand_in, sender = notify
    world, _ = _listed_with_letters(db, mailer)
    done = letters.prepare(db, sender, now=NOW)
    assert (done.rendered, done.sent) == (2, 2)
    sent = stand_in.letters()
    assert [n["address"].splitlines() for n in sent] == [["Bull Inns Ltd", "The Bull", "1 High Street", "Ambridge"]] * 2
    assert {n["postage"] for n in sent} == {"first"}
    first, second = _letters(db)
    assert (first.status, second.status) == ("with_notify", "with_notify")
    assert letters_page(db, world.officer, now=NOW).waiting == ()

    stand_in.progress(str(first.notify_id), "received")
    stand_in.progress(str(second.notify_id), "permanent-failure")
    assert letter_statuses.check_statuses(db, sender, now=NOW) == 2
    assert letter_statuses.check_statuses(db, sender, now=NOW) == 0  # final answers are not asked again

    first, second = _letter(db, first.id), _letter(db, second.id)
    assert (first.posted_on, first.arrives_on, first.notify_status) == (date(2026, 4, 2), date(2026, 4, 8), "received")
    assert "GOV.UK Notify handed it to the postal service" in _events(db, "letter_posted")[0].summary
    assert second.status == "failed" and "could not print or post it" in (second.last_error or "")

    # Weeks later Notify's returned-letter callback says the posted one came back.
    assert letter_statuses.record_letter_status(
        db, str(first.notify_id), "returned-letter", on=date(2026, 4, 20), now=NOW
    )
    assert not letter_statuses.record_letter_status(db, str(first.notify_id), "returned-letter", now=NOW)
    assert not letter_statuses.record_letter_status(db, "not-a-letter-we-sent", "received", now=NOW)
    first = _letter(db, first.id)
    assert (first.status, first.returned_on) == ("failed", date(2026, 4, 20))
    assert len(_events(db, "letter_returned")) == 1
    back = letters_page(db, world.officer, now=NOW).waiting
    assert {v.status_label for v in back} == {"Not delivered"} and len(back) == 2
    with db.reader() as session:
        assert session.get_one(Delivery, first.delivery_id).status == "by_post"  # to do again


def test_a_letter_with_no_address_waits_for_one_and_is_made_again_when_an_officer_adds_it(
    db: Database, mailer: SmtpMailer
) -> None:
    world, _ = _listed_with_letters(db, mailer)
    with db.transaction() as session:
        session.execute(update(Letter).values(address=""))
    letters.prepare(db, now=NOW)
    first = letters_page(db, world.officer, now=NOW).waiting[0]
    assert first.status_label == "No address"
    with pytest.raises(Conflict, match="no address"):
        posting.mark_posted(db, world.officer, [first.id], date(2026, 4, 2), now=NOW)
    posting.send_by_post(
        db, world.officer, first.delivery_id, "The Occupier", "The Bull\n1 High Street\nAmbridge\nBC3 2AA", now=NOW
    )
    letters.prepare(db, now=NOW)
    again = next(v for v in letters_page(db, world.officer, now=NOW).waiting if v.id == first.id)
    assert (again.status_label, again.recipient_name) == ("To post", "The Occupier")
    assert len(_events(db, "letter_readdressed")) == 1
