"""A listing whose owner's sale notice is still running, loaded through casework.transitions one at a time:
its listing case, its entry, and a moratorium case at the stage the notice's dates reach today, its clocks
armed (LA 2011 s.95). The few such rows of a register are not worth batching."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.facts import listings
from casework.models import Asset, Case, Council, Deadline, RegisterEntry
from casework.models.deadline import FIRED
from casework.models.register import LISTED
from casework.register import entries as register
from casework.register.import_row import ImportRow
from casework.register.standing import cycle_facts, placed
from casework.repositories import cases
from casework.transitions.deadlines import arm_timer, close_deadline, refresh_next_due
from casework.transitions.opening import import_state, open_case
from workflows import acv_listing, moratorium


def load_listing(
    session: Session, council: Council, asset: Asset, row: ImportRow, actor: Actor, today: date, now: datetime
) -> None:
    """One row as a listing case in the state its dates imply, with its entry (and its sale notice's cycle)."""
    case = open_case(
        session,
        council,
        acv_listing.NAME,
        actor,
        now=now,
        asset_id=asset.id,
        facts={"nominating_group": row.nominating_group, "imported_reference": row.reference},
    )
    facts: dict[str, object] = {"nomination_received_on": row.nomination_date, "decided_on": row.decision_date}
    if row.cycles:
        facts["disposal_cycles"] = cycle_facts(row)
    if row.decision == "not-listed":
        _unsuccessful(session, case, row, facts, actor, now)
    else:
        _listed(session, council, case, row, facts, actor, today, now)


def _unsuccessful(
    session: Session, case: Case, row: ImportRow, facts: dict[str, object], actor: Actor, now: datetime
) -> None:
    assert row.decision_date is not None and row.reasons is not None  # noqa: S101 - checked by read_rows
    import_state(
        session,
        case,
        "unsuccessful",
        actor,
        now=now,
        facts={**facts, "reasons": row.reasons},
        summary=f"Imported from the council's register as unsuccessful ({row.reference})",
    )
    register.unsuccessful(session, case, row.decision_date, row.reasons, now).reference = row.reference


def _listed(
    session: Session,
    council: Council,
    case: Case,
    row: ImportRow,
    facts: dict[str, object],
    actor: Actor,
    today: date,
    now: datetime,
) -> None:
    assert row.entry_date is not None and row.expiry_date is not None  # noqa: S101 - checked by read_rows
    standing = placed(row, today)
    import_state(
        session,
        case,
        standing.state,
        actor,
        now=now,
        facts={**facts, "entry_date": row.entry_date},
        summary=f"Imported from the council's register as {standing.state} ({row.reference})",
    )
    entry = register.listed(session, case, row.decision_date or row.entry_date, row.entry_date, now)
    entry.reference, entry.notes = row.reference, row.notes
    if row.notice_date:
        _moratorium(session, council, case, row, actor, today, now)
    if standing.ended:
        register.end(session, case, LISTED, standing.ended, standing.why, now)


def _moratorium(
    session: Session, council: Council, listing: Case, row: ImportRow, actor: Actor, today: date, now: datetime
) -> None:
    """Record the sale notice on the entry; open a cycle if its protected period is still running."""
    assert row.notice_date is not None  # noqa: S101 - only called for rows with a notice
    register.moratorium_started(session, listing, None, row.notice_date, now)
    if row.interested_group:
        register.interested_group(session, listing, row.interested_group, now)
    state = _cycle_state(row, row.notice_date, today)
    if listing.state != "listed" or state is None:
        return
    cycle = open_case(session, council, moratorium.NAME, actor, now=now, asset_id=listing.asset_id)
    cases.add_link(session, cycle, listing, "listing")
    groups = [row.interested_group] if row.interested_group else []
    import_state(
        session,
        cycle,
        state,
        actor,
        now=now,
        facts={"notice_received_on": row.notice_date, "interested_groups": groups},
        summary=f"Imported a sale notice received on {row.notice_date} as {state}",
    )
    _close_ended_periods(session, cycle, state, row, row.notice_date, now)
    refresh_next_due(session, cycle)
    entry = session.scalars(select(RegisterEntry).where(RegisterEntry.case_id == listing.id)).first()
    if entry is not None:
        entry.moratorium_case_id = cycle.id


def _cycle_state(row: ImportRow, notice: date, today: date) -> str | None:
    """The stage a sale notice's cycle has reached today; None once its protected period is over (s.95(6))."""
    interim, full, protected = listings.notice_timeline(notice)
    if today > protected.due:
        return None
    if today <= interim.due and not row.interested_group:
        return "interim_moratorium"
    if row.interested_group and today <= full.due:
        return "full_moratorium"
    return "owner_free"


def _close_ended_periods(
    session: Session, cycle: Case, state: str, row: ImportRow, notice: date, now: datetime
) -> None:
    """Periods that ended before the import: their dates kept for the guards (which moratorium ran, and when it
    ended, decides whether a sale is lawful: s.95(1), (3)), as deadlines that have fired."""
    ended = ["interim_end"] if state != "interim_moratorium" else []
    if state == "owner_free" and row.interested_group:
        ended.append("full_end")
    for name in ended:
        timer = moratorium.DEFINITION.timer(name)
        armed = arm_timer(session, cycle, timer, notice, holidays=(), offsets={}, now=now)
        close_deadline(
            session, session.get_one(Deadline, armed.id), FIRED, "Ended before the register was imported", now
        )
