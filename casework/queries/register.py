"""The public register: search, one page per entry, and the rows behind every download.

Public data only: nothing here reveals internal notes, parties' contact details
or anything a council keeps private.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from casework.db import Database
from casework.errors import NotFound
from casework.models import Asset, Case, Council, RegisterEntry
from casework.models.register import LISTED, UNSUCCESSFUL
from casework.queries.entry_views import EntryRow, EntryView, views, views_by_id

PAGE_SIZE = 25
DOWNLOAD_PAGE_SIZE = 100  # entries on a page of the JSON register, and items on a page of the Atom feed


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
class RegisterPage:
    entries: tuple[EntryView, ...]
    total: int
    page: int
    pages: int
    councils: tuple[tuple[str, str], ...]
    categories: tuple[str, ...]
    wards: tuple[str, ...]


def _base(
    filters: RegisterFilters, kinds: tuple[str, ...] | None = None
) -> Select[RegisterEntry, Asset, Council, Case]:
    stmt = (
        select(RegisterEntry, Asset, Council, Case)
        .join(Asset, Asset.id == RegisterEntry.asset_id)
        .join(Council, Council.id == RegisterEntry.council_id)
        .join(Case, Case.id == RegisterEntry.case_id)
        .where(RegisterEntry.list_kind.in_(kinds or (filters.list_kind,)))
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
            entries=tuple(views(session, rows)),
            total=total,
            page=page,
            pages=pages,
            councils=_councils(session),
            categories=tuple(session.scalars(select(Asset.category).distinct().order_by(Asset.category))),
            wards=_wards(session),
        )


def _councils(session: Session) -> tuple[tuple[str, str], ...]:
    """Every council's code and name, for the register's filters."""
    return tuple(
        (code, name) for code, name in session.execute(select(Council.code, Council.name).order_by(Council.name))
    )


def _wards(session: Session) -> tuple[str, ...]:
    return tuple(w for w in session.scalars(select(Asset.ward).distinct().order_by(Asset.ward)) if w)


MAP_LIMIT = 1000  # places on the register's map at once; a register with more is narrowed by its filters


@dataclass(frozen=True)
class MapPlace:
    """One entry as the register's map shows it: where it is and what to link to."""

    reference: str
    council_code: str
    name: str
    address: str
    point: str | None
    boundary: str | None


@dataclass(frozen=True)
class MapPage:
    places: tuple[MapPlace, ...]  # the newest entries with a location, at most MAP_LIMIT
    located: int  # entries matching the filters that have a point or a boundary
    total: int  # entries matching the filters
    councils: tuple[tuple[str, str], ...]
    wards: tuple[str, ...]


def map_places(db: Database, filters: RegisterFilters, limit: int = MAP_LIMIT) -> MapPage:
    """The entries matching `filters` that have a location, newest first, for the register's map view.

    Only the columns the map needs are read, so the map of a large register costs one narrow query.
    """
    with db.reader() as session:
        stmt = _base(filters)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        located_stmt = stmt.where(or_(Asset.point.is_not(None), Asset.boundary.is_not(None)))
        located = session.scalar(select(func.count()).select_from(located_stmt.subquery())) or 0
        rows = session.execute(
            located_stmt.with_only_columns(
                RegisterEntry.reference,
                Council.code,
                RegisterEntry.name,
                RegisterEntry.address,
                Asset.point,
                Asset.boundary,
            )
            .order_by(RegisterEntry.entry_date.desc(), RegisterEntry.reference)
            .limit(limit)
        ).all()
        return MapPage(tuple(MapPlace(*row) for row in rows), located, total, _councils(session), _wards(session))


def everything(db: Database, council: str | None = None, list_kind: str | None = None) -> list[EntryView]:
    """Every entry, current and ended, for the downloads and feeds."""
    with db.reader() as session:
        rows: list[EntryRow] = []
        for kind in [list_kind] if list_kind else [LISTED, UNSUCCESSFUL]:
            stmt = _base(RegisterFilters(council=council, list_kind=kind, status="all"))
            rows += session.execute(stmt.order_by(RegisterEntry.entry_date, RegisterEntry.reference)).all()
        return views(session, rows)


@dataclass(frozen=True)
class EntryPage:
    """One page of entries in a fixed order, and where it sits among the pages (RFC 5005 paging)."""

    entries: tuple[EntryView, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class FeedItem:
    """Something the feed announces: an entry made in the list, or an owner's notice of a sale."""

    kind: str  # listed | notice
    day: date
    entry: EntryView


@dataclass(frozen=True)
class FeedPage:
    items: tuple[FeedItem, ...]
    page: int
    pages: int
    total: int
    newest: date | None  # the newest item in the whole feed, the feed's own `updated`


def _pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def _check_page(page: int, pages: int) -> None:
    if not 1 <= page <= pages:
        raise NotFound(f"There is no page {page}: there {'is 1 page' if pages == 1 else f'are {pages} pages'}")


def entries_page(
    db: Database, council: str | None, list_kind: str | None, page: int, size: int = DOWNLOAD_PAGE_SIZE
) -> EntryPage:
    """One page of every entry, current and ended, oldest entry first (so pages stay put as entries are added).

    Raises NotFound for a page past the last.
    """
    with db.reader() as session:
        stmt = _every_kind(council, list_kind)
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        pages = _pages(total, size)
        _check_page(page, pages)
        order = (RegisterEntry.entry_date, RegisterEntry.reference, RegisterEntry.id)
        rows = session.execute(stmt.order_by(*order).limit(size).offset((page - 1) * size)).all()
        return EntryPage(tuple(views(session, rows)), page, pages, total)


def feed_page(
    db: Database, council: str | None, list_kind: str | None, page: int, size: int = DOWNLOAD_PAGE_SIZE
) -> FeedPage:
    """One page of listings and owners' notices, newest first. Raises NotFound for a page past the last.

    Only the dates of every entry are read to order the items; whole entries are read for this page alone.
    """
    with db.reader() as session:
        stmt = _every_kind(council, list_kind).with_only_columns(
            RegisterEntry.id,
            RegisterEntry.reference,
            RegisterEntry.list_kind,
            RegisterEntry.entry_date,
            RegisterEntry.notification_to_sell_date,
        )
        keys: list[tuple[date, str, str, uuid.UUID]] = []
        for entry_id, reference, kind, entered, notice in session.execute(stmt):
            if kind == LISTED:
                keys.append((entered, reference, "listed", entry_id))
            if notice:
                keys.append((notice, reference, "notice", entry_id))
        keys.sort(key=lambda key: (-key[0].toordinal(), key[1], key[2]))
        pages = _pages(len(keys), size)
        _check_page(page, pages)
        chosen = keys[(page - 1) * size : page * size]
        views = views_by_id(session, {key[3] for key in chosen})
        items = tuple(FeedItem(kind, day, views[entry_id]) for day, _, kind, entry_id in chosen)
        return FeedPage(items, page, pages, len(keys), keys[0][0] if keys else None)


def _every_kind(council: str | None, list_kind: str | None) -> Select[RegisterEntry, Asset, Council, Case]:
    return _base(RegisterFilters(council=council, status="all"), (list_kind,) if list_kind else (LISTED, UNSUCCESSFUL))


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
        return views(session, [row])[0]
