"""Keep the public lists in step with the cases (LA 2011 ss.87, 93, 97; ACV Regs reg.2).

Session-level helpers called by casework.effects inside the transition's
transaction, so the register never disagrees with the case it comes from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.facts import listings
from casework.models import Asset, Case, Organisation, RegisterEntry
from casework.models.register import LISTED, UNSUCCESSFUL
from workflows import periods, registry
from workflows.moratorium import stages


def _current(session: Session, case_id: Any, list_kind: str) -> RegisterEntry | None:
    stmt = select(RegisterEntry).where(
        RegisterEntry.case_id == case_id, RegisterEntry.list_kind == list_kind, RegisterEntry.end_date.is_(None)
    )
    return session.scalars(stmt).first()


def _touch(entry: RegisterEntry, now: datetime) -> None:
    entry.version += 1
    entry.updated_at = now


def _new_entry(session: Session, case: Case, list_kind: str, now: datetime, **fields: Any) -> RegisterEntry:
    asset = session.get(Asset, case.asset_id)
    if asset is None:
        raise RuntimeError(f"case {case.reference} has no asset to put on the register")
    group = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    received = case.facts.get("nomination_received_on")
    entry = RegisterEntry(
        council_id=case.council_id,
        asset_id=asset.id,
        case_id=case.id,
        list_kind=list_kind,
        reference=case.reference,
        name=asset.name,
        address=asset.address,
        description=asset.description,
        nominating_group=group.name if group else case.facts.get("nominating_group"),
        nomination_date=date.fromisoformat(received) if received else None,
        version=1,
        updated_at=now,
        **fields,
    )
    session.add(entry)
    return entry


def listed(session: Session, case: Case, decided_on: date, entry_date: date, now: datetime) -> RegisterEntry:
    expiry = periods.compute("acv.listing_expiry", entry_date).due
    return _new_entry(
        session,
        case,
        LISTED,
        now,
        decision="listed",
        decision_date=decided_on,
        entry_date=entry_date,
        expiry_date=expiry,
    )


def unsuccessful(session: Session, case: Case, decided_on: date, reasons: str, now: datetime) -> RegisterEntry:
    """An entry on the unsuccessful list, which must carry the reasons while it stays (s.93(3)(b))."""
    return _new_entry(
        session,
        case,
        UNSUCCESSFUL,
        now,
        decision="not-listed",
        decision_date=decided_on,
        entry_date=decided_on,
        reasons=reasons,
    )


def end(session: Session, case: Case, list_kind: str, end_date: date, reason: str, now: datetime) -> None:
    entry = _current(session, case.id, list_kind)
    if entry is not None:
        entry.end_date = end_date
        entry.removal_reason = reason
        _touch(entry, now)


def set_status(session: Session, case: Case, status: str, now: datetime) -> None:
    entry = _current(session, case.id, LISTED)
    if entry is not None:
        entry.review_status = status
        _touch(entry, now)


def add_note(session: Session, case: Case, note: str, now: datetime) -> None:
    entry = _current(session, case.id, LISTED)
    if entry is not None:
        entry.notes = f"{entry.notes}\n{note}" if entry.notes else note
        _touch(entry, now)


def moratorium_started(session: Session, listing: Case, cycle: Case | None, received: date, now: datetime) -> None:
    """s.97(2): the notice, the date the council received it and the three end dates.

    The dates follow the cycle's own version of the process; a notice imported with the register and no cycle
    of its own (its protected period long over) follows the version in force on the day it was received.
    """
    entry = _current(session, listing.id, LISTED)
    if entry is None:
        return
    if cycle is not None:
        interim, full, protected = stages.timeline(registry.get(cycle.workflow, cycle.workflow_version), received)
    else:
        interim, full, protected = listings.notice_timeline(received)
    entry.notification_to_sell_date = received
    entry.interim_end_date = interim.due
    entry.full_end_date = full.due
    entry.protected_end_date = protected.due
    entry.interested_group = None
    entry.moratorium_case_id = cycle.id if cycle is not None else None
    _touch(entry, now)


def interested_group(session: Session, listing: Case, name: str, now: datetime) -> None:
    """reg.2(a): the name of each community interest group that asked to be treated as a bidder."""
    entry = _current(session, listing.id, LISTED)
    if entry is None:
        return
    names = [n for n in (entry.interested_group or "").split("; ") if n]
    if name not in names:
        names.append(name)
    entry.interested_group = "; ".join(names)
    _touch(entry, now)


def exempt_disposal(session: Session, listing: Case, record: dict[str, str], now: datetime) -> None:
    entry = _current(session, listing.id, LISTED)
    if entry is not None:
        entry.exempt_disposals = [*entry.exempt_disposals, record]
        _touch(entry, now)
