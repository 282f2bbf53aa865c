"""Whose case is it? Every service checks the actor may touch the case before anything else.

The workflow decides which role may fire which trigger; this module decides
whether this particular user may act on, or read, this particular case at all.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.errors import PermissionDenied
from casework.models import AssetParty, Case, CaseLink
from workflows import registry
from workflows.roles import STAFF_ROLES, GroupReach, Role


def check_case_access(session: Session, actor: Actor, case: Case, trigger: str | None = None) -> None:
    """Raise PermissionDenied unless `actor` may act on `case` (with `trigger`, if given)."""
    if actor.role is Role.SYSTEM:
        return
    if actor.role in STAFF_ROLES:
        if actor.council_id != case.council_id:
            raise PermissionDenied("You can only work on cases of your own council")
        return
    if actor.role is Role.COMMUNITY_MEMBER:
        if case.organisation_id in actor.organisation_ids or _reaches(actor, case, trigger):
            return
        raise PermissionDenied("You can only act on your own group's cases")
    if actor.role is Role.OWNER and (case.created_by == actor.user_id or _owns_asset(session, actor, case)):
        return
    raise PermissionDenied(
        "You can only act on cases about land you own or act for. If the council has your email address as the "
        "owner's, confirm your email address from Your land and the case opens"
    )


def check_case_read(session: Session, actor: Actor, case: Case) -> None:
    """Raise PermissionDenied unless `actor` may read `case`: those who may act on it, and the groups it names.

    A group that asked to be treated as a bidder (LA 2011 s.95(3)(a)) or nominated the listed land
    (told of the notice under s.97(3)) is a party to a disposal cycle, and reads what a party may see;
    acting on it stays with check_case_access.
    """
    if actor.role is Role.COMMUNITY_MEMBER:
        if _names_group(session, actor, case):
            return
        raise PermissionDenied("You can only see your own group's cases, and cases that name your group")
    check_case_access(session, actor, case)


def may_act(session: Session, actor: Actor, case: Case, trigger: str | None) -> bool:
    """Whether check_case_access lets `actor` act on `case` (fire `trigger`, if given), for choosing what to offer."""
    try:
        check_case_access(session, actor, case, trigger)
    except PermissionDenied:
        return False
    return True


def check_staff_of(actor: Actor, council_id: uuid.UUID, refusal: str) -> None:
    """Council staff act only for their own council; anyone else is checked by the caller's own rules."""
    if actor.role in STAFF_ROLES and actor.council_id != council_id:
        raise PermissionDenied(refusal)


def check_acts_for_group(actor: Actor, organisation_id: uuid.UUID, refusal: str) -> None:
    """A member of the group acting for it, or an officer recording it for the group (whose council the
    service then checks against the land or the council the case is for)."""
    if actor.role is Role.OFFICER:
        return
    if actor.role is Role.COMMUNITY_MEMBER and organisation_id in actor.organisation_ids:
        return
    raise PermissionDenied(refusal)


def _reaches(actor: Actor, case: Case, trigger: str | None) -> bool:
    """Whether the step `trigger` names (Transition.groups) is open to one of the actor's groups on another's case."""
    if trigger is None:
        return False
    defn = registry.get(case.workflow, case.workflow_version)
    reach = {t.groups for t in defn.transitions if t.trigger == trigger}
    if GroupReach.ANY in reach:
        return True
    bidders = set(case.facts.get("interested_organisations") or [])
    return GroupReach.BIDDERS in reach and bool(bidders & {str(i) for i in actor.organisation_ids})


def _names_group(session: Session, actor: Actor, case: Case) -> bool:
    """Is one of the actor's groups named on the case: its own, a bidder, or the nominator of its listing?"""
    if case.organisation_id in actor.organisation_ids:
        return True
    if case.workflow != "moratorium":
        return False
    mine = {str(i) for i in actor.organisation_ids}
    if mine & set(case.facts.get("interested_organisations") or []):
        return True
    nominator = session.scalars(
        select(Case.organisation_id)
        .join(CaseLink, CaseLink.related_case_id == Case.id)
        .where(CaseLink.case_id == case.id, CaseLink.kind == "listing")
    ).first()
    return nominator is not None and nominator in actor.organisation_ids


def _owns_asset(session: Session, actor: Actor, case: Case) -> bool:
    if case.asset_id is None or actor.user_id is None:
        return False
    stmt = select(AssetParty.id).where(
        AssetParty.asset_id == case.asset_id,
        AssetParty.user_id == actor.user_id,
        AssetParty.kind.in_(["owner", "agent"]),
        AssetParty.current.is_(True),
    )
    return session.scalars(stmt).first() is not None
