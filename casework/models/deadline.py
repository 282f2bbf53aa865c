"""Deadlines are rows swept by the worker, never broker ETAs; reminders hang off them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, Time, text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base

PENDING = "pending"
FIRED = "fired"
CANCELLED = "cancelled"
FAILED = "failed"  # it kept failing to fire: the sweep gave up, and officers are shown it until one retries it


class Deadline(Base):
    __tablename__ = "deadlines"
    __table_args__ = (
        # The sweep reads only pending rows in due order: a partial index keeps that O(due), not O(all).
        Index(
            "ix_deadlines_pending_due",
            "fires_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        Index("ix_deadlines_case_status", "case_id", "status"),
        # The work queue's next due date of each of a council's cases, grouped in index order. The
        # columns of the partial WHERE are indexed too: SQLite reads a row to test them otherwise.
        Index(
            "ix_deadlines_council_pending",
            "council_id",
            "status",
            "case_id",
            "due_date",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # The problems shown above the work queue: a council's deadlines that failed or are being retried.
        Index("ix_deadlines_council_troubled", "council_id", "status", "attempts"),
        # ... and the escalations that fired on them, overdue until the case moves on.
        Index(
            "ix_deadlines_council_escalated",
            "council_id",
            "status",
            "expiry_kind",
            "case_id",
            "fired_at",
            "due_date",
            postgresql_where=text("status = 'fired' AND expiry_kind = 'escalate'"),
            sqlite_where=text("status = 'fired' AND expiry_kind = 'escalate'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    timer: Mapped[str] = mapped_column(String(60))
    rule: Mapped[str] = mapped_column(String(60))
    start_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    due_time: Mapped[time | None] = mapped_column(Time)
    outer_due_date: Mapped[date | None] = mapped_column(Date)
    fires_at: Mapped[datetime]  # when the sweep fires it: the period's end, or after a failure the next try
    basis: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[list[str]] = mapped_column(default=list)
    expiry_kind: Mapped[str] = mapped_column(String(20))  # fire | escalate | window
    on_expiry: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    fired_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class Reminder(Base):
    __tablename__ = "reminders"
    __table_args__ = (
        Index(
            "ix_reminders_pending_due",
            "remind_at",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    deadline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deadlines.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    days_before: Mapped[int]
    remind_at: Mapped[datetime]
    parties: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    sent_at: Mapped[datetime | None]
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
