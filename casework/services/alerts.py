"""Alerts for residents and groups: subscribe by asset, category, ward or distance from a postcode; confirm by email
before anything is sent (double opt-in); unsubscribe in one click.

Anyone can type any address into the form, so nothing but the confirmation email goes to an address until its
holder follows the link in it: an unconfirmed subscription never gets an alert, and its link stops working after
CONFIRM_WITHIN, when the subscription is deleted (the next time anyone subscribes).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from casework import clock, geometry, postcodes
from casework.assets import CATEGORIES
from casework.db import Database
from casework.errors import InvalidInput, NotFound
from casework.models import Asset, Council, Subscription
from casework.repositories import councils
from casework.services import postcodes as postcode_points
from casework.services.accounts import normalise_email
from casework.transitions.outbox import enqueue

MAX_RADIUS_M = 50_000
CONFIRM_WITHIN = timedelta(days=7)
METRES_PER_MILE = 1609.344


@dataclass(frozen=True)
class NewSubscription:
    """What subscribing made. The confirmation token goes only into the email to the address: whoever follows it
    holds that inbox."""

    id: uuid.UUID
    description: str
    confirm_token: str
    unsubscribe_token: str


@dataclass(frozen=True)
class ConfirmedSubscription:
    description: str
    council_name: str
    unsubscribe_token: str
    newly: bool  # False when the link had been followed before


def subscribe(
    db: Database,
    council_code: str,
    email: str,
    *,
    base_url: str,
    asset_id: uuid.UUID | None = None,
    category: str | None = None,
    ward: str | None = None,
    postcode: str | None = None,
    point: str | None = None,
    radius_m: int | None = None,
    now: datetime | None = None,
) -> NewSubscription:
    """Ask for alerts on exactly one thing, and email the address a link to confirm it. One transaction."""
    now = now or clock.utcnow()
    address = normalise_email(email)
    choice = _Choice(asset_id, category, ward, postcode, point, radius_m)
    choice.check()
    with db.transaction() as session:
        session.execute(delete(Subscription).where(Subscription.confirmed_at.is_(None), Subscription.confirm_by < now))
        council = councils.get_by_code(session, council_code)
        asset = session.get(Asset, asset_id) if asset_id is not None else None
        if asset_id is not None and asset is None:
            raise NotFound("There is no such asset")
        subscription, confirm_token = _new_subscription(session, council, address, choice, now)
        session.add(subscription)
        about = describe(subscription, asset.name if asset else None)
        _ask_to_confirm(session, council, address, about, f"{base_url}/alerts/confirm/{confirm_token}", now)
        return NewSubscription(subscription.id, about, confirm_token, subscription.token)


@dataclass(frozen=True)
class _Choice:
    """The one thing a subscription is about, as asked for: an asset, a kind of asset, a ward, or an area."""

    asset_id: uuid.UUID | None
    category: str | None
    ward: str | None
    postcode: str | None
    point: str | None
    radius_m: int | None

    def check(self) -> None:
        chosen = [c for c in (self.asset_id, self.category, self.ward, self.postcode or self.point) if c]
        if len(chosen) != 1:
            raise InvalidInput(
                {"alert": "Choose one thing to be alerted about: an asset, a kind of asset, a ward or an area"}
            )
        if self.category is not None and self.category not in CATEGORIES:
            raise InvalidInput({"category": "Select a kind of asset from the list"})
        if (self.postcode or self.point) and not (self.radius_m and 0 < self.radius_m <= MAX_RADIUS_M):
            raise InvalidInput({"radius_m": "Select how far from the postcode"})


def _new_subscription(
    session: Session, council: Council, address: str, choice: _Choice, now: datetime
) -> tuple[Subscription, str]:
    """An unconfirmed subscription to `choice`, and the token that confirms it (only its digest is stored)."""
    point = _place(session, choice.postcode, choice.point)
    confirm_token = secrets.token_urlsafe(32)
    subscription = Subscription(
        id=uuid.uuid4(),
        council_id=council.id,
        email=address,
        asset_id=choice.asset_id,
        category=choice.category,
        ward=choice.ward.strip() if choice.ward else None,
        point=point,
        radius_m=choice.radius_m if point else None,
        postcode=postcodes.display(choice.postcode) if choice.postcode else None,
        token=secrets.token_urlsafe(32),
        confirm_token_hash=_digest(confirm_token),
        confirm_by=now + CONFIRM_WITHIN,
        created_at=now,
    )
    return subscription, confirm_token


def _place(session: Session, postcode: str | None, point: str | None) -> str | None:
    """Where distance is measured from: the postcode's point, or the point given (as a map sends it), checked."""
    if postcode:
        return _point_of(session, postcode)
    if point:
        try:
            return geometry.normalise_point(point)
        except ValueError as exc:
            raise InvalidInput({"point": str(exc)}) from None
    return point


