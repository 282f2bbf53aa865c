"""The public register: search, one page per entry, and the rows behind every download.

Public data only: nothing here reveals internal notes, parties' contact details
or anything a council keeps private.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from casework.db import Database
from casework.errors import NotFound
from casework.models import Asset, Case, CaseEvent, Council, RegisterEntry
from casework.models.register import LISTED, UNSUCCESSFUL
from workflows import registry

PAGE_SIZE = 25


@dataclass(frozen=True)
class RegisterFilters:
    council: str | None = None
    q: str | None = None
    list_kind: str = LISTED  # listed | unsuccessful
    status: str = "current"  # current | ended | all
    category: str | None = None
    ward: str | None = None
    page: int = 1


@dataclass(frozen=True)
class EntryView:
    id: uuid.UUID
    asset_id: uuid.UUID
    reference: str
    case_reference: str
    council_code: str
    council_name: str
    list_kind: str
    name: str
    address: str
    description: str | None
    category: str
    ward: str | None
    uprn: str | None
    title_numbers: tuple[str, ...]
    point: str | None
    boundary: str | None
    nominating_group: str | None
    nomination_date: date | None
    decision: str
    decision_date: date | None
    entry_date: date
    expiry_date: date | None
    end_date: date | None
    removal_reason: str | None
    reasons: str | None
    review_status: str | None
    notification_to_sell_date: date | None
    interim_end_date: date | None
    full_end_date: date | None
    protected_end_date: date | None
    interested_group: str | None
    moratorium_state: str | None
    moratorium_reference: str | None
    exempt_disposals: tuple[dict[str, Any], ...]
    notes: str | None
    public_notes: tuple[tuple[datetime, str], ...]
    version: int
    updated_at: datetime

    @property
    def current(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True)
class RegisterPage:
    entries: tuple[EntryView, ...]
    total: int
    page: int
    pages: int
    councils: tuple[tuple[str, str], ...]
    categories: tuple[str, ...]
    wards: tuple[str, ...]


def _base(filters: RegisterFilters) -> Select[RegisterEntry, Asset, Council, Case]:
    stmt = (
        select(RegisterEntry, Asset, Council, Case)
        .join(Asset, Asset.id == RegisterEntry.asset_id)
        .join(Council, Council.id == RegisterEntry.council_id)
        .join(Case, Case.id == RegisterEntry.case_id)
        .where(RegisterEntry.list_kind == filters.list_kind)
    )
    if filters.council:
        stmt = stmt.where(Council.code == filters.council.upper())
    if filters.status == "current":
        stmt = stmt.where(RegisterEntry.end_date.is_(None))
    elif filters.status == "ended":
        stmt = stmt.where(RegisterEntry.end_date.is_not(None))
    if filters.q:
        like = f"%{filters.q.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(RegisterEntry.name).like(like),
                func.lower(RegisterEntry.address).like(like),
                func.lower(RegisterEntry.reference).like(like),
                func.lower(func.coalesce(Asset.postcode, "")).like(like),
            )
        )
    if filters.category:
        stmt = stmt.where(Asset.category == filters.category)
    if filters.ward:
        stmt = stmt.where(Asset.ward == filters.ward)
    return stmt


def search(db: Database, filters: RegisterFilters) -> RegisterPage:
    """One page of the public register, newest entries first."""
    with db.reader() as session:
        stmt = _base(filters)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(filters.page, 1), pages)  # a page past the end shows the last: no offset overflows
        rows = session.execute(
            stmt.order_by(RegisterEntry.entry_date.desc(), RegisterEntry.reference)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        ).all()
        return RegisterPage(
            entries=tuple(_view(session, *row) for row in rows),
            total=total,
            page=page,
            pages=pages,
            councils=tuple(
                (code, name)
                for code, name in session.execute(select(Council.code, Council.name).order_by(Council.name))
            ),
            categories=tuple(session.scalars(select(Asset.category).distinct().order_by(Asset.category))),
            wards=tuple(w for w in session.scalars(select(Asset.ward).distinct().order_by(Asset.ward)) if w),
        )


def everything(db: Database, council: str | None = None, list_kind: str | None = None) -> list[EntryView]:
    """Every entry, current and ended, for the downloads and feeds."""
    with db.reader() as session:
        rows: list[Any] = []
        for kind in [list_kind] if list_kind else [LISTED, UNSUCCESSFUL]:
            stmt = _base(RegisterFilters(council=council, list_kind=kind, status="all"))
            rows += session.execute(stmt.order_by(RegisterEntry.entry_date, RegisterEntry.reference)).all()
        return [_view(session, *row) for row in rows]


def entry(db: Database, reference: str, council: str | None = None) -> EntryView:
    """One entry by its reference (the council's own, or the case's); raises NotFound."""
    with db.reader() as session:
        stmt = (
            select(RegisterEntry, Asset, Council, Case)
            .join(Asset, Asset.id == RegisterEntry.asset_id)
            .join(Council, Council.id == RegisterEntry.council_id)
            .join(Case, Case.id == RegisterEntry.case_id)
            .where(or_(RegisterEntry.reference == reference, Case.reference == reference))
            .order_by(RegisterEntry.list_kind)  # the listed entry before an unsuccessful one made on review
        )
        if council:
            stmt = stmt.where(Council.code == council.upper())
        row = session.execute(stmt).first()
        if row is None:
            raise NotFound(f"There is no register entry {reference}")
        return _view(session, *row)


def _view(session: Session, entry: RegisterEntry, asset: Asset, council: Council, case: Case) -> EntryView:
    notes = session.execute(
        select(CaseEvent.occurred_at, CaseEvent.data)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == "note")
        .order_by(CaseEvent.seq)
    ).all()
    moratorium_state = moratorium_reference = None
    if entry.moratorium_case_id:
        cycle = session.get(Case, entry.moratorium_case_id)
        if cycle is not None:
            moratorium_state = registry.get(cycle.workflow, cycle.workflow_version).state(cycle.state).label
            moratorium_reference = cycle.reference if cycle.state == "interim_moratorium" else None
    return EntryView(
        id=entry.id,
        asset_id=asset.id,
        reference=entry.reference,
        case_reference=case.reference,
        council_code=council.code,
        council_name=council.name,
        list_kind=entry.list_kind,
        name=entry.name,
        address=entry.address,
        description=entry.description,
        category=asset.category,
        ward=asset.ward,
        uprn=asset.uprn,
        title_numbers=tuple(asset.title_numbers),
        point=asset.point,
        boundary=asset.boundary,
        nominating_group=entry.nominating_group,
        nomination_date=entry.nomination_date,
        decision=entry.decision,
        decision_date=entry.decision_date,
        entry_date=entry.entry_date,
        expiry_date=entry.expiry_date,
        end_date=entry.end_date,
        removal_reason=entry.removal_reason,
        reasons=entry.reasons,
        review_status=entry.review_status,
        notification_to_sell_date=entry.notification_to_sell_date,
        interim_end_date=entry.interim_end_date,
        full_end_date=entry.full_end_date,
        protected_end_date=entry.protected_end_date,
        interested_group=entry.interested_group,
        moratorium_state=moratorium_state,
        moratorium_reference=moratorium_reference,
        exempt_disposals=tuple(entry.exempt_disposals),
        notes=entry.notes,
        public_notes=tuple((at, str(data.get("text"))) for at, data in notes if data.get("public")),
        version=entry.version,
        updated_at=entry.updated_at,
    )
