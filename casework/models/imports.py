"""A council's confirmed column mapping, and register imports waiting for or being loaded by the worker."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base

QUEUED, RUNNING, LOADED, FAILED = "queued", "running", "loaded", "failed"


class ImportMapping(Base):
    """One header of a council's register and the dataset field it holds, as an admin last confirmed it."""

    __tablename__ = "import_mappings"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), primary_key=True)
    column: Mapped[str] = mapped_column(String(200), primary_key=True)  # the header as the council writes it
    field: Mapped[str] = mapped_column(String(60))
    updated_at: Mapped[datetime]


class ImportJob(Base):
    """A checked register an admin asked to load; the worker loads it and counts its progress here."""

    __tablename__ = "import_jobs"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(300))
    path: Mapped[str] = mapped_column(Text)  # the checked file, kept until it is loaded
    mapping: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), index=True)
    total: Mapped[int]
    done: Mapped[int] = mapped_column(default=0)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
