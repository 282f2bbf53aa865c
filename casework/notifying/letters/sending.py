"""Letters by post: made when a notice is planned, printed by the worker, posted by officers or GOV.UK Notify.

A notice to someone with no email address is planned as a delivery by post
with a letter (casework.notifying.notifications calls `letter_row`). The worker
makes each letter's PDF with no transaction open (`prepare`), then, with
GOV.UK Notify configured, hands it to Notify and follows its status
(`check_statuses`, and `record_letter_status` for Notify's callbacks).
Without Notify, officers print the letters, post them and say so
(`mark_posted`): the posting date is the proof of service, with the day the
letter arrives in the ordinary course of post beside it (Interpretation Act
1978 s.7). Or they record another reasonable step taken instead
(`record_other_step`; LA 2011 s.91). Officers may also write to anyone a
notice was emailed to (`send_by_post`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import SYSTEM as _SYSTEM
from casework.actors import Actor
from casework.adapters.mail import MailDeliveryUncertain, MailerUnavailable, MailRejected, ProviderStatus
from casework.db import Database
from casework.errors import NotFound
from casework.models import Case, Delivery, Letter
from casework.models.letter import (
    FAILED,
    NO_ADDRESS,
    POSTED,
    RENDERING,
    SENDING,
    TO_POST,
    WITH_NOTIFY,
)
from casework.models.notification import BY_POST, SENT
from casework.notifying.letters.render import letter_content, letter_pdf
from casework.notifying.receipts import ProviderCallback
from casework.repositories import councils
from casework.transitions.trail import record_event
from workflows.periods import compute, long_date

log = logging.getLogger(__name__)

DELIVERY_REPLACED = "replaced"  # an email that failed or may not have gone, replaced by a letter
DEEMED_DELIVERY_RULE = "service.first_class_post"
STALE_SENDING = timedelta(minutes=15)
NOTIFY_FINAL = {"received", "cancelled", "technical-failure", "permanent-failure", "validation-failed",
                "virus-scan-failed", "returned-letter"}  # fmt: skip
_NOTIFY_FAILURES = {
    "cancelled": "the letter was cancelled in GOV.UK Notify",
    "technical-failure": "GOV.UK Notify could not print it (a technical failure)",
    "permanent-failure": "GOV.UK Notify's printer could not print or post it",
    "validation-failed": "GOV.UK Notify found content outside the printable area or no valid address",
    "virus-scan-failed": "GOV.UK Notify's virus scan refused the PDF",
    "returned-letter": "the letter came back undelivered",
}


class LetterSender(Protocol):
    def send(self, reference: str, pdf: bytes) -> str: ...

    def status(self, reference: str) -> ProviderStatus | None: ...


# --- planning: the letter a notice by post becomes ---------------------------------------------------------


def letter_row(
    delivery: Mapping[str, Any],
    *,
    name: str,
    address: str | None,
    template: str,
    subject: str,
    context: Mapping[str, Any],
    return_address: str | None,
    now: datetime,
) -> dict[str, Any]:
    """The letter for a delivery by post, as a row to insert beside it (in the planning transaction)."""
    content = letter_content(
        template, subject, context, parties=delivery["parties"], dated=clock.london_date(now),
        return_address=return_address,
    )  # fmt: skip
    return new_letter(delivery, name, address, content, now)


def new_letter(
    delivery: Mapping[str, Any], name: str, address: str | None, content: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """A letter row for a delivery by post, waiting for its PDF."""
    return {
        "id": uuid.uuid4(),
        "council_id": delivery["council_id"],
        "case_id": delivery["case_id"],
        "delivery_id": delivery["id"],
        "recipient_name": name[:300],
        "address": (address or "").strip(),
        "content": content,
        "status": RENDERING,
        "postage": "first",
        "created_at": now,
    }


def insert_letters(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert planned letters (their deliveries were inserted just before, in the same transaction)."""
    if rows:
        session.execute(insert(Letter), list(rows))


# --- the worker: make the PDFs, hand them to GOV.UK Notify --------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    rendered: int = 0
    sent: int = 0
    failed: int = 0


def prepare(
    db: Database, sender: LetterSender | None = None, *, now: datetime | None = None, limit: int = 20
) -> Prepared:
    """Make the PDFs of letters waiting for one and, with GOV.UK Notify, send the letters ready to go.

    Rendering happens with no transaction open; each PDF is stored only if the
    letter is still waiting for it (an officer may have changed the address
    meanwhile). Sending claims each letter first (to_post -> sending,
    committed), so two workers never send one letter twice. Several
    transactions; safe to run at any time and any number of times at once.
    """
    now = now or clock.utcnow()
    rendered = _render_waiting(db, now, limit)
    if sender is None:
        return Prepared(rendered=rendered)
    sent = failed = 0
    for letter_id, pdf in _claim_to_send(db, now, limit):
        if _send_one(db, sender, letter_id, pdf, now):
            sent += 1
        else:
            failed += 1
    return Prepared(rendered, sent, failed)


