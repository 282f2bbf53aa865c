"""Compensation claims by owners of listed land (ACV Regs regs 14-17)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from casework import clock, engine
from casework.actors import Actor
from casework.db import Database
from casework.engine import TransitionResult
from casework.errors import NotFound, PermissionDenied
from casework.models import Asset
from casework.permissions import check_staff_of
from casework.repositories import cases, councils
from workflows import acv_listing, compensation
from workflows.roles import STAFF_ROLES, Role

_EVER_LISTED = (*acv_listing.LISTED_STATES, "removed", "expired")


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

    Refused, writing nothing, if the claim is out of time (reg.14(5)(b)) or the
    claimant is a public body (reg.15).
    """
    now = now or clock.utcnow()
    if actor.role not in (Role.OWNER, *STAFF_ROLES):
        raise PermissionDenied("Only an owner or former owner of listed land can claim compensation")
    with db.transaction() as session:
        asset = session.get(Asset, asset_id)
        if asset is None:
            raise NotFound(f"There is no asset with the id {asset_id}")
        check_staff_of(actor, asset.council_id, "You can only work on cases of your own council")
        listings = cases.cases_of_asset(session, asset.id, acv_listing.NAME, _EVER_LISTED)
        case = engine.open_case(
            session, councils.get(session, asset.council_id), compensation.NAME, actor, now=now, asset_id=asset.id
        )
        if listings:
            cases.add_link(session, case, listings[-1], "listing")
        data = {
            "claim_received_on": claim_received_on,
            "loss_ended_on": loss_ended_on,
            "amount_claimed": amount_claimed,
            "claim_parts": claim_parts,
        }
        return engine.apply(
            session, case, "submit", actor, data, now=now, extra_facts={"claimant_excluded": claimant_is_public_body}
        )
