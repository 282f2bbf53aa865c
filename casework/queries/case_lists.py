"""Lists of cases of one kind (nominations, owners' notices) as the actor may see them, for the API.

Staff see their council's; a group its own and the disposal cycles that name it; an owner those about
land the council records them as owning, and those they started.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, false, or_, select

from casework.actors import Actor
from casework.db import Database
from casework.models import Asset, AssetParty, Case, CaseEvent, CaseLink, Organisation
from workflows import moratorium, registry
from workflows.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class CaseListRow:
    reference: str
    workflow: str
    state: str
    state_label: str
    asset_id: uuid.UUID | None
    asset_name: str | None
    organisation: str | None
    opened_at: datetime
    closed: bool


def visible_cases(db: Database, actor: Actor, workflow: str) -> list[CaseListRow]:
    """Every case of `workflow` the actor may read, newest first; drafts only to those writing them."""
    with db.reader() as session:
        stmt = (
            select(Case, Asset.name, Organisation.name)
            .outerjoin(Asset, Asset.id == Case.asset_id)
            .outerjoin(Organisation, Organisation.id == Case.organisation_id)
            .where(Case.workflow == workflow, _visible(actor))
            .order_by(Case.created_at.desc())
        )
        rows = session.execute(stmt).all()
        return [
            CaseListRow(
                case.reference,
                case.workflow,
                case.state,
                registry.get(case.workflow, case.workflow_version).state(case.state).label,
                case.asset_id,
                asset_name,
                organisation,
                case.created_at,
                case.closed_at is not None,
            )
            for case, asset_name, organisation in rows
        ]


def _visible(actor: Actor) -> ColumnElement[bool]:
    """The same people check_case_read lets in, as one SQL condition."""
    if actor.role in STAFF_ROLES:
        return (Case.council_id == actor.council_id) & (Case.state != "draft")
    if actor.role is Role.COMMUNITY_MEMBER:
        return or_(Case.organisation_id.in_(actor.organisation_ids), Case.id.in_(named_cycles(actor.organisation_ids)))
    if actor.role is Role.OWNER and actor.user_id is not None:
        owned = select(AssetParty.asset_id).where(
            AssetParty.user_id == actor.user_id, AssetParty.current.is_(True), AssetParty.kind.in_(["owner", "agent"])
        )
        return or_(Case.created_by == actor.user_id, Case.asset_id.in_(owned)) & (
            (Case.state != "draft") | (Case.created_by == actor.user_id)
        )
    return false()


def named_cycles(organisation_ids: frozenset[uuid.UUID]) -> Select[uuid.UUID]:
    """Disposal cycles that name one of the groups: it asked to bid (s.95(3)(a)), or nominated the land (s.97(3))."""
    ids = [str(i) for i in organisation_ids]
    bidders = select(CaseEvent.case_id).where(
        CaseEvent.kind == "transition",
        CaseEvent.trigger.in_(["cig_request", moratorium.LATE_CIG_REQUEST]),
        CaseEvent.data["organisation_id"].as_string().in_(ids),
    )
    listing = Case.__table__.alias("listing")
    nominated = (
        select(CaseLink.case_id)
        .join(listing, listing.c.id == CaseLink.related_case_id)
        .where(CaseLink.kind == "listing", listing.c.organisation_id.in_(organisation_ids))
    )
    return select(Case.id).where(Case.workflow == "moratorium", Case.id.in_(bidders.union(nominated)))
