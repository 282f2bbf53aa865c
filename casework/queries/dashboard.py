"""What a community group member or an owner sees first: their cases, each with its next date."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import NotFound
from casework.facts import listings
from casework.models import Asset, AssetParty, Case, Deadline, Organisation
from casework.queries.case_lists import named_cycles
from workflows import acv_listing, moratorium, registry
from workflows.roles import Role


@dataclass(frozen=True)
class DashboardRow:
    reference: str
    title: str
    state_label: str
    draft: bool
    closed: bool
    asset_name: str | None
    next_label: str | None
    next_due: date | None
    case_id: uuid.UUID
    overdue: bool = False  # the next date passed with the case still waiting on it


@dataclass(frozen=True)
class OrganisationView:
    id: uuid.UUID
    name: str
    body_type: str
    council_id: uuid.UUID


def my_organisations(db: Database, actor: Actor) -> list[OrganisationView]:
    with db.reader() as session:
        rows = session.scalars(select(Organisation).where(Organisation.id.in_(list(actor.organisation_ids))))
        return [OrganisationView(o.id, o.name, o.body_type, o.council_id) for o in rows]


def group_cases(db: Database, actor: Actor) -> list[DashboardRow]:
    """Cases the actor's groups started, and disposal cycles that name them (as bidders or nominators)."""
    with db.reader() as session:
        stmt = (
            select(Case)
            .where(Case.organisation_id.in_(actor.organisation_ids) | Case.id.in_(named_cycles(actor.organisation_ids)))
            .order_by(Case.created_at.desc())
        )
        return [_row(session, case) for case in session.scalars(stmt)]


def owner_cases(db: Database, actor: Actor) -> tuple[list[tuple[uuid.UUID, str, str]], list[DashboardRow]]:
    """The assets the council has recorded the actor as owning, and every case about them or started by them."""
    with db.reader() as session:
        assets = session.execute(
            select(Asset.id, Asset.name, Asset.address)
            .join(AssetParty, AssetParty.asset_id == Asset.id)
            .where(
                AssetParty.user_id == actor.user_id,
                AssetParty.current.is_(True),
                AssetParty.kind.in_(["owner", "agent"]),
            )
            .distinct()
        ).all()
        asset_ids = [asset_id for asset_id, _, _ in assets]
        cases = session.scalars(
            select(Case).where((Case.asset_id.in_(asset_ids)) | (Case.created_by == actor.user_id))
        ).all()
        owned = [(asset_id, name, address) for asset_id, name, address in assets]
        return owned, [_row(session, c) for c in sorted(cases, key=lambda c: c.created_at, reverse=True)]


def _reviewers_states() -> set[tuple[str, int, str]]:
    """Each (process, version, state) in which only a reviewer can move a case on: where a review awaits a
    decision, whatever the process calls it. Read from the definitions, so a new process's review is included."""
    return {
        (defn.name, defn.version, source)
        for defn in registry.all_definitions()
        for transition in defn.transitions
        if transition.who == frozenset({Role.REVIEWER})
        for source in transition.sources
    }


def awaiting_review(db: Database, actor: Actor) -> list[DashboardRow]:
    """The open cases of the actor's council waiting for a reviewer's decision, in every process (a listing review,
    a compensation claim's review), the soonest due first."""
    wanted = _reviewers_states()
    names = sorted({name for name, _, _ in wanted})
    states = sorted({state for _, _, state in wanted})
    with db.reader() as session:
        stmt = select(Case).where(
            Case.council_id == actor.council_id,
            Case.closed_at.is_(None),
            Case.workflow.in_(names),
            Case.state.in_(states),
        )
        found = [c for c in session.scalars(stmt) if (c.workflow, c.workflow_version, c.state) in wanted]
        rows = [_row(session, case) for case in found]
    return sorted(rows, key=lambda r: (r.next_due is None, r.next_due or date.min, r.reference))


def _row(session: Session, case: Case) -> DashboardRow:
    defn = registry.get(case.workflow, case.workflow_version)
    asset = session.get(Asset, case.asset_id) if case.asset_id else None
    # The next due date the engine keeps on the case: an escalated one stays until the case moves (overdue).
    label = next((t.label for t in defn.timers if t.name == case.next_due_timer), None)
    name = asset.name if asset else (case.facts.get("nomination") or {}).get("asset", {}).get("name")
    name = name or case.facts.get("service_name")  # a challenge is about a service, not land
    return DashboardRow(
        reference=case.reference,
        title=defn.title,
        state_label=defn.state(case.state).label,
        draft=case.state == defn.initial,
        closed=case.closed_at is not None,
        asset_name=name,
        next_label=label,
        next_due=case.next_due_date,
        overdue=case.next_due_escalated,
        case_id=case.id,
    )


