"""What GOV.UK Notify says became of the letters it took: asked by polling (`check_statuses`) and told by its
callbacks (`record_callback`).

"received" means the letter was handed to the postal service: that day is its
posting date, the proof of service. A failure or a returned letter puts the
letter back on the officers' list of letters to post.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import SYSTEM as _SYSTEM
from casework.adapters.mail import MailerUnavailable, StatusSource
from casework.db import Database
from casework.errors import NotFound
from casework.models import Case, Delivery, Letter
from casework.models.letter import FAILED, WITH_NOTIFY
from casework.models.notification import BY_POST
from casework.notifying.letters.proof import record_posting
from casework.notifying.receipts import ProviderCallback
from casework.transitions.trail import record_event

log = logging.getLogger(__name__)

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


def check_statuses(db: Database, source: StatusSource, *, now: datetime | None = None, limit: int = 200) -> int:
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
