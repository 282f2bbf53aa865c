"""The right to bid: owners' notices, bidder requests and exempt disposals (LA 2011 ss.95-98).

Every service here locks the asset first, then its listing, then any cycle on
it, so two notices about one asset, or a notice racing a removal, serialise.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import assets, clock
from casework.actors import Actor
from casework.assets import PartyDetails
from casework.db import Database
from casework.errors import Conflict, NotFound, PermissionDenied
from casework.facts import bodies, listings
from casework.models import Asset, AssetParty, Case, Organisation
from casework.repositories import cases, councils
from casework.transitions import locks
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from workflows import moratorium
from workflows.eligibility import is_community_interest_group
from workflows.periods import long_date
from workflows.roles import STAFF_ROLES, Role


def record_owner_notice(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    *,
    received_on: date,
    notice_method: str,
    disposal_type: str,
    vacant_possession: bool,
    owner: PartyDetails | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """Record the owner's s.95(2) notice: open a disposal cycle and start the three clocks. One transaction.

    Refused (nothing written) if the land is not listed, if the disposal is not
    a relevant one, or if a protected period from an earlier notice is still running.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        asset = locks.lock_asset(session, asset_id)
        _check_owner_or_staff(session, actor, asset)
        listing = listings.current_listing(session, asset.id)
        running = listings.protected_periods_running(session, asset.id, received_on)
        case = _open_cycle(session, actor, asset, listing, owner, now)
        data = {
            "notice_received_on": received_on,
            "notice_method": notice_method,
            "disposal_type": disposal_type,
            "vacant_possession": vacant_possession,
        }
        facts = {
            "asset_listed": listing is not None,
            "asset_listed_reasons": [] if listing else [f"{asset.name} is not on the list"],
            "protected_period_running": bool(running),
            "protected_period_running_reasons": running,
        }
        return apply(session, case, "give_notice", actor, data, now=now, extra_facts=facts)


def _open_cycle(
    session: Session, actor: Actor, asset: Asset, listing: Case | None, owner: PartyDetails | None, now: datetime
) -> Case:
    """A disposal cycle on the asset, linked to the listing it runs under, with the owner who gave notice."""
    case = open_case(
        session, councils.get(session, asset.council_id), moratorium.NAME, actor, now=now, asset_id=asset.id
    )
    if listing is not None:
        cases.add_link(session, case, listing, "listing")
    if owner is not None:
        assets.add_party(session, asset, owner, now)
    return case