@dataclass(frozen=True)
class CycleView:
    id: uuid.UUID
    reference: str
    asset_name: str
    address: str
    state_label: str
    notice_received: date | None
    interim_end: date | None


def moratorium_for_bid(db: Database, reference: str) -> CycleView:
    """A disposal cycle anyone may ask to bid in (its dates are public on the register); raises NotFound."""
    with db.reader() as session:
        case = session.scalars(select(Case).where(Case.reference == reference, Case.workflow == "moratorium")).first()
        if case is None or case.asset_id is None:
            raise NotFound(f"There is no sale notice {reference}")
        asset = session.get_one(Asset, case.asset_id)
        interim = session.scalars(
            select(Deadline.due_date).where(Deadline.case_id == case.id, Deadline.timer == "interim_end")
        ).first()
        received = case.facts.get("notice_received_on")
        return CycleView(
            case.id,
            case.reference,
            asset.name,
            asset.address,
            registry.get(case.workflow, case.workflow_version).state(case.state).label,
            date.fromisoformat(received) if received else None,
            interim,
        )


@dataclass(frozen=True)
class OwnedAsset:
    id: uuid.UUID
    name: str
    address: str
    listing_reference: str | None
    listing_state: str | None
    listed_until: date | None
    cycle_reference: str | None
    cycle_state: str | None
    cases: tuple[DashboardRow, ...]
    cycle: OpenCycle | None = None
    listing_state_id: str | None = None

    @property
    def listed(self) -> bool:
        return self.listing_state is not None

    @property
    def review_may_be_asked(self) -> bool:
        """Listed and not already under review or appeal: the owner's request for review is open (s.92)."""
        return self.listing_state_id == "listed"

    def protected_period_on(self, day: date) -> OpenCycle | None:
        """The earlier notice whose protected period is still running on `day` (LA 2011 s.95(4)), if any.

        The same test the notice itself is refused on (casework.facts.listings.protected_periods_running), so
        the page can say so before the owner sends anything.
        """
        if self.cycle is None or self.cycle.protected_end is None or day > self.cycle.protected_end:
            return None
        return self.cycle


@dataclass(frozen=True)
class OpenCycle:
    """A disposal cycle still open on an asset, with the dates its notice set (s.95(6))."""

    reference: str
    state: str
    state_label: str
    notice_received: date | None
    interim_end: date | None
    full_end: date | None
    protected_end: date | None


def owned_asset(db: Database, actor: Actor, asset_id: uuid.UUID) -> OwnedAsset:
    """One asset the council records the actor as owning (or acting for); raises NotFound otherwise."""
    with db.reader() as session:
        asset = session.get(Asset, asset_id)
        linked = session.scalars(
            select(AssetParty.id).where(
                AssetParty.asset_id == asset_id,
                AssetParty.user_id == actor.user_id,
                AssetParty.current.is_(True),
                AssetParty.kind.in_(["owner", "agent"]),
            )
        ).first()
        if asset is None or linked is None:
            raise NotFound("The council has not recorded you as the owner of that land")
        cases = session.scalars(select(Case).where(Case.asset_id == asset_id).order_by(Case.created_at.desc())).all()
        listing = next((c for c in cases if c.workflow == "acv_listing" and c.state in LISTED), None)
        running = listings.running_cycle_states()
        cycle = next((c for c in cases if c.workflow == moratorium.NAME and c.state in running), None)
        until = None
        open_cycle = _open_cycle(session, cycle) if cycle is not None else None
        if listing is not None:
            until = session.scalars(
                select(Deadline.due_date).where(Deadline.case_id == listing.id, Deadline.timer == "listing_expiry")
            ).first()
        return OwnedAsset(
            asset.id,
            asset.name,
            asset.address,
            listing.reference if listing else None,
            _label(listing),
            until,
            cycle.reference if cycle else None,
            _label(cycle),
            tuple(_row(session, c) for c in cases),
            open_cycle,
            listing.state if listing else None,
        )


def _open_cycle(session: Session, cycle: Case) -> OpenCycle:
    """The cycle with the dates its notice set, as its deadlines hold them."""
    stmt = select(Deadline.timer, Deadline.due_date).where(Deadline.case_id == cycle.id)
    dues: dict[str, date] = {row.timer: row.due_date for row in session.execute(stmt)}
    received = cycle.facts.get("notice_received_on")
    return OpenCycle(
        cycle.reference,
        cycle.state,
        _label(cycle) or cycle.state,
        date.fromisoformat(received) if received else None,
        dues.get("interim_end"),
        dues.get("full_end"),
        dues.get("protected_end"),
    )


LISTED = acv_listing.LISTED_STATES


def _label(case: Case | None) -> str | None:
    return registry.get(case.workflow, case.workflow_version).state(case.state).label if case else None
