"""What a community group may ask its council for: the buildings and spaces offered for community asset
transfer (with the tenures the policy in force offers), and the services opened to the community right to
challenge, with the windows in which they may be challenged."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import clock, policies
from casework.db import Database
from casework.errors import NotFound
from casework.models import Asset, Case, Council, Policy
from workflows import asset_transfer, challenge, scotland_atr
from workflows.policies import TENURES, ChallengePolicy, ServiceWindow, TransferPolicy


@dataclass(frozen=True)
class OfferedAsset:
    id: uuid.UUID
    name: str
    address: str
    category: str
    council_code: str
    council_name: str
    nation: str
    applications: int  # open applications or requests for it
    # England: the tenures (id, label) the council's policy in force today offers, the only ones an enquiry may seek
    tenures: tuple[tuple[str, str], ...] = ()


def offered_assets(db: Database) -> list[OfferedAsset]:
    """Council buildings and spaces offered for community asset transfer, in England and Scotland."""
    with db.reader() as session:
        return _offered(session, None)


def offered_asset(db: Database, asset_id: uuid.UUID) -> OfferedAsset:
    with db.reader() as session:
        found = _offered(session, asset_id)
    if not found:
        raise NotFound("That building or space is not offered for transfer")
    return found[0]


def _offered(session: Session, asset_id: uuid.UUID | None) -> list[OfferedAsset]:
    stmt = select(Asset, Council).join(Council, Council.id == Asset.council_id)
    stmt = stmt.where(Asset.offered_for_transfer.is_(True)).order_by(Council.name, Asset.name)
    if asset_id is not None:
        stmt = stmt.where(Asset.id == asset_id)
    rows = session.execute(stmt).all()
    counts = dict(
        session.execute(
            select(Case.asset_id, func.count())
            .where(
                Case.asset_id.in_([asset.id for asset, _ in rows]),
                Case.workflow.in_([asset_transfer.NAME, scotland_atr.NAME]),
                Case.closed_at.is_(None),
            )
            .group_by(Case.asset_id)
        ).all()
    )
    tenures = {c.id: _tenures_offered(session, c) for c in {c for _, c in rows}}
    return [
        OfferedAsset(a.id, a.name, a.address, a.category, c.code, c.name, c.nation, counts.get(a.id, 0), tenures[c.id])
        for a, c in rows
    ]


def _tenures_offered(session: Session, council: Council) -> tuple[tuple[str, str], ...]:
    pinned = policies.current(session, council.id, asset_transfer.NAME, clock.london_date(clock.utcnow()))
    if pinned is None or not isinstance(pinned.rules, TransferPolicy):
        return ()
    return tuple((t.id, t.label) for t in TENURES if t.id in pinned.rules.tenures)


@dataclass(frozen=True)
class ServiceOption:
    id: str
    name: str
    window: str  # "1 March to 30 April each year", or "at any time"


def challenge_services(db: Database, council_code: str, on: date) -> tuple[str, tuple[ServiceOption, ...]]:
    """The council's policy title and the services it has opened to challenge, with their windows."""
    with db.reader() as session:
        council = session.scalars(select(Council).where(Council.code == council_code.upper())).first()
        if council is None:
            raise NotFound(f"There is no council with the code {council_code!r}")
        pinned = policies.current(session, council.id, challenge.NAME, on)
        if pinned is None or not isinstance(pinned.rules, ChallengePolicy):
            return "", ()
        return pinned.label, tuple(ServiceOption(s.id, s.name, _window_text(s)) for s in pinned.rules.services)


def challenge_councils(db: Database, on: date) -> list[tuple[str, str]]:
    """English councils that have published which services are open to challenge."""
    with db.reader() as session:
        rows = session.execute(
            select(Council.code, Council.name)
            .join(Policy, Policy.council_id == Council.id)
            .where(Policy.workflow == challenge.NAME, Policy.effective_from <= on, Council.nation == "england")
            .distinct()
            .order_by(Council.name)
        ).all()
        return [(code, name) for code, name in rows]


def _window_text(service: ServiceWindow) -> str:
    if service.opens is None or service.closes is None:
        return "at any time"
    opens, closes = date(2024, *service.opens), date(2024, *service.closes)
    return f"{opens:%-d %B} to {closes:%-d %B} each year"
