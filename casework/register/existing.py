"""A council's spreadsheet checked against the register it already holds: no reference loaded twice, and no
land listed again for a time it is already listed, or while a nomination of it is being decided."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import Asset, Council, RegisterEntry
from casework.models.register import LISTED
from casework.register.import_row import ImportRow, listed_period, overlaps
from casework.register.land import Land
from casework.repositories import cases
from workflows import acv_listing


def check_against_register(session: Session, council: Council, rows: list[ImportRow], today: date) -> None:
    """Errors (and warnings) on the rows that clash with, or add to, what the council's register holds."""
    _check_not_loaded(session, council, rows)
    _check_land_not_on_register(session, council, rows, today)


def _check_not_loaded(session: Session, council: Council, rows: list[ImportRow]) -> None:
    existing = set(session.scalars(select(RegisterEntry.reference).where(RegisterEntry.council_id == council.id)))
    for row in rows:
        if row.reference in existing and row.merged_into is None:
            row.errors.append(f"reference {row.reference} is already on {council.code}'s register")


def _check_land_not_on_register(session: Session, council: Council, rows: list[ImportRow], today: date) -> None:
    """A row about land the council already holds: the same asset is used, unless its entry would clash.

    Land listed for a time that overlaps a listing already on the register, or listed while a nomination of
    it is being decided, is an error; an earlier or later entry about the same land is matched to its asset.
    """
    land = Land(session, council)
    for row in rows:
        found = land.match(row) if row.merged_into is None else None
        if found is None:
            continue
        asset, key = found
        clash = _clash(session, asset, row, today) if row.decision == "listed" else None
        if clash:
            row.errors.append(f"the land ({key}) is already on {council.code}'s register: {clash}")
        else:
            row.warnings.append(f"the land ({key}) is {asset.name} ({asset.reference}): the entry is added to it")


def _clash(session: Session, asset: Asset, row: ImportRow, today: date) -> str | None:
    period = listed_period(row)
    if period is None:
        return None
    entries = session.scalars(
        select(RegisterEntry).where(RegisterEntry.asset_id == asset.id, RegisterEntry.list_kind == LISTED)
    )
    for entry in entries:
        until = entry.end_date or entry.expiry_date or entry.entry_date
        if overlaps(period, (entry.entry_date, until)):
            return f"{asset.name} is listed as {entry.reference} from {entry.entry_date} to {until}"
    deciding = cases.cases_of_asset(session, asset.id, acv_listing.NAME, ("nomination_received", "under_consideration"))
    if deciding and period[1] >= today:
        return f"{asset.name} has a nomination the council is deciding ({deciding[0].reference})"
    return None
