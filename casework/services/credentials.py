"""Passwords (change, reset by emailed link) and API bearer tokens. Secrets are stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework import clock, passwords
from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import ApiToken, PasswordReset, User, UserRole
from casework.repositories import councils
from casework.services import sessions
from casework.services.accounts import actor_for
from casework.transitions.outbox import enqueue
from workflows.roles import STAFF_ROLES, Role

RESET_LIFETIME = timedelta(hours=1)
TOKEN_PREFIX = "cw_"  # noqa: S105 - not a secret: makes a leaked token easy to recognise in logs and scanners


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def change_password(
    db: Database,
    user_id: uuid.UUID,
    current: str,
    new: str,
    *,
    keep_session: uuid.UUID | None = None,
    now: datetime | None = None,
) -> None:
    """Change a password after checking the current one. One transaction.

    Whoever learnt the old password may be signed in, or holding a reset link: every other session ends
    (`keep_session`, the browser the password was changed in, stays signed in) and every reset link stops working.
    """
    now = now or clock.utcnow()
    problem = passwords.password_problem(new)
    if problem:
        raise InvalidInput({"new_password": problem})
    with db.transaction() as session:
        user = session.get(User, user_id)
        if user is None or not passwords.verify_password(user.password_hash, current):
            raise InvalidInput({"current_password": "Your current password is not right"})
        user.password_hash = passwords.hash_password(new)
        sessions.end_others(session, user_id, keep=keep_session)
        _void_resets(session, user_id, now)


def _void_resets(session: Session, user_id: uuid.UUID, now: datetime) -> None:
    """Mark every outstanding reset link of the user used: once the password is changed, an older link
    (perhaps in a mailbox someone else can read) must not change it again."""
    session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )


def request_password_reset(db: Database, email: str, *, base_url: str, now: datetime | None = None) -> None:
    """Email a single-use reset link, through the outbox, if the address belongs to an active user.

    Says nothing either way, so the form cannot be used to find out who has an account.
    """
    now = now or clock.utcnow()
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        user = session.scalars(select(User).where(User.email == email.strip().lower(), User.active.is_(True))).first()
        if user is None:
            return
        session.add(
            PasswordReset(user_id=user.id, token_hash=_digest(token), created_at=now, expires_at=now + RESET_LIFETIME)
        )
        enqueue(
            session,
            "account.email",
            {
                "user_id": str(user.id),
                "template": "password_reset",
                "title": "Reset your password",
                "link": f"{base_url}/account/reset-password/{token}",
            },
            now=now,
        )


def reset_password(db: Database, token: str, new: str, *, now: datetime | None = None) -> uuid.UUID:
    """Set a new password from a reset link; that link and every other one the user holds then stop working,
    and every session of theirs ends. One transaction."""
    now = now or clock.utcnow()
    problem = passwords.password_problem(new)
    if problem:
        raise InvalidInput({"password": problem})
    with db.transaction() as session:
        reset = session.scalars(select(PasswordReset).where(PasswordReset.token_hash == _digest(token))).first()
        if reset is None or reset.used_at is not None or reset.expires_at < now:
            raise InvalidInput({"password": "This reset link has expired or been used. Ask for a new one"})
        user = session.get_one(User, reset.user_id)
        user.password_hash = passwords.hash_password(new)
        _void_resets(session, user.id, now)  # this link and every other one
        sessions.end_others(session, user.id, keep=None)  # whoever was signed in, the reset signs them out
        return user.id


@dataclass(frozen=True)
class NewToken:
    id: uuid.UUID
    token: str  # shown once


def create_api_token(
    db: Database,
    user_id: uuid.UUID,
    name: str,
    role: Role,
    *,
    council_code: str | None = None,
    now: datetime | None = None,
) -> NewToken:
    """A bearer token acting as the user in one of their roles. One transaction."""
    now = now or clock.utcnow()
    if not name.strip():
        raise InvalidInput({"name": "Enter a name for the token, like 'register export'"})
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.transaction() as session:
        council_id = councils.get_by_code(session, council_code).id if council_code else None
        held = session.scalars(select(UserRole).where(UserRole.user_id == user_id, UserRole.role == role.value)).all()
        if role is not Role.OWNER and not any(council_id is None or g.council_id == council_id for g in held):
            raise PermissionDenied(f"You are not a {role.value.replace('_', ' ')} of that council")
        if role in STAFF_ROLES and council_id is None:
            raise InvalidInput({"council": "Choose the council the token acts for"})
        row = ApiToken(
            user_id=user_id,
            name=name.strip()[:100],
            token_hash=_digest(token),
            role=role.value,
            council_id=council_id,
            created_at=now,
        )
        session.add(row)
        session.flush()
        return NewToken(row.id, token)


def actor_for_token(db: Database, token: str, *, now: datetime | None = None) -> Actor:
    """The Actor a bearer token stands for; raises PermissionDenied for an unknown or revoked token."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
        if row is None or row.revoked_at is not None:
            raise PermissionDenied("The API token is not valid")
        if row.last_used_at is None or row.last_used_at < now - timedelta(minutes=5):
            row.last_used_at = now
        user_id, role, council_id = row.user_id, Role(row.role), row.council_id
        council_code = councils.get(session, council_id).code if council_id else None
    return actor_for(db, user_id, role, council_code)


def revoke_api_token(db: Database, user_id: uuid.UUID, token_id: uuid.UUID, *, now: datetime | None = None) -> None:
    now = now or clock.utcnow()
    with db.transaction() as session:
        row = session.get(ApiToken, token_id)
        if row is None or row.user_id != user_id:
            raise NotFound("There is no such token")
        row.revoked_at = row.revoked_at or now