def record_bidder_request(
    db: Database,
    actor: Actor,
    case_id: uuid.UUID,
    organisation_id: uuid.UUID,
    *,
    received_on: date,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """Record a group's written request to be treated as a potential bidder (s.95(3)(a), s.98). One transaction.

    Only a community interest group (reg.12) may make one; anyone else is told why not. What counts is the
    day the council received it: a request received within the interim period but recorded after the
    interim period was marked ended still starts the full moratorium, and everyone told that the interim
    period had ended is told of the correction. A request received after the interim period is refused.
    """
    now = now or clock.utcnow()
    if actor.role is Role.COMMUNITY_MEMBER and organisation_id not in actor.organisation_ids:
        raise PermissionDenied("You can only ask to bid on behalf of a group you belong to")
    with db.transaction() as session:
        case = locks.lock_for_transition(session, case_id)
        organisation, asset = _group_and_land(session, actor, case, organisation_id)
        verdict = is_community_interest_group(bodies.body_of(organisation), bodies.land_of_asset(session, asset))
        asked = case.facts.get("interested_organisations", [])
        groups = [*asked, str(organisation.id)]
        trigger = moratorium.request_to_bid(case.state)
        event_data: dict[str, object] = {"organisation_id": str(organisation.id), "cig_check": list(verdict.reasons)}
        event_data.update(_correction(trigger, received_on))
        return apply(
            session,
            case,
            trigger,
            actor,
            {"request_received_on": received_on, "cig_name": organisation.name},
            now=now,
            expected_version=expected_version,
            extra_facts={
                "requester_is_cig": verdict.ok,
                "requester_is_cig_reasons": list(verdict.reasons),
                "requester_already_asked": str(organisation.id) in asked,
            },
            event_data=event_data,
            keep={"interested_organisations": sorted(set(groups))},
        )


def _correction(trigger: str, received_on: date) -> dict[str, str]:
    """A request received in time but recorded after the interim period was marked ended corrects that ending."""
    if trigger != moratorium.LATE_CIG_REQUEST:
        return {}
    return {
        "corrects": f"The interim moratorium was shown as ended with no request; this request was received on "
        f"{long_date(received_on)}"
    }


def _group_and_land(
    session: Session, actor: Actor, case: Case, organisation_id: uuid.UUID
) -> tuple[Organisation, Asset]:
    """The group asking to bid and the land the cycle is about, if the actor may record a request for the group."""
    organisation = session.get(Organisation, organisation_id)
    asset = session.get(Asset, case.asset_id) if case.asset_id else None
    if organisation is None or asset is None:
        raise NotFound("There is no such group or asset")
    if actor.role is not Role.COMMUNITY_MEMBER and not _known_to(session, organisation, case.council_id):
        raise NotFound("There is no such group registered with this council or working in its area")
    return organisation, asset


def _known_to(session: Session, organisation: Organisation, council_id: uuid.UUID) -> bool:
    """Whether staff may record a request for this group: one registered with the council or working in
    its area, the groups the officers' page offers (queries.groups.groups_for_council)."""
    if organisation.council_id == council_id:
        return True
    return councils.get(session, council_id).code in (organisation.activity_areas or ())


def record_exempt_disposal(
    db: Database,
    actor: Actor,
    asset_id: uuid.UUID,
    *,
    disposal_entered_on: date,
    exemption: str,
    details: str,
    right_granted_on: date | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """Record a disposal the moratorium does not apply to (s.95(5), Sch.3). One transaction.

    The listing continues. An open cycle ends; with none open, a cycle is
    opened only to carry the record. The workflow checks the exemption with the
    checklist the owner's notice page uses, and the date against the listing and
    the cycle: an option granted while the land was listed is not exempt
    (Sch.3 para.4(2)), and a disposal before the listing is refused.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        asset = locks.lock_asset(session, asset_id)
        _check_owner_or_staff(session, actor, asset)
        listing = listings.current_listing(session, asset.id)
        if listing is None:
            raise Conflict(f"{asset.name} is not listed, so there is no moratorium to be exempt from")
        cycles = locks.lock_cases_of_asset(session, asset.id, moratorium.NAME, listings.running_cycle_states())
        case = cycles[-1] if cycles else None
        if case is None:
            council = councils.get(session, asset.council_id)
            case = open_case(session, council, moratorium.NAME, actor, now=now, asset_id=asset.id)
            cases.add_link(session, case, listing, "listing")
        data = {"disposal_entered_on": disposal_entered_on, "exemption": exemption, "disposal_details": details}
        if right_granted_on is not None:
            data[moratorium.RIGHT_GRANTED_ON] = right_granted_on
        return apply(session, case, "record_exempt_disposal", actor, data, now=now)


def _check_owner_or_staff(session: Session, actor: Actor, asset: Asset) -> None:
    if actor.role in STAFF_ROLES and actor.council_id == asset.council_id:
        return
    if actor.role is Role.OWNER and actor.user_id is not None:
        stmt = select(AssetParty.id).where(
            AssetParty.asset_id == asset.id,
            AssetParty.user_id == actor.user_id,
            AssetParty.kind.in_(["owner", "agent"]),
            AssetParty.current.is_(True),
        )
        if session.scalars(stmt).first() is not None:
            return
    raise PermissionDenied("Only the owner of the land, their agent or a council officer can do this")
