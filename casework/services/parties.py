"""People with an interest in an asset. Only an officer may link a user account to an asset as its owner:
a notice of sale starts statutory clocks, so nobody can claim to own land by saying so."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from casework import assets, clock
from casework.actors import Actor
from casework.assets import PartyDetails
from casework.db import Database
from casework.errors import NotFound, PermissionDenied
from casework.models import Asset, User, UserRole
from workflows.roles import STAFF_ROLES, Role


def link_user_to_asset(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    kind: str = "owner",
    now: datetime | None = None,
) -> uuid.UUID:
    """Record that a user is the owner (or agent) of an asset, after the council checked it. One transaction."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        asset = session.get(Asset, asset_id)
        user = session.get(User, user_id)
        if asset is None or user is None:
            raise NotFound("There is no such asset or user")
        if actor.role not in STAFF_ROLES or actor.council_id != asset.council_id:
            raise PermissionDenied("Only an officer of the council can record who owns an asset")
        party = assets.add_party(session, asset, PartyDetails(kind, user.name, email=user.email, user_id=user.id), now)
        held = select(UserRole.id).where(UserRole.user_id == user.id, UserRole.role == Role.OWNER.value)
        if session.scalars(held).first() is None:  # so that signing in lands them on their land
            session.add(UserRole(user_id=user.id, role=Role.OWNER.value))
        session.flush()
        return party.id


def link_account_by_email(
    db: Database, actor: Actor, asset_id: uuid.UUID, email: str, *, kind: str = "owner", now: datetime | None = None
) -> uuid.UUID:
    """As link_user_to_asset, finding the account by its email address; raises NotFound if there is none."""
    with db.reader() as session:
        user_id = session.scalars(select(User.id).where(User.email == email.strip().lower())).first()
    if user_id is None:
        raise NotFound(f"There is no account for {email}. Ask the owner to create one first")
    return link_user_to_asset(db, actor, asset_id, user_id, kind=kind, now=now)
