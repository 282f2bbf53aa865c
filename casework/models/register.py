"""The public lists: assets of community value and unsuccessful nominations (LA 2011 ss.87, 93, 97).

Rows are kept up to date by the services as cases move; each change bumps
`version`, so every published version of an entry can be told apart (s.94).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base

LISTED = "listed"
UNSUCCESSFUL = "unsuccessful"


class RegisterEntry(Base):
    __tablename__ = "register_entries"
    __table_args__ = (Index("ix_register_council_list", "council_id", "list_kind", "end_date"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"))
    asset_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assets.id"), index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    list_kind: Mapped[str] = mapped_column(String(20))  # listed | unsuccessful
    reference: Mapped[str] = mapped_column(String(40))
    name: Mapped[str]
    address: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    nominating_group: Mapped[str | None]
    nomination_date: Mapped[date | None] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(20))  # listed | not-listed
    decision_date: Mapped[date | None] = mapped_column(Date)
    entry_date: Mapped[date] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    reasons: Mapped[str | None] = mapped_column(Text)  # required on the unsuccessful list (s.93(3)(b))
    end_date: Mapped[date | None] = mapped_column(Date)
    removal_reason: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str | None] = mapped_column(String(200))
    notification_to_sell_date: Mapped[date | None] = mapped_column(Date)  # s.97(2)
    interim_end_date: Mapped[date | None] = mapped_column(Date)
    full_end_date: Mapped[date | None] = mapped_column(Date)
    protected_end_date: Mapped[date | None] = mapped_column(Date)
    interested_group: Mapped[str | None] = mapped_column(Text)  # reg.2(a): the community interest group(s)
    moratorium_case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"))
    exempt_disposals: Mapped[list[Any]] = mapped_column(default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime]