def _render_waiting(db: Database, now: datetime, limit: int) -> int:
    with db.reader() as session:
        waiting = session.execute(
            select(Letter.id, Letter.content, Letter.recipient_name, Letter.address, Letter.updated_at)
            .where(Letter.status == RENDERING)
            .order_by(Letter.created_at)
            .limit(limit)
        ).all()
    done = 0
    for row in waiting:
        try:
            pdf, pages = letter_pdf(row.content, row.recipient_name, row.address)
            values: dict[str, Any] = {"pdf": pdf, "pages": pages, "status": TO_POST if row.address else NO_ADDRESS}
        except Exception as exc:  # a letter that cannot be laid out must not stop the others
            log.exception("letter %s could not be made", row.id)
            values = {"status": FAILED, "last_error": f"The letter could not be made: {type(exc).__name__}: {exc}"}
        with db.transaction() as session:
            stored = session.execute(
                update(Letter)
                .where(Letter.id == row.id, Letter.status == RENDERING)
                .where(Letter.updated_at.is_(None) if row.updated_at is None else Letter.updated_at == row.updated_at)
                .values(**values, updated_at=now)
            )
            done += stored.rowcount  # type: ignore[attr-defined]
    return done


def _claim_to_send(db: Database, now: datetime, limit: int) -> list[tuple[uuid.UUID, bytes]]:
    with db.transaction() as session:
        # A letter claimed long ago belongs to a worker that died mid-send: Notify may have it, so an officer checks.
        session.execute(
            update(Letter)
            .where(Letter.status == SENDING, Letter.updated_at < now - STALE_SENDING)
            .values(status=FAILED, updated_at=now, last_error=_UNSURE)
        )
        ids = session.scalars(
            select(Letter.id).where(Letter.status == TO_POST).order_by(Letter.created_at).limit(limit)
        ).all()
        if not ids:
            return []
        rows = session.execute(
            update(Letter)
            .where(Letter.id.in_(ids), Letter.status == TO_POST)
            .values(status=SENDING, updated_at=now)
            .returning(Letter.id, Letter.pdf)
        ).all()
    return [(row.id, row.pdf) for row in rows if row.pdf]


_UNSURE = (
    "GOV.UK Notify may or may not have accepted this letter: look for it in Notify before posting it or sending "
    "it again"
)


def _send_one(db: Database, sender: LetterSender, letter_id: uuid.UUID, pdf: bytes, now: datetime) -> bool:
    try:
        notify_id = sender.send(str(letter_id), pdf)
    except MailerUnavailable as exc:  # it certainly did not go: the next run tries again
        _finish(db, letter_id, {"status": TO_POST, "last_error": str(exc)[:2000]}, now)
        return False
    except MailRejected as exc:
        _finish(db, letter_id, {"status": FAILED, "last_error": str(exc)[:2000]}, now, delivery_error=str(exc))
        return False
    except (MailDeliveryUncertain, Exception) as exc:
        log.error("letter %s may or may not have reached GOV.UK Notify: %s", letter_id, exc)
        _finish(db, letter_id, {"status": FAILED, "last_error": _UNSURE}, now, delivery_error=_UNSURE)
        return False
    _finish(db, letter_id, {"status": WITH_NOTIFY, "notify_id": notify_id, "last_error": None}, now, sent_as=notify_id)
    return True


def _finish(
    db: Database,
    letter_id: uuid.UUID,
    values: dict[str, Any],
    now: datetime,
    *,
    delivery_error: str | None = None,
    sent_as: str | None = None,
) -> None:
    with db.transaction() as session:
        letter = session.get(Letter, letter_id, with_for_update=True)
        if letter is None or letter.status != SENDING:
            return
        for key, value in values.items():
            setattr(letter, key, value)
        letter.updated_at = now
        delivery = session.get_one(Delivery, letter.delivery_id)
        if sent_as is not None:
            delivery.status, delivery.sent_at, delivery.provider_reference = SENT, now, sent_as
        elif delivery_error is not None:
            delivery.last_error = delivery_error[:2000]


def check_statuses(db: Database, source: LetterSender, *, now: datetime | None = None, limit: int = 200) -> int:
    """Ask GOV.UK Notify what became of letters it has not given a final answer on; returns how many changed."""
    now = now or clock.utcnow()
    with db.reader() as session:
        ids = session.scalars(
            select(Letter.notify_id)
            .where(Letter.status == WITH_NOTIFY, Letter.notify_id.is_not(None))
            .where((Letter.notify_status.is_(None)) | (Letter.notify_status.not_in(sorted(NOTIFY_FINAL))))
            .order_by(Letter.updated_at)
            .limit(limit)
        ).all()
    changed = 0
    for notify_id in ids:
        try:
            answer = source.status(str(notify_id))
        except MailerUnavailable as exc:
            log.warning("could not ask GOV.UK Notify about letter %s: %s", notify_id, exc)
            break
        if answer is not None and record_letter_status(db, str(notify_id), answer.status, now=now):
            changed += 1
    return changed


