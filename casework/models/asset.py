"""Land and buildings (assets) and the people with an interest in them (parties)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class Asset(Base):
    __tablename__ = "assets"
    __table_args__ = (
        UniqueConstraint("council_id", "reference"),
        # The work queue's category and ward filters list a council's distinct values from these alone.
        Index("ix_assets_council_category", "council_id", "category"),
        Index("ix_assets_council_ward", "council_id", "ward"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)
    reference: Mapped[str] = mapped_column(String(40))
    name: Mapped[str]
    address: Mapped[str] = mapped_column(Text)
    postcode: Mapped[str | None] = mapped_column(String(10))
    uprn: Mapped[str | None] = mapped_column(String(12), index=True)
    title_numbers: Mapped[list[str]] = mapped_column(default=list)
    category: Mapped[str] = mapped_column(String(40), default="other")
    ward: Mapped[str | None] = mapped_column(String(100))
    parishes: Mapped[list[str]] = mapped_column(default=list)
    point: Mapped[str | None] = mapped_column(String(100))  # WKT POINT(longitude latitude), WGS84
    boundary: Mapped[str | None] = mapped_column(Text)  # WKT (MULTI)POLYGON, WGS84
    description: Mapped[str | None] = mapped_column(Text)
    offered_for_transfer: Mapped[bool] = mapped_column(default=False)  # the council invites asset transfer of it
    created_at: Mapped[datetime]


class AssetParty(Base):
    """Owner, occupier, freeholder, leaseholder or agent: who must be told what (STATUTE.md §3.7)."""

    __tablename__ = "asset_parties"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    asset_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # owner | occupier | freeholder | leaseholder | agent
    name: Mapped[str]
    address: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    current: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
