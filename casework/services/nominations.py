"""Nominate land for listing: save a draft, check it, submit it (LA 2011 s.89; ACV Regs regs 6-7)."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import assets, clock
from casework.actors import Actor
from casework.assets import AssetDetails, PartyDetails
from casework.db import Database
from casework.errors import Conflict, InvalidInput, NotFound, PermissionDenied, StaleCase
from casework.facts import bodies
from casework.models import Asset, Case, Council, Organisation
from casework.permissions import check_case_access
from casework.repositories import cases, councils
from casework.transitions import locks
from casework.transitions.apply import TransitionResult, apply
from casework.transitions.opening import open_case
from workflows import acv_listing
from workflows.checklists import LandAnswers, Verdict, assess_land
from workflows.eligibility import eligible_nominator
from workflows.periods import long_date
from workflows.roles import STAFF_ROLES, Role

OPEN_NOMINATION = ("nomination_received", "under_consideration")


@dataclass(frozen=True)
class Nomination:
    """What reg.6 asks a nomination to contain, as the group entered it."""

    asset: AssetDetails
    boundary_description: str = ""  # reg.6(a): the land, including its proposed boundaries
    occupants: str = ""  # reg.6(b)(i): names of current occupants, as far as known
    ownership: str = ""  # reg.6(b)(ii): names and addresses of freeholders and leaseholders, as far as known
    reasons: str = ""  # reg.6(c): why the land is of community value
    eligibility_evidence: str = ""  # reg.6(d)
    owners: tuple[PartyDetails, ...] = ()
    land: LandAnswers = field(default_factory=LandAnswers)
    # Whether the group has answered the Sch.1 questions: a draft begun on the pages has not, and its answers,
    # all "no" until then, must be neither shown as given nor offered as chosen. A whole nomination (the API, a
    # paper one an officer types in) gives them with the rest.
    land_answered: bool = True

    def missing_contents(self) -> list[str]:
        """The reg.6 items not yet given, in the words of the regulation."""
        checks = [
            (self.asset.name and self.asset.address, "the name and address of the land"),
            (self.boundary_description or self.asset.boundary, "a description of the land and its proposed boundaries"),
            (self.occupants, "the names of current occupants, as far as known"),
            (self.ownership or self.owners, "the names and addresses of freeholders and leaseholders, as far as known"),
            (self.reasons, "the reasons for thinking the land is of community value"),
            (self.eligibility_evidence, "evidence that the group is eligible to nominate"),
        ]
        return [label for value, label in checks if not value]

    def as_json(self) -> dict[str, Any]:
        return {
            "asset": self.asset.as_json(),
            "boundary_description": self.boundary_description,
            "occupants": self.occupants,
            "ownership": self.ownership,
            "reasons": self.reasons,
            "eligibility_evidence": self.eligibility_evidence,
            "owners": [{k: v for k, v in asdict(o).items() if k != "user_id"} for o in self.owners],
            "land": asdict(self.land),
            "land_answered": self.land_answered,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Nomination:
        return cls(
            asset=AssetDetails.from_json(data["asset"]),
            boundary_description=data["boundary_description"],
            occupants=data["occupants"],
            ownership=data["ownership"],
            reasons=data["reasons"],
            eligibility_evidence=data["eligibility_evidence"],
            owners=tuple(PartyDetails(**o) for o in data["owners"]),
            land=LandAnswers(**data["land"]),
            land_answered=data.get("land_answered", True),
        )


@dataclass(frozen=True)
class NominationCheck:
    """What the group is told before it submits: is the body eligible, is the land listable, what is missing."""

    nominator: Verdict
    land: Verdict
    missing: tuple[str, ...]


def save_draft(
    db: Database,
    actor: Actor,
    council_id: uuid.UUID,
    organisation_id: uuid.UUID,
    nomination: Nomination,
    *,
    case_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> uuid.UUID:
    """Create or update a draft nomination (save and return later). One transaction; returns the case id."""
    now = now or clock.utcnow()
    _check_may_nominate_for(actor, council_id, organisation_id)
    asset = assets.checked_asset(nomination.asset, "asset.", draft=True)
    checked = Nomination(**{**nomination.__dict__, "asset": asset})
    with db.transaction() as session:
        if case_id is None:
            council = councils.get(session, council_id)
            case = open_case(
                session,
                council,
                acv_listing.NAME,
                actor,
                now=now,
                organisation_id=organisation_id,
                facts={"nomination": checked.as_json()},
            )
            return case.id
        case = locks.lock_case(session, case_id)
        check_case_access(session, actor, case)
        if case.state != "draft":
            raise Conflict(f"Nomination {case.reference} has been submitted and can no longer be edited")
        case.facts = {**case.facts, "nomination": checked.as_json()}
        return case.id


def check(db: Database, case_id: uuid.UUID) -> NominationCheck:
    """Tell the group, before it submits, whether the body and the land look eligible, and why."""
    with db.reader() as session:
        case = session.get(Case, case_id)
        if case is None or "nomination" not in case.facts:
            raise InvalidInput({"case": "There is no draft nomination with that id"})
        return _check(session, case, Nomination.from_json(case.facts["nomination"]))


def _check(session: Session, case: Case, nomination: Nomination) -> NominationCheck:
    council = councils.get(session, case.council_id)
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    land = bodies.land_of(session, council, nomination.asset.parishes)
    nominator = (
        eligible_nominator(bodies.body_of(organisation), land)
        if organisation
        else Verdict(False, ("The nomination must be made by a group",), ("LA 2011 s.89(2)",))
    )
    return NominationCheck(nominator, assess_land(nomination.land), tuple(nomination.missing_contents()))


def submit(
    db: Database,
    actor: Actor,
    case_id: uuid.UUID,
    *,
    received_on: date | None = None,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """Submit a draft: create the asset, start the 8-week decision clock (reg.7). One transaction.

    `received_on` defaults to today in England (a nomination made online is
    received when it is submitted). Raises Conflict if the land is already
    listed or nominated, or a workflow refusal if reg.6 contents are missing.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        case = locks.lock_case(session, case_id)
        return _submit(session, case, actor, received_on or clock.london_date(now), expected_version, now)


