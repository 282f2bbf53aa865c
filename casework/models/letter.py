"""Letters: a notice printed for a recipient with no email address, or for anyone the council chooses to write to.

A letter belongs to one delivery (channel "post"): the delivery says who the
notice served and in what capacities; the letter holds the words laid out for
a windowed envelope, the PDF made from them, and how it went: posted by the
council (the posting date is the proof of service), another reasonable step
taken instead (LA 2011 s.91), or sent through GOV.UK Notify and its status.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base

RENDERING = "rendering"  # waiting for the worker to make its PDF
NO_ADDRESS = "no_address"  # nobody knows where to send it: an officer adds an address or records another step
TO_POST = "to_post"  # ready: for officers to print and post (no GOV.UK Notify)
SENDING = "sending"  # being handed to GOV.UK Notify
WITH_NOTIFY = "with_notify"  # GOV.UK Notify accepted it; `notify_status` follows it through printing and posting
POSTED = "posted"  # an officer posted it: `posted_on` is the proof of service
OTHER_STEP = "other_step"  # an officer took another reasonable step instead, in words (LA 2011 s.91)
FAILED = "failed"  # GOV.UK Notify could not print or deliver it, or it came back: an officer acts again

WAITING = (NO_ADDRESS, TO_POST, FAILED)  # on the officers' letters-to-post list
DONE = (POSTED, OTHER_STEP)


class Letter(Base):
    __tablename__ = "letters"
    __table_args__ = (Index("ix_letters_council_status", "council_id", "status"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    delivery_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deliveries.id"), unique=True)
    recipient_name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(Text, default="")  # one line of the address a line, postcode last
    content: Mapped[dict[str, Any]]  # the words: heading, intro, reasons, dates, next steps, basis, council...
    status: Mapped[str] = mapped_column(String(20), default=RENDERING)
    postage: Mapped[str] = mapped_column(String(10), default="first")
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    pages: Mapped[int | None]
    posted_on: Mapped[date | None] = mapped_column(Date)
    arrives_on: Mapped[date | None] = mapped_column(Date)  # in the ordinary course of post (Interpretation Act s.7)
    step_taken: Mapped[str | None] = mapped_column(Text)  # another reasonable step, in the officer's words
    step_taken_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    notify_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    notify_status: Mapped[str | None] = mapped_column(String(40))
    notify_checked_at: Mapped[datetime | None]
    returned_on: Mapped[date | None] = mapped_column(Date)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime | None]
