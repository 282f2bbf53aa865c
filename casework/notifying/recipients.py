"""Turn the parties a notice names (owner, nominator, parish council...) into people with addresses.

STATUTE.md §3.7 says who must be told; this module finds them for one case.
A party with no email address is still returned, so the council can see that
a letter (or other reasonable step, s.91(2)) is needed. Someone the notice
names more than once (the owner who also occupies, a group member who also
asked for alerts) is one recipient, with every party they are told as.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace

from shapely import wkt
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import Asset, AssetParty, Case, CaseLink, Council, Organisation, Subscription, User, UserRole
from workflows.roles import Party, Role

_PARTY_KINDS = {
    Party.OWNER: ("owner", "agent"),
    Party.OCCUPIER: ("occupier",),
    Party.FREEHOLDER: ("freeholder",),
    Party.LEASEHOLDERS: ("leaseholder",),
}


@dataclass(frozen=True)
class Recipient:
    party: str  # the first party they are told as
    name: str
    email: str | None
    address: str | None = None
    unsubscribe_token: str | None = None
    parties: tuple[str, ...] = ()  # every party they are told as, in the notice's order

    @property
    def identity(self) -> str:
        """Who this is for the one-delivery rule: the email address; for a letter, the name and the address."""
        if self.email:
            return self.email.strip().lower()
        return f"{self.name}|{self.address or ''}".lower()

    @property
    def only_an_alert(self) -> bool:
        """Told only because they asked for alerts: they may have no account to see the case with."""
        return set(self.parties or (self.party,)) == {Party.SUBSCRIBERS.value}


def resolve(session: Session, case: Case, parties: Iterable[str], *, asset: Asset | None = None) -> list[Recipient]:
    """Everyone the named parties stand for on this case: each address once, with every party it stands for.
    `asset`: the case's asset, if the caller has it already."""
    if asset is None and case.asset_id:
        asset = session.get(Asset, case.asset_id)
    unique: dict[str, Recipient] = {}
    for name in parties:
        for recipient in _resolve_one(session, case, asset, Party(name)):
            known = unique.get(recipient.identity)
            if known is None:
                unique[recipient.identity] = replace(recipient, parties=(recipient.party,))
            elif recipient.party not in known.parties:
                unique[recipient.identity] = replace(
                    known,
                    parties=(*known.parties, recipient.party),
                    address=known.address or recipient.address,
                    unsubscribe_token=known.unsubscribe_token or recipient.unsubscribe_token,
                )
    return list(unique.values())


def _resolve_one(session: Session, case: Case, asset: Asset | None, party: Party) -> list[Recipient]:
    if party in _PARTY_KINDS:
        return _asset_parties(session, asset, party) + (_claimant(session, case, party) if party is Party.OWNER else [])
    if party is Party.CLAIMANT:
        return _claimant(session, case, party)
    if party is Party.PARISH_COUNCIL:
        return _parish_councils(session, case, asset)
    if party is Party.NOMINATOR:
        return _nominator(session, case)
    if party is Party.APPLICANT:
        return _applicant(session, case)
    if party is Party.COMMUNITY_INTEREST_GROUPS:
        ids = [uuid.UUID(i) for i in case.facts.get("interested_organisations") or []]
        return [_organisation(o, party) for o in _organisations(session, ids)]
    if party in (Party.OFFICER, Party.REVIEWER):
        return _staff(session, case, party)
    return _subscribers(session, case, asset)


def _asset_parties(session: Session, asset: Asset | None, party: Party) -> list[Recipient]:
    if asset is None:
        return []
    rows = session.scalars(
        select(AssetParty).where(
            AssetParty.asset_id == asset.id, AssetParty.kind.in_(_PARTY_KINDS[party]), AssetParty.current.is_(True)
        )
    ).all()
    return [Recipient(party.value, row.name, row.email, row.address) for row in rows]


def _claimant(session: Session, case: Case, party: Party) -> list[Recipient]:
    """The owner who opened this case themselves (a notice of sale, a claim)."""
    if case.workflow == "acv_listing" or case.created_by is None:
        return []
    user = session.get(User, case.created_by)
    roles = session.scalars(select(UserRole.role).where(UserRole.user_id == case.created_by)).all()
    if user is None or any(role != Role.OWNER.value for role in roles):
        return []  # an officer who recorded a paper notice is not the owner
    return [Recipient(party.value, user.name, user.email)]


