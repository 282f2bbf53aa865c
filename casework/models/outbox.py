"""Messages to publish after commit, written in the same transaction as the change they report."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index(
            "ix_outbox_undispatched",
            "created_at",
            postgresql_where=text("dispatched_at IS NULL"),
            sqlite_where=text("dispatched_at IS NULL"),
        ),
        # The problems shown above the work queue: a council's messages not yet turned into deliveries after
        # failed attempts. Without it a council's every message is read (one council holds all of them, the
        # usual case, and the table grows with every transition).
        Index("ix_outbox_council_troubled", "council_id", "processed_at", "attempts"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id"), index=True)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    topic: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    dispatched_at: Mapped[datetime | None]  # handed to the broker (the relay)
    processed_at: Mapped[datetime | None]  # turned into deliveries (the worker)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")  # failed tries at turning it into deliveries
    last_error: Mapped[str | None] = mapped_column(Text)
    retry_at: Mapped[datetime | None]  # after a failure: not handed out again before this
    failed_at: Mapped[datetime | None]  # gave up: shown to officers until one tries it again
