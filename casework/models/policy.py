"""Council policies (versioned documents) and the panel's scores on asset transfer applications."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class Policy(Base):
    """One version of a council's policy for a workflow. Never edited: a change is a new version.

    A case records the id of the version it started under (`facts["policy_id"]`),
    so a new version applies to new cases only.
    """

    __tablename__ = "policies"
    __table_args__ = (UniqueConstraint("council_id", "workflow", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    workflow: Mapped[str] = mapped_column(String(40))
    version: Mapped[int]
    title: Mapped[str]
    document: Mapped[dict[str, Any]]
    effective_from: Mapped[date] = mapped_column(Date)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class AssessorScore(Base):
    """One assessor's score and comment on one criterion of one application."""

    __tablename__ = "assessor_scores"
    __table_args__ = (UniqueConstraint("case_id", "assessor_id", "criterion"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    assessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    criterion: Mapped[str] = mapped_column(String(60))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text)
    scored_at: Mapped[datetime]


class ModeratedScore(Base):
    """The score the panel agreed for one criterion, with why it differs from the assessors' where it does."""

    __tablename__ = "moderated_scores"
    __table_args__ = (UniqueConstraint("case_id", "criterion"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(60))
    score: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    moderated_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime]


class AssessorConflict(Base):
    """An assessor's declared interest in an application: they may not score it."""

    __tablename__ = "assessor_conflicts"
    __table_args__ = (UniqueConstraint("case_id", "assessor_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    assessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    details: Mapped[str] = mapped_column(Text)
    declared_at: Mapped[datetime]
