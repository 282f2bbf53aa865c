"""Signed-in browsers, held on the server so that signing out can be made to stick.

The session cookie is signed, not encrypted into a secret, and anyone who saved a copy could replay it
until it expired. So each sign-in records a row here and the cookie names it; every request checks the
row is still there (`casework.queries.people.signed_in_user`). Signing out deletes this browser's row;
signing out of all devices, changing a password and resetting one delete the user's rows.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from casework import clock
from casework.db import Database
from casework.models import UserSession

LONGEST = timedelta(days=7)
"""However busy, a browser signs in again after a week: a cookie copied once is not good for ever."""


def start(db: Database, user_id: uuid.UUID, *, now: datetime | None = None) -> uuid.UUID:
    """Record a new signed-in browser and clear the user's sessions too old to be used. One transaction."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        session.execute(
            delete(UserSession).where(UserSession.user_id == user_id, UserSession.created_at <= now - LONGEST)
        )
        row = UserSession(id=uuid.uuid4(), user_id=user_id, created_at=now)
        session.add(row)
        return row.id


def end(db: Database, session_id: uuid.UUID) -> None:
    """Sign one browser out: its cookie, and every copy of it, opens nothing from now on."""
    with db.transaction() as session:
        session.execute(delete(UserSession).where(UserSession.id == session_id))


def end_all(db: Database, user_id: uuid.UUID) -> int:
    """Sign the user out everywhere (a lost phone, a shared computer); how many browsers were signed out."""
    with db.transaction() as session:
        return end_others(session, user_id, keep=None)


def end_others(session: Session, user_id: uuid.UUID, *, keep: uuid.UUID | None) -> int:
    """Within the caller's transaction, delete the user's sessions but `keep` (when changing a password, the
    browser it was changed in stays signed in)."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(UserSession.id != keep)
    return cast(CursorResult[Any], session.execute(statement)).rowcount
