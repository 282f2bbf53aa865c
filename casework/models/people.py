"""Users, their roles per council or organisation, and organisations (community groups, owners' firms)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from casework.models.base import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(320), unique=True)  # stored lower-case
    name: Mapped[str]
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None until set
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class UserRole(Base):
    """A role held for one council (staff) or one organisation (community group members)."""

    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", "council_id", "organisation_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))


class Organisation(Base):
    """A body that nominates, bids or claims, with what reg.4, reg.5 and reg.12 ask about it."""

    __tablename__ = "organisations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id"), index=True)  # where it registered
    name: Mapped[str]
    body_type: Mapped[str] = mapped_column(String(60))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    company_number: Mapped[str | None] = mapped_column(String(20))
    society_number: Mapped[str | None] = mapped_column(String(20))
    distributes_surplus: Mapped[bool] = mapped_column(default=False)
    is_credit_union: Mapped[bool] = mapped_column(default=False)
    is_public_authority: Mapped[bool] = mapped_column(default=False)
    individual_members: Mapped[int] = mapped_column(default=0)
    local_elector_members: Mapped[int] = mapped_column(default=0)
    activity_areas: Mapped[list[str]] = mapped_column(default=list)  # council codes
    surplus_areas: Mapped[list[str]] = mapped_column(default=list)
    parish: Mapped[str | None] = mapped_column(String(100))
    adjoining_parishes: Mapped[list[str]] = mapped_column(default=list)
    parish_councils: Mapped[list[str]] = mapped_column(default=list)
    local_connection_evidence: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(320))
    address: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


class ApiToken(Base):
    """A bearer token for the JSON API. Only its SHA-256 is stored; the token is shown once, when created."""

    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))  # the role the token acts in
    council_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PasswordReset(Base):
    """A single-use, one-hour password reset link. Only the token's SHA-256 is stored."""

    __tablename__ = "password_resets"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class EmailConfirmation(Base):
    """A single-use link sent to a user's address: following it proves they hold that mailbox, which is what lets
    the service link them to land the council recorded under that address. Only the token's SHA-256 is stored."""

    __tablename__ = "email_confirmations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))  # the address the link went to; a changed address needs a new link
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class UserSession(Base):
    """One signed-in browser. The cookie names the row; deleting the row signs that browser out, wherever the
    cookie has been copied to, because a signed cookie alone cannot be taken back."""

    __tablename__ = "user_sessions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


class StaffInvitation(Base):
    """A council admin's offer of a staff role, emailed to an address and accepted by whoever holds that
    address's account. Only the token's SHA-256 is stored; the role is given only when it is accepted."""

    __tablename__ = "staff_invitations"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    council_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))  # stored lower-case, as users' are
    name: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