def _ask_to_confirm(session: Session, council: Council, address: str, about: str, link: str, now: datetime) -> None:
    """The only email an unconfirmed address gets: the link that confirms the subscription (double opt-in)."""
    email = {
        "email": address,
        "name": "",
        "template": "alert_confirm",
        "title": f"Confirm your alerts from {council.name}",
        "council": council.name,
        "about": about,
        "link": link,
    }
    enqueue(session, "account.email", email, now=now, council_id=council.id)


def _point_of(session: Session, postcode: str) -> str:
    if not postcodes.is_postcode(postcode):
        raise InvalidInput({"postcode": "Enter a real postcode, like SW1A 1AA"})
    found = postcode_points.centroid(session, postcode)
    if found is None:
        raise InvalidInput(
            {
                "postcode": f"We do not know where {postcodes.display(postcode)} is. Check the postcode, or ask for "
                "alerts about a ward or a kind of asset instead"
            }
        )
    return f"POINT ({found.longitude} {found.latitude})"


def describe(subscription: Subscription, asset_name: str | None = None) -> str:
    """What an alert is about, in words: for the confirmation email and page."""
    if subscription.asset_id is not None:
        return asset_name or "one asset"
    if subscription.category is not None:
        return (
            f"every {CATEGORIES[subscription.category].lower()}"
            if subscription.category != "other"
            else ("every other kind of asset")
        )
    if subscription.ward is not None:
        return f"everything in {subscription.ward} ward"
    distance = distance_words(subscription.radius_m or 0)
    return f"everything within {distance} of {subscription.postcode or 'the point you chose'}"


def distance_words(metres: int) -> str:
    """'2 miles', '1 mile', '500 metres': a distance as the person chose it."""
    miles = metres / METRES_PER_MILE
    if abs(miles - round(miles)) < 0.01 and round(miles) >= 1:
        return f"{round(miles)} mile{'s' if round(miles) != 1 else ''}"
    if metres % 1000 == 0:
        return f"{metres // 1000} km"
    return f"{metres} metres"


def confirm(db: Database, token: str, *, now: datetime | None = None) -> ConfirmedSubscription:
    """Follow the link in the confirmation email: from now on, alerts are sent. Following it twice is harmless.
    One transaction; NotFound for a link that is wrong, has expired, or whose alerts have been stopped."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        subscription = session.scalars(
            select(Subscription).where(Subscription.confirm_token_hash == _digest(token))
        ).first()
        confirmed = _confirmable(session, subscription, now)
        if subscription is not None and confirmed.newly:
            subscription.confirmed_at = now
        return confirmed


def confirmation(db: Database, token: str, *, now: datetime | None = None) -> ConfirmedSubscription:
    """What a confirmation link is for, before it is followed (`newly` False if it was already); NotFound as in
    `confirm`. Reads only."""
    now = now or clock.utcnow()
    with db.reader() as session:
        subscription = session.scalars(
            select(Subscription).where(Subscription.confirm_token_hash == _digest(token))
        ).first()
        return _confirmable(session, subscription, now)


def _confirmable(session: Session, subscription: Subscription | None, now: datetime) -> ConfirmedSubscription:
    if subscription is None or subscription.unsubscribed_at is not None:
        raise NotFound("That confirmation link is not recognised, or its alerts have been stopped")
    newly = subscription.confirmed_at is None
    if newly and subscription.confirm_by is not None and subscription.confirm_by < now:
        raise NotFound("That confirmation link has expired")
    asset = session.get(Asset, subscription.asset_id) if subscription.asset_id else None
    council = session.get_one(Council, subscription.council_id)
    return ConfirmedSubscription(
        describe(subscription, asset.name if asset else None), council.name, subscription.token, newly
    )


def asset_name(db: Database, asset_id: uuid.UUID) -> str | None:
    """The name of the asset an alert from a register entry is about, for the form to say so."""
    with db.reader() as session:
        asset = session.get(Asset, asset_id)
        return asset.name if asset else None


def unsubscribe(db: Database, token: str, *, now: datetime | None = None) -> bool:
    """Stop an alert from the link in its email. True if it was active; clicking twice is harmless."""
    now = now or clock.utcnow()
    with db.transaction() as session:
        subscription = session.scalars(select(Subscription).where(Subscription.token == token)).first()
        if subscription is None:
            raise NotFound("That unsubscribe link is not recognised")
        if subscription.unsubscribed_at is not None:
            return False
        subscription.unsubscribed_at = now
        return True


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