def nominate(
    db: Database,
    actor: Actor,
    council_id: uuid.UUID,
    organisation_id: uuid.UUID,
    nomination: Nomination,
    *,
    received_on: date | None = None,
    now: datetime | None = None,
) -> TransitionResult:
    """Record and submit a whole nomination at once (a paper nomination, an API call). One transaction."""
    now = now or clock.utcnow()
    _check_may_nominate_for(actor, council_id, organisation_id)
    checked = Nomination(**{**nomination.__dict__, "asset": assets.checked_asset(nomination.asset, "asset.")})
    with db.transaction() as session:
        council = councils.get(session, council_id)
        case = open_case(
            session,
            council,
            acv_listing.NAME,
            actor,
            now=now,
            organisation_id=organisation_id,
            facts={"nomination": checked.as_json()},
        )
        return _submit(session, case, actor, received_on or clock.london_date(now), None, now)


def _submit(
    session: Session, case: Case, actor: Actor, received_on: date, expected_version: int | None, now: datetime
) -> TransitionResult:
    check_case_access(session, actor, case, "submit")
    if expected_version is not None and expected_version != case.version:
        raise StaleCase(case.reference)  # checked before this service's own writes move the version on
    nomination = Nomination.from_json(case.facts["nomination"])
    nomination = Nomination(**{**nomination.__dict__, "asset": assets.checked_asset(nomination.asset, "asset.")})
    council = councils.get(session, case.council_id)
    asset = _asset_for(session, council, nomination, now)
    case.asset_id = asset.id
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    verdicts = _check(session, case, nomination)
    case.facts = {**case.facts, "nominating_group": organisation.name if organisation else None}
    return apply(
        session,
        case,
        "submit",
        actor,
        {"nomination_received_on": received_on},
        now=now,
        extra_facts={"nomination_contents_missing": list(verdicts.missing)},
        event_data={"nominator_check": list(verdicts.nominator.reasons), "land_check": list(verdicts.land.reasons)},
    )


def _asset_for(session: Session, council: Council, nomination: Nomination, now: datetime) -> Asset:
    asset = assets.find_asset(session, council, nomination.asset)
    if asset is not None:
        _refuse_if_listed_or_nominated(session, asset)
    else:
        asset = assets.create_asset(session, council, nomination.asset, now)
    for party in nomination.owners:
        assets.add_party(session, asset, party, now)
    return asset


def _refuse_if_listed_or_nominated(session: Session, asset: Asset) -> None:
    for case in cases.cases_of_asset(
        session, asset.id, acv_listing.NAME, (*OPEN_NOMINATION, *acv_listing.LISTED_STATES)
    ):
        if case.state in OPEN_NOMINATION:
            raise Conflict(f"{asset.name} has already been nominated (case {case.reference}); the council is deciding")
        expiry = next((d.due_date for d in cases.deadlines_of(session, case.id) if d.timer == "listing_expiry"), None)
        until = f" until the end of {long_date(expiry)}" if expiry else ""
        raise Conflict(f"{asset.name} is already listed{until} (case {case.reference})")


def _check_may_nominate_for(actor: Actor, council_id: uuid.UUID, organisation_id: uuid.UUID) -> None:
    if actor.role in STAFF_ROLES and actor.council_id == council_id:
        return
    if actor.role is Role.COMMUNITY_MEMBER and organisation_id in actor.organisation_ids:
        return
    raise PermissionDenied("You can only nominate on behalf of a group you belong to")


@dataclass(frozen=True)
class Draft:
    case_id: uuid.UUID
    reference: str
    state: str
    version: int
    council_id: uuid.UUID
    organisation_id: uuid.UUID | None
    organisation_name: str | None
    nomination: Nomination


def draft(db: Database, actor: Actor, reference: str) -> Draft:
    """A nomination as its group sees it while writing it (read only); raises NotFound or PermissionDenied."""
    with db.reader() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).first()
        if case is None or case.workflow != acv_listing.NAME or "nomination" not in case.facts:
            raise NotFound(f"There is no nomination {reference}")
        check_case_access(session, actor, case)
        organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
        return Draft(
            case.id,
            case.reference,
            case.state,
            case.version,
            case.council_id,
            case.organisation_id,
            organisation.name if organisation else None,
            Nomination.from_json(case.facts["nomination"]),
        )
