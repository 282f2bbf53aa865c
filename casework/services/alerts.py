"""Alerts for residents and groups: subscribe by asset, category, ward or distance; unsubscribe in one click."""

from __future__ import annotations

import csv
import io
import re
import secrets
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casework import clock, geometry
from casework.assets import CATEGORIES
from casework.db import Database
from casework.errors import InvalidInput, NotFound
from casework.models import Asset, PostcodePoint, Subscription
from casework.repositories import councils
from casework.services.accounts import normalise_email

_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")
MAX_RADIUS_M = 50_000


def _postcode_key(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode).upper()


def subscribe(
    db: Database,
    council_code: str,
    email: str,
    *,
    asset_id: uuid.UUID | None = None,
    category: str | None = None,
    ward: str | None = None,
    postcode: str | None = None,
    point: str | None = None,
    radius_m: int | None = None,
    now: datetime | None = None,
) -> str:
    """Start an alert on exactly one thing; returns the token of its one-click unsubscribe link. One transaction."""
    now = now or clock.utcnow()
    address = normalise_email(email)
    chosen = [c for c in (asset_id, category, ward, postcode or point) if c]
    if len(chosen) != 1:
        raise InvalidInput(
            {"alert": "Choose one thing to be alerted about: an asset, a kind of asset, a ward or an area"}
        )
    if category is not None and category not in CATEGORIES:
        raise InvalidInput({"category": "Select a kind of asset from the list"})
    if (postcode or point) and not (radius_m and 0 < radius_m <= MAX_RADIUS_M):
        raise InvalidInput({"radius_m": f"Enter a distance between 1 and {MAX_RADIUS_M} metres"})
    with db.transaction() as session:
        council = councils.get_by_code(session, council_code)
        if asset_id is not None and session.get(Asset, asset_id) is None:
            raise NotFound("There is no such asset")
        if postcode:
            point = _point_of(session, postcode)
        elif point:
            try:
                point = geometry.normalise_point(point)
            except ValueError as exc:
                raise InvalidInput({"point": str(exc)}) from None
        token = secrets.token_urlsafe(32)
        session.add(
            Subscription(
                id=uuid.uuid4(),
                council_id=council.id,
                email=address,
                asset_id=asset_id,
                category=category,
                ward=ward.strip() if ward else None,
                point=point,
                radius_m=radius_m if point else None,
                token=token,
                created_at=now,
            )
        )
        return token


def _point_of(session: Session, postcode: str) -> str:
    key = _postcode_key(postcode)
    if not _POSTCODE.match(key):
        raise InvalidInput({"postcode": "Enter a real postcode, like SW1A 1AA"})
    found = session.get(PostcodePoint, key)
    if found is None:
        raise InvalidInput({"postcode": f"We do not have a location for {postcode.upper()}; give a point instead"})
    return f"POINT ({found.longitude} {found.latitude})"


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


def import_postcodes(db: Database, text: str) -> int:
    """Load postcode centroids from CSV with postcode, latitude and longitude columns (ONSPD: pcds, lat, long)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {name.lower(): name for name in reader.fieldnames or []}
    postcode_column = next((columns[c] for c in ("postcode", "pcds", "pcd") if c in columns), None)
    lat_column = next((columns[c] for c in ("latitude", "lat") if c in columns), None)
    lon_column = next((columns[c] for c in ("longitude", "long", "lon") if c in columns), None)
    if not (postcode_column and lat_column and lon_column):
        raise InvalidInput({"file": "The file needs postcode, latitude and longitude columns"})
    rows = []
    for raw in reader:
        try:
            latitude, longitude = float(raw[lat_column] or ""), float(raw[lon_column] or "")
        except ValueError:
            continue  # ONSPD leaves terminated postcodes without a location: they are simply not loaded
        rows.append(
            {"postcode": _postcode_key(raw[postcode_column] or ""), "latitude": latitude, "longitude": longitude}
        )
    with db.transaction() as session:
        insert = pg_insert if db.is_postgres else sqlite_insert
        for start in range(0, len(rows), 1000):
            session.execute(insert(PostcodePoint).values(rows[start : start + 1000]).on_conflict_do_nothing())
    return len(rows)
