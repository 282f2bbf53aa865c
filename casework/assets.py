"""Asset and party details as plain data, checked for shape, and the session-level helpers that store them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from casework import geometry
from casework.errors import InvalidInput
from casework.models import Asset, AssetParty, Council
from casework.references import next_reference
from casework.transitions import locks

CATEGORIES = {
    "pub": "Pub",
    "shop": "Shop or post office",
    "library": "Library",
    "park": "Park or open space",
    "community_centre": "Community centre or hall",
    "sports": "Sports ground or facility",
    "place_of_worship": "Place of worship",
    "other": "Other",
}
PARTY_KINDS = {"owner", "occupier", "freeholder", "leaseholder", "agent"}
_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]? ?[0-9][A-Z]{2}$")


@dataclass(frozen=True)
class AssetDetails:
    name: str
    address: str
    postcode: str | None = None
    uprn: str | None = None
    title_numbers: tuple[str, ...] = ()
    category: str = "other"
    ward: str | None = None
    parishes: tuple[str, ...] = ()
    point: str | None = None  # WKT POINT (longitude latitude)
    boundary: str | None = None  # WKT POLYGON or MULTIPOLYGON
    description: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "title_numbers": list(self.title_numbers), "parishes": list(self.parishes)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AssetDetails:
        return cls(**{**data, "title_numbers": tuple(data["title_numbers"]), "parishes": tuple(data["parishes"])})


@dataclass(frozen=True)
class PartyDetails:
    kind: str
    name: str
    address: str | None = None
    email: str | None = None
    user_id: uuid.UUID | None = field(default=None, compare=False)


def checked_asset(details: AssetDetails, prefix: str = "", *, draft: bool = False) -> AssetDetails:
    """The details with postcode and geometry normalised; raises InvalidInput naming each bad field.

    A `draft` may still lack its name and address: a group saves as it goes.
    """
    errors: dict[str, str] = {}
    if not details.name.strip() and not draft:
        errors[f"{prefix}name"] = "Enter the name of the asset"
    if not details.address.strip() and not draft:
        errors[f"{prefix}address"] = "Enter the address of the asset"
    postcode = (details.postcode or "").strip().upper() or None
    if postcode and not _POSTCODE.match(postcode):
        errors[f"{prefix}postcode"] = "Enter a real postcode, like SW1A 1AA"
    uprn = (details.uprn or "").strip() or None
    if uprn and not (uprn.isdigit() and len(uprn) <= 12):
        errors[f"{prefix}uprn"] = "The UPRN must be a number of up to 12 digits"
    if details.category not in CATEGORIES:
        errors[f"{prefix}category"] = "Select the kind of asset"
    point = _checked(geometry.normalise_point, details.point, f"{prefix}point", errors)
    boundary = _checked(geometry.normalise_boundary, details.boundary, f"{prefix}boundary", errors)
    if errors:
        raise InvalidInput(errors)
    if boundary and not point:
        point = geometry.centre_of(boundary)
    return AssetDetails(
        name=details.name.strip(),
        address=details.address.strip(),
        postcode=postcode,
        uprn=uprn,
        title_numbers=tuple(t.strip().upper() for t in details.title_numbers if t.strip()),
        category=details.category,
        ward=(details.ward or "").strip() or None,
        parishes=tuple(p.strip() for p in details.parishes if p.strip()),
        point=point,
        boundary=boundary,
        description=(details.description or "").strip() or None,
    )


def _checked(normalise: Callable[[str], str], value: str | None, key: str, errors: dict[str, str]) -> str | None:
    if not value:
        return None
    try:
        return normalise(value)
    except ValueError as exc:
        errors[key] = str(exc)
        return None


def find_asset(session: Session, council: Council, details: AssetDetails) -> Asset | None:
    """The council's existing asset with the same UPRN, if the details give one."""
    if not details.uprn:
        return None
    return locks.lock_asset_with_uprn(session, council.id, details.uprn)


def create_asset(session: Session, council: Council, details: AssetDetails, now: datetime) -> Asset:
    asset = Asset(
        id=uuid.uuid4(),
        council_id=council.id,
        reference=next_reference(session, council, "AST"),
        name=details.name,
        address=details.address,
        postcode=details.postcode,
        uprn=details.uprn,
        title_numbers=list(details.title_numbers),
        category=details.category,
        ward=details.ward,
        parishes=list(details.parishes),
        point=details.point,
        boundary=details.boundary,
        description=details.description,
        created_at=now,
    )
    session.add(asset)
    session.flush()
    return asset


def add_party(session: Session, asset: Asset, party: PartyDetails, now: datetime) -> AssetParty:
    if party.kind not in PARTY_KINDS:
        raise InvalidInput({"kind": f"A party must be one of: {', '.join(sorted(PARTY_KINDS))}"})
    if not party.name.strip():
        raise InvalidInput({"name": "Enter the party's name"})
    row = AssetParty(
        id=uuid.uuid4(),
        asset_id=asset.id,
        kind=party.kind,
        name=party.name.strip(),
        address=(party.address or "").strip() or None,
        email=(party.email or "").strip().lower() or None,
        user_id=party.user_id,
        current=True,
        created_at=now,
    )
    session.add(row)
    return row
