"""Compensation claims by owners of listed land (ACV Regs regs 14-17)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import NotFound, PermissionDenied
from casework.models import Asset, AssetParty, Case, RegisterEntry
from casework.models.register import LISTED
from casework.permissions import check_staff_of
from casework.repositories import cases as case_repo
from casework.repositories import councils
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from workflows import compensation
from workflows.roles import STAFF_ROLES, Role


def submit_claim(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    *,
    claim_received_on: date,
    loss_ended_on: date,
    amount_claimed: str,
    claim_parts: str,
    claimant_is_public_body: bool = False,
    now: datetime | None = None,
) -> TransitionResult:
    """Record a written claim for loss caused by listing (reg.14). One transaction.

    Refused, writing nothing, unless the land is or was listed and the claimant is
    or was its owner (reg.14(1)-(2); an officer records a claim for the owner), or
    if the loss ended before the land was listed, the claim is out of time
    (reg.14(5)(b)) or the claimant is a public body (reg.15).
    """
    now = now or clock.utcnow()
    if actor.role not in (Role.OWNER, *STAFF_ROLES):
        raise PermissionDenied("Only an owner or former owner of listed land can claim compensation")
    with db.transaction() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFound(f"There is no asset with the id {asset_id}")
        check_staff_of(actor, asset.council_id, "You can only work on cases of your own council")
        case = _open_claim(session, actor, asset, now)
        data = {
            "claim_received_on": claim_received_on,
            "loss_ended_on": loss_ended_on,
            "amount_claimed": amount_claimed,
            "claim_parts": claim_parts,
        }
        facts = {**_eligibility(session, actor, asset), "claimant_excluded": claimant_is_public_body}
        return apply(session, case, "submit", actor, data, now=now, extra_facts=facts)


def _open_claim(session: Session, actor: Actor, asset: Asset, now: datetime) -> Case:
    """A claim on the asset, linked to the listing it is about (the latest one, current or ended)."""
    listing = _latest_listing(session, asset)
    case = open_case(
        session, councils.get(session, asset.council_id), compensation.NAME, actor, now=now, asset_id=asset.id
    )
    if listing is not None:
        case_repo.add_link(session, case, listing, "listing")
    return case


def _entries(session: Session, asset: Asset) -> list[RegisterEntry]:
    """Every entry the land has had on the list, current or ended (removal ends an entry, never deletes it)."""
    stmt = select(RegisterEntry).where(RegisterEntry.asset_id == asset.id, RegisterEntry.list_kind == LISTED)
    return list(session.scalars(stmt.order_by(RegisterEntry.entry_date)))


def _latest_listing(session: Session, asset: Asset) -> Case | None:
    entries = _entries(session, asset)
    return session.get(Case, entries[-1].case_id) if entries else None


def _eligibility(session: Session, actor: Actor, asset: Asset) -> dict[str, Any]:
    """reg.14(1)-(2): the land is or was listed; the claimant is or was its owner (or acts for the owner)."""
    entries = _entries(session, asset)
    if actor.role is Role.OWNER and actor.user_id is not None:
        stmt = select(AssetParty.id).where(
            AssetParty.asset_id == asset.id,
            AssetParty.user_id == actor.user_id,
            AssetParty.kind.in_(["owner", "agent"]),  # former owners too: `current` is not asked
        )
        owner = session.scalars(stmt).first() is not None
    else:
        owner = actor.role in STAFF_ROLES  # an officer records a written claim for the owner
    return {
        "land_was_listed": bool(entries),
        "land_was_listed_reasons": [] if entries else [f"{asset.name} has never been listed"],
        "listed_from": entries[0].entry_date if entries else None,
        "claimant_is_owner": owner,
        "claimant_is_owner_reasons": [] if owner else [f"the council has no record of you owning {asset.name}"],
    }
