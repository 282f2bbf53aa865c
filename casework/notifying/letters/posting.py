"""What officers do with letters: say they posted them, record another reasonable step, write to someone by post.

The posting date an officer gives is the proof of service (recorded on the
case, with the day the letter arrives in the ordinary course of post:
Interpretation Act 1978 s.7); where a letter cannot be sent, another
reasonable step to bring the notice to the person's attention is recorded in
words instead (LA 2011 s.91). Making and sending the letters is
casework.notifying.letters.sending.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from casework.models import Case, Council, Delivery, Letter
from casework.models.letter import DONE, NO_ADDRESS, OTHER_STEP, POSTED, RENDERING, SENDING, WAITING, WITH_NOTIFY
from casework.models.notification import BY_POST, SENT, UNCONFIRMED
from casework.models.notification import FAILED as DELIVERY_FAILED
from casework.notifying.letters.proof import record_posting
from casework.notifying.letters.sending import DELIVERY_REPLACED, new_letter
from casework.transitions.trail import record_event
from workflows.periods import long_date
from workflows.roles import STAFF_ROLES


def mark_posted(
    db: Database, actor: Actor, letter_ids: Sequence[uuid.UUID], posted_on: date, *, now: datetime | None = None
) -> list[date]:
    """An officer posted these letters first class on `posted_on`: each is recorded on its case as the proof of
    service, with the day it arrives in the ordinary course of post. Returns those days. One transaction.

    Raises InvalidInput (no letters chosen, a date in the future), NotFound (a
    letter not of the officer's council) or Conflict (a letter not waiting to be
    posted, or with no address).
    """
    now = now or clock.utcnow()
    if not letter_ids:
        raise InvalidInput({"letters": "Select the letters you posted"})
    if posted_on > clock.london_date(now):
        raise InvalidInput({"posted_on": "The date posted must be today or in the past"})
    with db.transaction() as session:
        arrivals = []
        for letter in _waiting_letters(session, actor, letter_ids):
            if letter.status == NO_ADDRESS or not letter.address:
                raise Conflict(f"The letter to {letter.recipient_name} has no address: add one before posting it")
            if posted_on < letter.created_at.date() - timedelta(days=1):
                raise InvalidInput({"posted_on": "The date posted must be on or after the day the letter was made"})
            record_posting(session, letter, posted_on, f"recorded by {actor.label}", now, actor)
            letter.updated_at = now
            arrivals.append(letter.arrives_on or posted_on)
        return arrivals


def record_other_step(
    db: Database, actor: Actor, letter_id: uuid.UUID, step: str, taken_on: date, *, now: datetime | None = None
) -> str:
    """Instead of posting the letter, the council took another reasonable step to bring the notice to the person's
    attention (LA 2011 s.91), described in words; recorded on the case. Returns who it was for. One transaction."""
    now = now or clock.utcnow()
    step = step.strip()
    if not step:
        raise InvalidInput({"step": "Describe the step you took"})
    if len(step) > 2000:
        raise InvalidInput({"step": "The step must be 2000 characters or fewer"})
    if taken_on > clock.london_date(now):
        raise InvalidInput({"taken_on": "The date must be today or in the past"})
    with db.transaction() as session:
        (letter,) = _waiting_letters(session, actor, [letter_id])
        letter.status, letter.step_taken, letter.step_taken_on = OTHER_STEP, step, taken_on
        letter.recorded_by, letter.updated_at = actor.user_id, now
        delivery = session.get_one(Delivery, letter.delivery_id)
        delivery.status, delivery.sent_at, delivery.provider_status, delivery.last_error = SENT, now, "other step", None
        case = session.get(Case, letter.case_id) if letter.case_id else None
        if case is not None:
            record_event(
                session, case, actor, now=now, kind="notice_other_step",
                summary=f"Instead of a letter to {letter.recipient_name} ({letter.content.get('heading')}), another "
                f"reasonable step was taken on {long_date(taken_on)} (LA 2011 s.91): {step}",
                data={"letter_id": str(letter.id), "taken_on": taken_on.isoformat(), "step": step},
            )  # fmt: skip
        return letter.recipient_name


def _waiting_letters(session: Session, actor: Actor, letter_ids: Sequence[uuid.UUID]) -> list[Letter]:
    _check_staff(actor)
    letters = session.scalars(
        select(Letter).where(Letter.id.in_(letter_ids), Letter.council_id == actor.council_id).with_for_update()
    ).all()
    if len(letters) != len(set(letter_ids)):
        raise NotFound("There is no such letter")
    for letter in letters:
        if letter.status not in WAITING:
            done = "posted" if letter.status == POSTED else "dealt with"
            raise Conflict(f"The letter to {letter.recipient_name} has been {done} already, or is being sent")
    return list(letters)


def _check_staff(actor: Actor) -> None:
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("Letters are for council staff")


def send_by_post(
    db: Database,
    actor: Actor,
    delivery_id: uuid.UUID,
    name: str,
    address: str,
    *,
    instead: bool = False,
    now: datetime | None = None,
) -> str:
    """Write to a notice's recipient by post: as well as the email, or instead of one that failed or may not have
    gone. For a letter already planned (no address known, or returned), this changes its name and address and makes
    it again. Returns who it is for. One transaction.

    Raises InvalidInput (no name or address), NotFound, Conflict (instead of an
    email that was sent; a letter to that address already; a letter posted).
    """
    now = now or clock.utcnow()
    name, address = _name_and_address(name, address)
    _check_staff(actor)
    with db.transaction() as session:
        delivery = session.get(Delivery, delivery_id, with_for_update=True)
        if delivery is None or delivery.council_id != actor.council_id or delivery.case_id is None:
            raise NotFound("There is no such letter or email")
        case = session.get_one(Case, delivery.case_id)
        if delivery.channel == "post":
            return _readdress(session, actor, case, delivery, name, address, now)
        return _letter_after_email(session, actor, case, delivery, name, address, instead=instead, now=now)


def _letter_after_email(
    session: Session,
    actor: Actor,
    case: Case,
    email: Delivery,
    name: str,
    address: str,
    *,
    instead: bool,
    now: datetime,
) -> str:
    """A letter with the email's own words, as well as the email or instead of one that failed or may not have
    gone (that email is then marked replaced); recorded on the case."""
    if instead and email.status not in (DELIVERY_FAILED, UNCONFIRMED):
        raise Conflict(f"The email to {email.recipient} has been sent: a letter can go as well, not instead")
    letter_delivery = _post_delivery(session, email, name, address, now)
    content = {**_content_from_email(session, email, now)}
    session.execute(insert(Letter), [new_letter(letter_delivery, name, address, content, now)])
    if instead:
        email.status = DELIVERY_REPLACED
    record_event(
        session,
        case,
        actor,
        now=now,
        kind="letter_requested",
        summary=f"Asked for a letter to {name} {'instead of' if instead else 'as well as'} the email to "
        f"{email.recipient}: {email.subject}",
        data={"delivery_id": str(email.id), "letter_delivery_id": str(letter_delivery["id"]), "instead": instead},
    )
    return name


def _name_and_address(name: str, address: str) -> tuple[str, str]:
    """The name, and the address one line of the envelope to a line of text; InvalidInput for either missing."""
    name, address = name.strip(), "\n".join(line.strip() for line in address.strip().splitlines() if line.strip())
    errors = {}
    if not name:
        errors["name"] = "Enter the name"
    if not address:
        errors["address"] = "Enter the address"
    if errors:
        raise InvalidInput(errors)
    return name, address


def _readdress(
    session: Session, actor: Actor, case: Case, delivery: Delivery, name: str, address: str, now: datetime
) -> str:
    letter = session.scalars(select(Letter).where(Letter.delivery_id == delivery.id).with_for_update()).one()
    if letter.status in DONE or letter.status in (WITH_NOTIFY, SENDING):
        raise Conflict(f"The letter to {letter.recipient_name} has gone already: it cannot be changed")
    was = f"{letter.recipient_name}, {letter.address or 'no address'}"
    letter.recipient_name, letter.address, letter.status, letter.updated_at = name, address, RENDERING, now
    letter.pdf, letter.notify_id, letter.notify_status, letter.returned_on, letter.last_error = (
        None,
        None,
        None,
        None,
        None,
    )
    delivery.recipient, delivery.recipient_name, delivery.status = address.replace("\n", ", ")[:320], name, BY_POST
    record_event(
        session, case, actor, now=now, kind="letter_readdressed",
        summary=f"Letter readdressed to {name}, {address.replace(chr(10), ', ')} (was {was}): {delivery.subject}",
        data={"letter_id": str(letter.id)},
    )  # fmt: skip
    return name


def _post_delivery(session: Session, email: Delivery, name: str, address: str, now: datetime) -> dict[str, Any]:
    identity = f"{name}|{address.replace(chr(10), ', ')}".lower()
    row = {
        "id": uuid.uuid4(), "key": f"{email.message_id or email.id}:post:{identity}"[:300],
        "council_id": email.council_id, "case_id": email.case_id, "message_id": email.message_id,
        "channel": "post", "parties": list(email.parties), "recipient": address.replace("\n", ", ")[:320],
        "recipient_name": name, "template": email.template, "subject": email.subject, "body_text": email.body_text,
        "body_html": email.body_html, "unsubscribe_url": None, "status": BY_POST, "attempts": 0, "created_at": now,
    }  # fmt: skip
    if session.scalar(select(Delivery.id).where(Delivery.key == row["key"])) is not None:
        raise Conflict(f"A letter to {name} at that address has been made for this notice already")
    session.execute(insert(Delivery), [row])
    return row


def _content_from_email(session: Session, email: Delivery, now: datetime) -> dict[str, Any]:
    """The letter's words when it follows an email: the email's own text, as sent, under its subject."""
    council = session.get_one(Council, email.council_id)
    case = session.get_one(Case, email.case_id)
    return {
        "heading": email.subject.removesuffix(f" ({case.reference})"),
        "text": email.body_text,
        "reference": case.reference,
        "council_name": council.name,
        "return_address": [line.strip() for line in (council.address or "").splitlines() if line.strip()],
        "parties": [party.replace("_", " ") for party in email.parties],
        "dated": clock.london_date(now).isoformat(),
    }
