"""Turn stored organisations and assets into the terms the eligibility rules speak (workflows.eligibility)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from casework.models import Asset, Council, Organisation
from casework.repositories import councils
from workflows.eligibility import Body, BodyType, Constitution, Land


def body_of(organisation: Organisation) -> Body:
    return Body(
        type=BodyType(organisation.body_type),
        distributes_surplus_to_members=organisation.distributes_surplus,
        is_credit_union=organisation.is_credit_union,
        is_public_or_local_authority=organisation.is_public_authority,
        individual_members=organisation.individual_members,
        local_elector_members=organisation.local_elector_members,
        activity_areas=frozenset(organisation.activity_areas),
        surplus_areas=frozenset(organisation.surplus_areas),
        parish=organisation.parish,
        adjoining_parishes=frozenset(organisation.adjoining_parishes),
        parish_councils=frozenset(organisation.parish_councils),
        charitable_purposes_only=bool(organisation.details.get("charitable_purposes_only")),
        primarily_for_community_benefit=bool(organisation.details.get("primarily_for_community_benefit")),
        employer=organisation.details.get("employer"),
        constitution=_constitution(organisation.details.get("constitution")),
    )


def _constitution(raw: object) -> Constitution | None:
    """What a Scottish body said its constitution provides, stored as yes/no answers in the details."""
    if not isinstance(raw, dict):
        return None
    known = set(Constitution.__dataclass_fields__)
    return Constitution(**{key: bool(value) for key, value in raw.items() if key in known})


def land_of(session: Session, council: Council, parishes: list[str] | tuple[str, ...]) -> Land:
    return Land(
        council=council.code,
        neighbouring_councils=councils.neighbour_codes(session, council.id),
        parishes=frozenset(parishes),
    )


def land_of_asset(session: Session, asset: Asset) -> Land:
    return land_of(session, councils.get(session, asset.council_id), asset.parishes)