def _parish_councils(session: Session, case: Case, asset: Asset | None) -> list[Recipient]:
    if asset is None or not asset.parishes:
        return []
    councils = session.scalars(
        select(Organisation).where(Organisation.body_type == "parish_council", Organisation.parish.in_(asset.parishes))
    ).all()
    return [_organisation(council, Party.PARISH_COUNCIL) for council in councils]


def _nominator(session: Session, case: Case) -> list[Recipient]:
    """The group that nominated the land: for a moratorium or claim, the nominator of its listing."""
    nominating = case
    if case.workflow != "acv_listing":
        listing = session.scalars(
            select(Case)
            .join(CaseLink, CaseLink.related_case_id == Case.id)
            .where(CaseLink.case_id == case.id, CaseLink.kind == "listing")
        ).first()
        if listing is None:
            return []
        nominating = listing
    return _group_and_members(session, nominating.organisation_id, Party.NOMINATOR)


def _applicant(session: Session, case: Case) -> list[Recipient]:
    """The group whose own case this is (an asset transfer, a challenge, a transfer request) and its members."""
    return _group_and_members(session, case.organisation_id, Party.APPLICANT)


def _group_and_members(session: Session, organisation_id: uuid.UUID | None, party: Party) -> list[Recipient]:
    organisation = session.get(Organisation, organisation_id) if organisation_id else None
    if organisation is None:
        return []
    members = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.organisation_id == organisation.id, User.active.is_(True))
    ).all()
    return [_organisation(organisation, party)] + [Recipient(party.value, m.name, m.email) for m in members]


def _organisations(session: Session, ids: list[uuid.UUID]) -> list[Organisation]:
    return list(session.scalars(select(Organisation).where(Organisation.id.in_(ids)))) if ids else []


def _organisation(organisation: Organisation, party: Party) -> Recipient:
    return Recipient(party.value, organisation.name, organisation.email, organisation.address)


def _staff(session: Session, case: Case, party: Party) -> list[Recipient]:
    """The assigned officer; otherwise the council's shared address; otherwise every officer (or reviewer)."""
    if party is Party.OFFICER and case.assigned_to is not None:
        user = session.get(User, case.assigned_to)
        if user is not None and user.active:
            return [Recipient(party.value, user.name, user.email)]
    council = session.get(Council, case.council_id)
    if party is Party.OFFICER and council is not None and council.email:
        return [Recipient(party.value, council.name, council.email)]
    role = Role.OFFICER if party is Party.OFFICER else Role.REVIEWER
    users = session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.council_id == case.council_id, UserRole.role == role.value, User.active.is_(True))
    ).all()
    makers = set(case.facts.get("decision_makers") or [])
    return [Recipient(party.value, u.name, u.email) for u in users if str(u.id) not in makers]


def _subscribers(session: Session, case: Case, asset: Asset | None) -> list[Recipient]:
    if asset is None:
        return []
    subscriptions = session.scalars(
        select(Subscription).where(
            Subscription.council_id == case.council_id,
            Subscription.confirmed_at.is_not(None),  # double opt-in: nothing until the address has said yes
            Subscription.unsubscribed_at.is_(None),
        )
    ).all()
    return [
        Recipient(Party.SUBSCRIBERS.value, s.email, s.email, unsubscribe_token=s.token)
        for s in subscriptions
        if matches(s, asset)
    ]


def matches(subscription: Subscription, asset: Asset) -> bool:
    """Does an alert subscription cover this asset: by the asset itself, its category, its ward or distance?"""
    if subscription.asset_id is not None:
        return subscription.asset_id == asset.id
    if subscription.category is not None:
        return subscription.category == asset.category
    if subscription.ward is not None:
        return (asset.ward or "").strip().lower() == subscription.ward.strip().lower()
    if subscription.point and subscription.radius_m and asset.point:
        return distance_m(subscription.point, asset.point) <= subscription.radius_m
    return False


def distance_m(a: str, b: str) -> float:
    """Great-circle distance in metres between two WKT points in longitude/latitude (haversine)."""
    first, second = wkt.loads(a), wkt.loads(b)
    lon1, lat1, lon2, lat2 = map(math.radians, (first.x, first.y, second.x, second.y))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))
