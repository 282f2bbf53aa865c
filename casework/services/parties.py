"""People with an interest in an asset. A user account is linked to an asset as its owner by an officer, or by
proving they hold the email address the council recorded for the owner: a notice of sale starts statutory clocks,
so nobody can claim to own land by saying so."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import assets, clock
from casework.actors import Actor
from casework.assets import PartyDetails
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import Asset, AssetParty, EmailConfirmation, User, UserRole
from casework.transitions.outbox import enqueue
from workflows.roles import STAFF_ROLES, Role

CONFIRMATION_LIFETIME = timedelta(days=2)
OWNING_KINDS = ("owner", "agent")  # the kinds whose holder acts online for the land (the owner's pages)
LINK_USED = "This link has expired or been used. Sign in and ask for a new one from the Your land page"


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
        _hold_owner_role(session, user.id)
        session.flush()
        return party.id


def _hold_owner_role(session: Session, user_id: uuid.UUID) -> None:
    """Give the owner role if not held, so that signing in lands them on their land."""
    held = select(UserRole.id).where(UserRole.user_id == user_id, UserRole.role == Role.OWNER.value)
    if session.scalars(held).first() is None:
        session.add(UserRole(user_id=user_id, role=Role.OWNER.value))


def link_account_by_email(
    db: Database, actor: Actor, asset_id: uuid.UUID, email: str, *, kind: str = "owner", now: datetime | None = None
) -> uuid.UUID:
    """As link_user_to_asset, finding the account by its email address; raises NotFound if there is none."""
    with db.reader() as session:
        user_id = session.scalars(select(User.id).where(User.email == email.strip().lower())).first()
    if user_id is None:
        raise NotFound(f"There is no account for {email}. Ask the owner to create one first")
    return link_user_to_asset(db, actor, asset_id, user_id, kind=kind, now=now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ask_to_confirm_email(db: Database, user_id: uuid.UUID, *, base_url: str, now: datetime | None = None) -> str:
    """Email the user a single-use link that proves they hold their address; returns the address. One transaction.

    Sent whether or not the council has recorded the address against land, so the page asking for it says nothing
    about who owns what. Earlier links stay good until used or expired: the newest email may be the one delayed.
    """
    now = now or clock.utcnow()
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound("There is no such active user")
        session.add(
            EmailConfirmation(
                user_id=user.id,
                email=user.email,
                token_hash=_digest(token),
                created_at=now,
                expires_at=now + CONFIRMATION_LIFETIME,
            )
        )
        enqueue(
            session,
            "account.email",
            {
                "user_id": str(user.id),
                "template": "confirm_email",
                "title": "Confirm your email address",
                "link": f"{base_url}/account/confirm-email/{token}",
            },
            now=now,
        )
        return user.email


@dataclass(frozen=True)
class Confirmed:
    user_id: uuid.UUID
    assets_linked: int  # owner or agent parties newly linked to the account by this confirmation


def confirm_email(db: Database, token: str, *, now: datetime | None = None) -> Confirmed:
    """Follow a confirmation link: the user holds the address, so every current owner or agent the council recorded
    under it, with no account linked yet, is linked to theirs, with the owner role. One transaction; single use.

    The address must still be the user's: a link sent before the address changed proves nothing about the new one.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        found = session.scalars(select(EmailConfirmation).where(EmailConfirmation.token_hash == _digest(token))).first()
        if found is None or found.used_at is not None or found.expires_at <= now:
            raise InvalidInput({"token": LINK_USED})
        user = session.get_one(User, found.user_id)
        if not user.active or user.email != found.email:
            raise InvalidInput({"token": LINK_USED})
        found.used_at = now
        recorded = session.scalars(
            select(AssetParty).where(
                AssetParty.email == user.email,
                AssetParty.user_id.is_(None),
                AssetParty.current.is_(True),
                AssetParty.kind.in_(OWNING_KINDS),
            )
        ).all()
        for party in recorded:
            party.user_id = user.id
        if recorded:
            _hold_owner_role(session, user.id)
        return Confirmed(user.id, len(recorded))
