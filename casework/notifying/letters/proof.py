"""The proof of service of a letter: the day it went into the post, and the day it arrives in the ordinary course
of post (Interpretation Act 1978 s.7), recorded on its delivery and case.

Officers record the posting date of letters they posted themselves
(casework.notifying.letters.posting); GOV.UK Notify's "received" gives it for
letters Notify printed (casework.notifying.letters.statuses).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from casework.actors import SYSTEM as _SYSTEM
from casework.actors import Actor
from casework.models import Case, Delivery, Letter
from casework.models.letter import POSTED
from casework.models.notification import SENT
from casework.repositories import councils
from casework.transitions.trail import record_event
from workflows.periods import compute, long_date

DEEMED_DELIVERY_RULE = "service.first_class_post"


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