def record_letter_status(
    db: Database, notify_id: str, status: str, *, now: datetime | None = None, on: date | None = None
) -> bool:
    """What GOV.UK Notify says became of a letter, from polling or from its callbacks; returns whether anything
    changed. One transaction.

    `status` is Notify's word (accepted, received, cancelled, technical-failure,
    permanent-failure, validation-failed, virus-scan-failed) or "returned-letter"
    for its returned-letter callback. "received" means the letter was handed to
    the postal service: that day (`on`, or today) is its posting date, recorded
    on the case as the proof of service. A failure or a returned letter puts the
    letter back on the officers' list. An unknown id changes nothing.
    """
    with db.transaction() as session:
        return _record_status(session, notify_id, status, now or clock.utcnow(), on)


def _record_status(session: Session, notify_id: str, status: str, now: datetime, on: date | None) -> bool:
    letter = session.scalars(select(Letter).where(Letter.notify_id == notify_id).with_for_update()).first()
    if letter is None or letter.notify_status == status:
        return False
    if letter.returned_on is not None or letter.status not in (WITH_NOTIFY, FAILED):
        return False  # a letter that came back, or that an officer has dealt with since, stays as it is
    letter.notify_status, letter.notify_checked_at, letter.updated_at = status[:40], now, now
    delivery = session.get_one(Delivery, letter.delivery_id)
    delivery.provider_status, delivery.provider_checked_at = status[:40], now
    if status == "received":
        how = "GOV.UK Notify handed it to the postal service"
        record_posting(session, letter, on or clock.london_date(now), how, now)
    elif status in _NOTIFY_FAILURES:
        _failed(session, letter, delivery, status, on or clock.london_date(now), now)
    return True


def record_callback(db: Database, callback: ProviderCallback) -> str:
    """GOV.UK Notify's delivery receipt for a letter (its callback, beside polling): recorded as
    record_letter_status records it; returns the letter's status after. NotFound for a letter this service did
    not send through Notify, so Notify's retries stop at a clear answer."""
    with db.transaction() as session:
        _record_status(session, callback.notification_id, callback.status, clock.utcnow(), None)
        status = session.scalars(select(Letter.status).where(Letter.notify_id == callback.notification_id)).first()
    if status is None:
        raise NotFound(f"No letter was sent through GOV.UK Notify as {callback.notification_id}")
    return status


def _failed(session: Session, letter: Letter, delivery: Delivery, status: str, on: date, now: datetime) -> None:
    why = _NOTIFY_FAILURES[status]
    letter.status, letter.last_error = FAILED, f"{why[0].upper()}{why[1:]}."
    if status == "returned-letter":
        letter.returned_on = on
    delivery.status, delivery.last_error = BY_POST, letter.last_error
    case = session.get(Case, letter.case_id) if letter.case_id else None
    if case is not None:
        record_event(
            session, case, _SYSTEM, now=now, kind="letter_returned" if status == "returned-letter" else "letter_failed",
            summary=f"The letter to {letter.recipient_name} ({letter.content.get('heading')}) was not delivered: "
            f"{why}. It is back on the letters to post.",
            data={"letter_id": str(letter.id), "notify_id": letter.notify_id, "status": status},
        )  # fmt: skip


# --- posting: the proof of service ---------------------------------------------------------------------


def arrives_on(session: Session, council_id: uuid.UUID, posted_on: date) -> date:
    """The day a letter posted first class on `posted_on` arrives in the ordinary course of post: the second working
    day after posting (Interpretation Act 1978 s.7), bank holidays the council entered counted."""
    return compute(DEEMED_DELIVERY_RULE, posted_on, extra_holidays=councils.extra_holidays(session, council_id)).due


def record_posting(
    session: Session, letter: Letter, posted_on: date, how: str, now: datetime, actor: Actor | None = None
) -> None:
    """The letter went into the post on `posted_on`: the proof of service, recorded on its delivery and case."""
    letter.posted_on = posted_on
    letter.arrives_on = arrives_on(session, letter.council_id, posted_on)
    if actor is not None:
        letter.status, letter.recorded_by = POSTED, actor.user_id
    delivery = session.get_one(Delivery, letter.delivery_id)
    delivery.status, delivery.last_error = SENT, None
    delivery.sent_at = delivery.sent_at or now
    case = session.get(Case, letter.case_id) if letter.case_id else None
    if case is None:
        return
    record_event(
        session, case, actor or _SYSTEM, now=now, kind="letter_posted",
        summary=f"Letter posted first class to {letter.recipient_name}: {letter.content.get('heading')}. Posted on "
        f"{long_date(posted_on)} ({how}); in the ordinary course of post it arrives on "
        f"{long_date(letter.arrives_on)} (Interpretation Act 1978 s.7).",
        data={"letter_id": str(letter.id), "posted_on": posted_on.isoformat(),
              "arrives_on": letter.arrives_on.isoformat(), "address": letter.address},
    )  # fmt: skip
