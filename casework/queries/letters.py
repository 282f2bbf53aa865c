"""The officers' letters: those waiting to be posted (or dealt with), those recently done, and their PDFs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import NotFound, PermissionDenied
from casework.models import Case, Council, Delivery, Letter
from casework.models.letter import (
    FAILED,
    NO_ADDRESS,
    OTHER_STEP,
    POSTED,
    RENDERING,
    SENDING,
    TO_POST,
    WAITING,
    WITH_NOTIFY,
)
from casework.notifying.letters.render import merged
from workflows.roles import STAFF_ROLES

STATUS_LABELS = {
    RENDERING: "Being prepared",
    NO_ADDRESS: "No address",
    TO_POST: "To post",
    SENDING: "Sending to GOV.UK Notify",
    WITH_NOTIFY: "With GOV.UK Notify",
    POSTED: "Posted",
    OTHER_STEP: "Other step taken",
    FAILED: "Not delivered",
}
RECENT = timedelta(days=30)


@dataclass(frozen=True)
class LetterView:
    id: uuid.UUID
    delivery_id: uuid.UUID
    case_reference: str | None
    recipient_name: str
    address: str
    heading: str
    status: str
    status_label: str
    created_at: datetime
    pages: int | None
    ready: bool  # its PDF is made
    posted_on: date | None
    arrives_on: date | None
    step_taken: str | None
    step_taken_on: date | None
    notify_status: str | None
    returned_on: date | None
    last_error: str | None


@dataclass(frozen=True)
class LettersPage:
    council_name: str
    has_return_address: bool
    waiting: tuple[LetterView, ...]  # to post, with no address, or back after failing
    preparing: int  # still being made by the worker
    done: tuple[LetterView, ...]  # posted, dealt with or with GOV.UK Notify in the last 30 days


def _staff_council(actor: Actor) -> uuid.UUID:
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("Letters are for council staff")
    return actor.council_id


def letters_page(db: Database, actor: Actor, *, now: datetime) -> LettersPage:
    """The actor's council's letters: waiting ones oldest first, then those done in the last 30 days."""
    council_id = _staff_council(actor)
    with db.reader() as session:
        council = session.get_one(Council, council_id)
        rows = _views(session, council_id, list(WAITING), None)
        done = _views(session, council_id, [POSTED, OTHER_STEP, WITH_NOTIFY, SENDING], now - RECENT)
        preparing = len(_views(session, council_id, [RENDERING], None))
        return LettersPage(council.name, bool(council.address), rows, preparing, done[::-1][:100])


_COLUMNS = (
    Letter.id, Letter.delivery_id, Case.reference, Letter.recipient_name, Letter.address, Letter.content,
    Letter.status, Letter.created_at, Letter.pages, Letter.pdf.is_not(None), Letter.posted_on, Letter.arrives_on,
    Letter.step_taken, Letter.step_taken_on, Letter.notify_status, Letter.returned_on, Letter.last_error,
)  # fmt: skip


def _views(
    session: Session, council_id: uuid.UUID, statuses: list[str], since: datetime | None
) -> tuple[LetterView, ...]:
    stmt = (
        select(*_COLUMNS)
        .outerjoin(Case, Case.id == Letter.case_id)
        .where(Letter.council_id == council_id, Letter.status.in_(statuses))
        .order_by(Letter.created_at, Letter.id)
    )
    if since is not None:
        stmt = stmt.where(Letter.created_at >= since)
    return tuple(_view(row) for row in session.execute(stmt).all())


def _view(row: tuple) -> LetterView:  # type: ignore[type-arg]
    (id_, delivery_id, reference, name, address, content, status, created_at, pages, ready, posted_on, arrives_on,
     step, step_on, notify_status, returned_on, error) = row  # fmt: skip
    return LetterView(
        id_, delivery_id, reference, name, address, str(content.get("heading") or ""), status,
        STATUS_LABELS.get(status, status), created_at, pages, bool(ready), posted_on, arrives_on, step, step_on,
        notify_status, returned_on, error,
    )  # fmt: skip


def letter_for_delivery(db: Database, actor: Actor, delivery_id: uuid.UUID) -> LetterView | None:
    """The letter of one delivery by post, if it has one (for the page that changes its address)."""
    council_id = _staff_council(actor)
    with db.reader() as session:
        row = session.execute(
            select(*_COLUMNS)
            .outerjoin(Case, Case.id == Letter.case_id)
            .where(Letter.council_id == council_id, Letter.delivery_id == delivery_id)
        ).first()
        return _view(tuple(row)) if row is not None else None


def letter_file(db: Database, actor: Actor, letter_id: uuid.UUID) -> tuple[str, bytes]:
    """One letter's PDF and a file name for it; NotFound if it is not the council's or not made yet."""
    council_id = _staff_council(actor)
    with db.reader() as session:
        row = session.execute(
            select(Letter.pdf, Case.reference, Letter.recipient_name)
            .outerjoin(Case, Case.id == Letter.case_id)
            .where(Letter.id == letter_id, Letter.council_id == council_id)
        ).first()
    if row is None or row.pdf is None:
        raise NotFound("There is no such letter, or it is still being prepared")
    return f"letter-{_slug(row.reference or 'notice')}-{_slug(row.recipient_name)}.pdf", row.pdf


def letters_file(db: Database, actor: Actor, letter_ids: list[uuid.UUID] | None = None) -> tuple[int, bytes]:
    """The chosen letters waiting to be posted (all of them if none are chosen) as one PDF to print, oldest first,
    and how many it holds; NotFound if there are none."""
    council_id = _staff_council(actor)
    with db.reader() as session:
        stmt = (
            select(Letter.pdf)
            .where(Letter.council_id == council_id, Letter.status.in_([TO_POST, FAILED]), Letter.pdf.is_not(None))
            .order_by(Letter.created_at, Letter.id)
        )
        if letter_ids:
            stmt = stmt.where(Letter.id.in_(letter_ids))
        pdfs = [pdf for pdf in session.scalars(stmt).all() if pdf]
    if not pdfs:
        raise NotFound("There are no letters ready to print")
    return len(pdfs), merged(pdfs)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "letter"


@dataclass(frozen=True)
class PostChoice:
    """A notice's delivery an officer may turn into a letter (or whose letter needs a new address)."""

    delivery_id: uuid.UUID
    case_reference: str
    subject: str
    channel: str
    status: str
    recipient: str
    recipient_name: str
    may_replace: bool  # an email that failed or may not have gone: a letter may go instead


def post_choice(db: Database, actor: Actor, delivery_id: uuid.UUID) -> PostChoice:
    """One of the council's notice deliveries, for the page that sends it by post; NotFound otherwise."""
    council_id = _staff_council(actor)
    with db.reader() as session:
        row = session.execute(
            select(Delivery, Case.reference)
            .join(Case, Case.id == Delivery.case_id)
            .where(Delivery.id == delivery_id, Delivery.council_id == council_id)
        ).first()
        if row is None:
            raise NotFound("There is no such letter or email")
        delivery, reference = row
        letter = session.scalars(select(Letter).where(Letter.delivery_id == delivery.id)).first()
        name = letter.recipient_name if letter else delivery.recipient_name or ""
        address = letter.address if letter else ("" if delivery.channel != "post" else delivery.recipient)
        return PostChoice(
            delivery.id, reference, delivery.subject, delivery.channel, delivery.status,
            address if delivery.channel == "post" else delivery.recipient, name,
            delivery.channel != "post" and delivery.status in ("failed", "unconfirmed"),
        )  # fmt: skip
