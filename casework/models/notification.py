"""Deliveries (one per message, recipient and channel: proof of service) and alert subscriptions."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
RETRYING = "retrying"
FAILED = "failed"
UNCONFIRMED = "unconfirmed"  # it may or may not have gone, and was sent again as often as it will be: officers decide
BY_POST = "by_post"  # no email address: the council must send a letter or take other steps (s.91(2))


class Delivery(Base):
    """One message to one recipient by one channel. `key` is unique, so a redelivered task never sends twice.

    `key` is the message, the channel and the address: someone the notice names
    twice (the owner who is also the occupier, a group member who also asked for
    alerts) gets one email, and `parties` records every capacity it served them in.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index(
            "ix_deliveries_open",
            "created_at",
            postgresql_where=text("status IN ('pending', 'retrying', 'sending')"),
            sqlite_where=text("status IN ('pending', 'retrying', 'sending')"),
        ),
        Index("ix_deliveries_council_status", "council_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id"))
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    message_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("outbox_messages.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))  # email | notify | post
    parties: Mapped[list[str]] = mapped_column(default=list)  # owner, occupier, subscribers...: each one served
    recipient: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str | None]
    template: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)  # also the fence: a retry acts only on the attempt it follows
    last_error: Mapped[str | None] = mapped_column(Text)
    retry_at: Mapped[datetime | None]  # when the retry of a retrying delivery is due
    provider_reference: Mapped[str | None] = mapped_column(String(300))  # Message-ID, or GOV.UK Notify's id
    # The Message-ID header, fixed when the delivery is planned: every try sends the same one, so a mailbox that
    # receives a resent copy of an email that had gone after all keeps one. None on rows planned before it was kept
    # (the mailer then builds it from the delivery id, which is the same on every try too).
    email_message_id: Mapped[str | None] = mapped_column(String(300))
    in_doubt: Mapped[int] = mapped_column(default=0, server_default="0")  # tries that may have gone, each resent
    resent_at: Mapped[datetime | None]  # when it was last sent again after a try that may have gone
    provider_status: Mapped[str | None] = mapped_column(String(40))  # what GOV.UK Notify says became of it
    provider_checked_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class Subscription(Base):
    """A resident's or group's request to be alerted about assets: one asset, a category, a ward or an area."""

    __tablename__ = "subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    asset_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assets.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(40))
    ward: Mapped[str | None] = mapped_column(String(100))
    point: Mapped[str | None] = mapped_column(String(100))  # WKT POINT: centre of an area alert
    radius_m: Mapped[int | None]
    postcode: Mapped[str | None] = mapped_column(String(10))  # the postcode an area alert was asked for, as given
    token: Mapped[str] = mapped_column(String(64), unique=True)  # for the one-click unsubscribe link
    # Double opt-in: nothing is sent until the link emailed to the address is followed, before `confirm_by`.
    # Only the link's SHA-256 is kept, so a copy of the database cannot confirm anyone's alerts.
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_by: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    unsubscribed_at: Mapped[datetime | None]


class PostcodePoint(Base):
    """Postcode centroids loaded from open data (Code-Point Open, ONSPD), for alerts by distance."""

    __tablename__ = "postcode_points"

    postcode: Mapped[str] = mapped_column(String(10), primary_key=True)  # upper case, no space
    longitude: Mapped[float]
    latitude: Mapped[float]
    # As Code-Point Open gives them: British National Grid metres, its positional quality indicator (10 best),
    # and the GSS codes of the district and ward the postcode lies in. Empty for rows from other sources.
    eastings: Mapped[int | None]
    northings: Mapped[int | None]
    quality: Mapped[int | None]
    district_code: Mapped[str | None] = mapped_column(String(9))
    ward_code: Mapped[str | None] = mapped_column(String(9))
    loaded_at: Mapped[datetime | None]
