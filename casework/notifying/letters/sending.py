"""Letters by post: made when a notice is planned, printed by the worker, handed to GOV.UK Notify if it is set up.

A notice to someone with no email address is planned as a delivery by post
with a letter (casework.notifying.notifications calls `letter_row`). The worker
makes each letter's PDF with no transaction open (`prepare`), then, with
GOV.UK Notify configured, hands it to Notify, whose answers are
casework.notifying.letters.statuses. Without Notify, officers print the
letters, post them and say so, or record another reasonable step taken instead
(casework.notifying.letters.posting); the posting date is the proof of service
(casework.notifying.letters.proof).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from casework import clock
from casework.adapters.mail import MailDeliveryUncertain, MailerUnavailable, MailRejected, ProviderStatus
from casework.db import Database
from casework.models import Delivery, Letter
from casework.models.letter import FAILED, NO_ADDRESS, RENDERING, SENDING, TO_POST, WITH_NOTIFY
from casework.models.notification import SENT
from casework.notifying.letters.render import letter_content, letter_pdf

log = logging.getLogger(__name__)

DELIVERY_REPLACED = "replaced"  # an email that failed or may not have gone, replaced by a letter
STALE_SENDING = timedelta(minutes=15)


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
