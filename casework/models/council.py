"""Councils, their neighbours, their extra holidays and their reference counters."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class Council(Base):
    __tablename__ = "councils"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str]
    nation: Mapped[str] = mapped_column(String(20), default="england")  # england | scotland
    email: Mapped[str | None]
    recent_past_years: Mapped[int] = mapped_column(default=5)  # local policy on s.88(2) "recent past"
    reminder_offsets: Mapped[dict[str, Any]] = mapped_column(default=dict)  # timer name -> days before due
    # The CURIE planning.data.gov.uk knows the council by (`local-authority:CMD`); None: `local-authority:<code>`.
    organisation: Mapped[str | None] = mapped_column(String(60))
    # What the council's own header and footer show (its pages are the council's, not GOV.UK's).
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))  # its contact page
    logo_key: Mapped[str | None] = mapped_column(String(300))  # an uploaded PNG or JPEG in file storage
    accessibility_reviewed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]

    @property
    def national_organisation(self) -> str:
        """The `organisation` of the council's entries in the national dataset."""
        return self.organisation or f"local-authority:{self.code}"


class CouncilNeighbour(Base):
    """Neighbouring authorities share a boundary (ACV Regs reg.1(3)); stored both ways."""

    __tablename__ = "council_neighbours"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)
    neighbour_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)


class CouncilHoliday(Base):
    """A day the council entered: its own closure day (counted only for periods its policy sets), or a bank
    holiday proclaimed under the Banking and Financial Dealings Act 1971 since the software's list was made
    (counted for Tribunal limits too, GRC Rules r.12(3))."""

    __tablename__ = "council_holidays"
    __table_args__ = (UniqueConstraint("council_id", "day"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str]
    kind: Mapped[str] = mapped_column(String(20), default="closure", server_default="closure")  # or bank_holiday
    created_at: Mapped[datetime]
    created_by: Mapped[uuid.UUID | None]


class ReferenceCounter(Base):
    """Next number for case references per council and prefix; locked while a case is created."""

    __tablename__ = "reference_counters"

    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True)
    prefix: Mapped[str] = mapped_column(String(10), primary_key=True)
    next_value: Mapped[int] = mapped_column(default=1)
