"""Register a community group or other organisation, with what the eligibility rules ask about it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import Organisation, UserRole
from casework.repositories import councils
from workflows.eligibility import BodyType
from workflows.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    body_type: BodyType
    charity_number: str | None = None
    company_number: str | None = None
    society_number: str | None = None
    distributes_surplus: bool = False
    is_credit_union: bool = False
    is_public_authority: bool = False
    individual_members: int = 0
    local_elector_members: int = 0
    activity_areas: tuple[str, ...] = ()
    surplus_areas: tuple[str, ...] = ()
    parish: str | None = None
    adjoining_parishes: tuple[str, ...] = ()
    parish_councils: tuple[str, ...] = ()
    local_connection_evidence: str | None = None
    email: str | None = None
    address: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # charitable_purposes_only, employer, constitution...


def _problems(details: OrganisationDetails) -> dict[str, str]:
    errors = {}
    if not details.name.strip():
        errors["name"] = "Enter the name of the organisation"
    if details.individual_members < 0 or details.local_elector_members < 0:
        errors["individual_members"] = "Member numbers cannot be negative"
    if details.local_elector_members > details.individual_members and details.body_type is BodyType.UNINCORPORATED:
        errors["local_elector_members"] = "Local electors cannot outnumber the individual members"
    return errors


def _columns(details: OrganisationDetails) -> dict[str, Any]:
    return {
        "name": details.name.strip(),
        "body_type": details.body_type.value,
        "charity_number": details.charity_number,
        "company_number": details.company_number,
        "society_number": details.society_number,
        "distributes_surplus": details.distributes_surplus,
        "is_credit_union": details.is_credit_union,
        "is_public_authority": details.is_public_authority,
        "individual_members": details.individual_members,
        "local_elector_members": details.local_elector_members,
        "activity_areas": [code.upper() for code in details.activity_areas],
        "surplus_areas": [code.upper() for code in details.surplus_areas],
        "parish": details.parish,
        "adjoining_parishes": list(details.adjoining_parishes),
        "parish_councils": [code.upper() for code in details.parish_councils],
        "local_connection_evidence": details.local_connection_evidence,
        "email": details.email,
        "address": details.address,
        "details": dict(details.details),
    }


def register_organisation(
    db: Database,
    council_id: uuid.UUID,
    details: OrganisationDetails,
    *,
    founder: uuid.UUID | None = None,
    now: datetime | None = None,
) -> uuid.UUID:
    """Record an organisation against the council it registered with, its founder as a member. One transaction."""
    now = now or clock.utcnow()
    errors = _problems(details)
    if errors:
        raise InvalidInput(errors)
    with db.transaction() as session:
        councils.get(session, council_id)
        organisation = Organisation(id=uuid.uuid4(), council_id=council_id, created_at=now, **_columns(details))
        session.add(organisation)
        if founder is not None:
            session.flush()
            session.add(UserRole(user_id=founder, role=Role.COMMUNITY_MEMBER.value, organisation_id=organisation.id))
        return organisation.id


def update_organisation(db: Database, actor: Actor, organisation_id: uuid.UUID, details: OrganisationDetails) -> None:
    """Change a group's profile: only its own members, or staff of its council. One transaction."""
    errors = _problems(details)
    if errors:
        raise InvalidInput(errors)
    with db.transaction() as session:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise NotFound("There is no such group")
        if organisation_id not in actor.organisation_ids and not (
            actor.role in STAFF_ROLES and actor.council_id == organisation.council_id
        ):
            raise PermissionDenied("You can only change your own group's details")
        for name, value in _columns(details).items():
            setattr(organisation, name, value)
