"""A community group's profile, with what the eligibility rules make of it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, or_, select

from casework.actors import Actor
from casework.db import Database
from casework.errors import NotFound, PermissionDenied
from casework.facts import bodies
from casework.models import Council, Document, Organisation
from casework.queries.case_page import DocumentView
from casework.repositories import councils
from workflows.checklists import Verdict
from workflows.eligibility import (
    BODY_TYPE_LABELS,
    BodyType,
    has_local_connection,
    is_community_interest_group,
    is_community_transfer_body,
    is_relevant_body,
    is_voluntary_or_community_body,
)
from workflows.roles import STAFF_ROLES


@dataclass(frozen=True)
class GroupProfile:
    id: uuid.UUID
    name: str
    body_type_label: str
    council_code: str
    council_name: str
    email: str | None
    vcb: Verdict
    local: Verdict
    cig: Verdict  # ACV Regs reg.12: may it ask to be treated as a potential bidder (STATUTE.md §3.1)
    relevant_body: Verdict  # right to challenge (England)
    transfer_body: Verdict | None  # asset transfer requests (Scotland), for a group in Scotland
    documents: tuple[DocumentView, ...]
    form_data: dict[str, Any]


def council_code(db: Database, council_id: uuid.UUID) -> str:
    with db.reader() as session:
        return councils.get(session, council_id).code


def council_id(db: Database, code: str) -> uuid.UUID:
    with db.reader() as session:
        return councils.get_by_code(session, code).id


def profile(db: Database, actor: Actor, group_id: uuid.UUID) -> GroupProfile:
    """The group as its members (or its council's staff) see it; raises NotFound or PermissionDenied."""
    with db.reader() as session:
        organisation = session.get(Organisation, group_id)
        if organisation is None:
            raise NotFound("There is no such group")
        council = session.get_one(Council, organisation.council_id)
        if group_id not in actor.organisation_ids and not (
            actor.role in STAFF_ROLES and actor.council_id == organisation.council_id
        ):
            raise PermissionDenied("You can only see your own group")
        body = bodies.body_of(organisation)
        land = bodies.land_of(session, council, [organisation.parish] if organisation.parish else [])
        docs = session.scalars(select(Document).where(Document.organisation_id == group_id))
        return GroupProfile(
            id=organisation.id,
            name=organisation.name,
            body_type_label=BODY_TYPE_LABELS[BodyType(organisation.body_type)],
            council_code=council.code,
            council_name=council.name,
            email=organisation.email,
            vcb=is_voluntary_or_community_body(body),
            local=has_local_connection(body, land),
            cig=is_community_interest_group(body, land),
            relevant_body=is_relevant_body(body, council.code),
            transfer_body=is_community_transfer_body(body) if council.nation == "scotland" else None,
            documents=tuple(
                DocumentView(d.id, d.filename, d.content_type, d.size_bytes, d.description, d.public, d.uploaded_at)
                for d in docs
            ),
            form_data=_form_data(organisation, council),
        )


def _form_data(organisation: Organisation, council: Council) -> dict[str, Any]:
    """The group's answers as the registration form holds them, so that editing the group starts from them."""
    number = organisation.charity_number or organisation.company_number or organisation.society_number
    return {
        "name": organisation.name,
        "council": council.code,
        "body_type": organisation.body_type,
        "registration_number": number,
        "distributes_surplus": "yes" if organisation.distributes_surplus else "no",
        "is_credit_union": _credit_union(organisation),
        "is_public_authority": "yes" if organisation.is_public_authority else "no",
        "individual_members": organisation.individual_members,
        "local_elector_members": organisation.local_elector_members,
        "activity_local": "yes" if council.code in organisation.activity_areas else "no",
        "surplus_local": "yes" if council.code in organisation.surplus_areas else "no",
        "parish": organisation.parish,
        "adjoining_parishes": ", ".join(organisation.adjoining_parishes),
        "local_connection_evidence": organisation.local_connection_evidence,
        "email": organisation.email,
        "address": organisation.address,
        "charitable_purposes_only": _yes_no(organisation.details.get("charitable_purposes_only")),
        "community_benefit": _yes_no(organisation.details.get("primarily_for_community_benefit")),
        "employer": organisation.details.get("employer") or "",
        "constitution": [k for k, v in (organisation.details.get("constitution") or {}).items() if v],
    }


def _credit_union(organisation: Organisation) -> str:
    """The credit-union answer as the form shows it. Only a co-operative or community benefit society must give
    one (reg.5(1)(f)); anyone else who left it blank was stored as "no", which the form does not claim they said."""
    if organisation.is_credit_union:
        return "yes"
    return "no" if organisation.body_type == BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY.value else ""


def _yes_no(answer: object) -> str:
    """A stored answer as the form's radio value; a question never answered (None) shows no answer."""
    return "" if answer is None else ("yes" if answer else "no")


def groups_for_council(db: Database, actor: Actor) -> list[tuple[uuid.UUID, str]]:
    """The groups council staff may record something for: those registered with the council or working in its
    area, by name. Raises PermissionDenied for anyone else."""
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("Only council staff record requests for a group")
    with db.reader() as session:
        code = councils.get(session, actor.council_id).code
        working_here = cast(Organisation.activity_areas, String).like(f'%"{code}"%')
        rows = session.execute(
            select(Organisation.id, Organisation.name)
            .where(or_(Organisation.council_id == actor.council_id, working_here))
            .order_by(Organisation.name)
        ).all()
    return [(group_id, name) for group_id, name in rows]
