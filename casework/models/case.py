"""Cases, their links, and the append-only audit trail of events."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class Case(Base):
    """One run of one workflow version. Only casework.transitions writes `state`."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_council_state", "council_id", "workflow", "state"),
        # The work queue's open cases of a council, read from the index alone (closed_at IS NULL is an
        # equality on its second column): counting them and choosing a page's 50 touch no case rows.
        Index("ix_cases_council_open", "council_id", "closed_at", "workflow", "state", "created_at", "id"),
        # ... in next-deadline order: a page is an index range read, the overdue filter a range of it.
        Index(
            "ix_cases_council_next_due",
            *(
                "council_id",
                "closed_at",
                "next_due_date",
                "next_due_escalated",
                "created_at",
                "id",
                "workflow",
                "state",
            ),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    workflow: Mapped[str] = mapped_column(String(40))
    workflow_version: Mapped[int]
    state: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    asset_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assets.id"), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    assigned_to: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    policy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("policies.id"), index=True)  # pinned at opening
    facts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # data recorded by transitions, dates as ISO
    created_at: Mapped[datetime]
    state_changed_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # What the work queue sorts and flags by, kept by the engine wherever deadlines change
    # (casework.transitions.deadlines.refresh_next_due): the escalation that fired since the case last moved (overdue
    # until it moves on), else the soonest pending deadline; none when nothing is running.
    next_due_date: Mapped[date | None] = mapped_column(Date)
    next_due_timer: Mapped[str | None] = mapped_column(String(60))
    next_due_escalated: Mapped[bool] = mapped_column(default=False, server_default=false())

    # UPDATE ... WHERE version = :old: a second writer that slipped past the row lock cannot overwrite.
    __mapper_args__ = {"version_id_col": version}


class CaseLink(Base):
    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("case_id", "related_case_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    related_case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. "listing": this moratorium runs on that listing


class CaseEvent(Base):
    """Append-only: database triggers refuse UPDATE and DELETE (see the first migration)."""

    __tablename__ = "case_events"
    __table_args__ = (UniqueConstraint("case_id", "seq"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    seq: Mapped[int]
    kind: Mapped[str] = mapped_column(String(40))  # transition | deadline_* | migrated | imported | note
    trigger: Mapped[str | None] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(40))
    to_state: Mapped[str | None] = mapped_column(String(40))
    actor_id: Mapped[uuid.UUID | None]
    actor_role: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    occurred_at: Mapped[datetime]
