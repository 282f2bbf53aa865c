"""Load a council's existing register (CSV, .xlsx or .ods, in its own layout): every row checked first, then all
rows or none.

Each listing becomes an asset and a listing case placed in the state its
dates imply today (listed, expired, removed or unsuccessful), with its register
entry; rows that are one listing's disposal cycles load as that one listing
with its cycles. A sale notice whose protected period is still running becomes
a moratorium case at the right stage, with its clocks armed. Most rows are
written in batches (casework.register.bulk), so a register of tens of
thousands of rows loads in seconds, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import assets, clock
from casework.actors import SYSTEM, Actor
from casework.db import Database
from casework.models import Asset, Case, Council, Deadline, RegisterEntry
from casework.models.deadline import FIRED
from casework.models.register import LISTED
from casework.register import entries as register
from casework.register.bulk import BATCH, BulkWriter, KnownAsset, Placed, asset_details, cycle_facts
from casework.register.columns import guess
from casework.register.files import FileProblem, Table, csv_table
from casework.register.import_row import ImportRow, listed_period, overlaps
from casework.register.rows import read_register
from casework.repositories import cases, councils
from casework.transitions.deadlines import arm_timer, close_deadline, refresh_next_due
from casework.transitions.opening import import_state, open_case, require_law_here
from workflows import acv_listing, moratorium, periods

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportReport:
    rows: tuple[ImportRow, ...]
    file_problems: tuple[str, ...]
    loaded: bool

    @property
    def ok(self) -> bool:
        return not self.file_problems and all(row.ok for row in self.rows)

    @property
    def listings(self) -> int:
        """How many listings the rows make (rows for a listing's further disposal cycles merge into it)."""
        return sum(1 for row in self.rows if row.merged_into is None)

    @property
    def invalid(self) -> tuple[ImportRow, ...]:
        return tuple(row for row in self.rows if not row.ok)


def read(
    source: str | Table, mapping: Mapping[str, str | None] | None, today: date
) -> tuple[list[ImportRow], list[str]]:
    """Every row of `source` (CSV text or a table read from any format) read as `mapping` says, or as the
    headers' names suggest."""
    try:
        table = csv_table(source) if isinstance(source, str) else source
    except FileProblem as problem:
        return [], [str(problem)]
    return read_register(table, mapping if mapping is not None else guess(table.headers), today=today)


def import_register(
    db: Database,
    council_code: str,
    source: str | Table,
    *,
    mapping: Mapping[str, str | None] | None = None,
    dry_run: bool = False,
    actor: Actor = SYSTEM,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Check every row; unless `dry_run` or any row is invalid, load them all in one transaction.

    `progress` is told, batch by batch, how many listings have been written (of `ImportReport.listings`).
    """
    now = now or clock.utcnow()
    today = clock.london_date(now)
    with db.reader() as session:
        # Rows are written in batches, not through open_case: the regime's extent is checked here instead.
        require_law_here(councils.get_by_code(session, council_code), "acv_listing")
    rows, problems = read(source, mapping, today)
    if problems:
        return ImportReport(tuple(rows), tuple(problems), loaded=False)
    if dry_run or not all(row.ok for row in rows):
        with db.reader() as session:
            _check_against_register(session, councils.get_by_code(session, council_code), rows, today)
        return ImportReport(tuple(rows), tuple(problems), loaded=False)
    with db.transaction() as session:
        # Checked in the transaction that writes, with the council's row locked, so that two imports at
        # once cannot both find a reference or a piece of land free and both load it.
        council = councils.get_by_code(session, council_code)
        session.execute(select(Council.id).where(Council.id == council.id).with_for_update())
        _check_against_register(session, council, rows, today)
        if not all(row.ok for row in rows):
            return ImportReport(tuple(rows), tuple(problems), loaded=False)
        _load_all(session, council, rows, actor, today, now, progress or (lambda _: None))
    return ImportReport(tuple(rows), tuple(problems), loaded=True)


def _load_all(
    session: Session,
    council: Council,
    rows: list[ImportRow],
    actor: Actor,
    today: date,
    now: datetime,
    progress: Progress,
) -> None:
    """Most listings in batches; the few with a sale notice still running through casework.transitions, which
    arms their moratorium's clocks."""
    land = _Land(session, council)
    listings = [row for row in rows if row.merged_into is None]
    running = [row for row in listings if _cycle_running(row, today)]
    batched = [row for row in listings if not _cycle_running(row, today)]
    known = {key: KnownAsset(a.id, a.name, a.address, a.description) for key, a in land.by_key.items()}
    writer = BulkWriter(session, council, actor, now, known, lambda row: Placed(*_listing_state(row, today)))
    for start in range(0, len(batched), BATCH):
        batch = batched[start : start + BATCH]
        writer.write(batch)
        progress(len(batch))
    if running:
        land = _Land(session, council)  # now knowing the land the batches added
        for row in running:
            _load(session, council, land.asset_for(row, now), row, actor, today, now)
            progress(1)


def _cycle_running(row: ImportRow, today: date) -> bool:
    """A listed row whose latest sale notice's protected period has not ended: it needs a live moratorium case."""
    if row.decision != "listed" or row.notice_date is None or _listing_state(row, today)[0] != "listed":
        return False
    return today <= periods.moratorium_timeline(row.notice_date)[2].due


def _check_against_register(session: Session, council: Council, rows: list[ImportRow], today: date) -> None:
    _check_not_loaded(session, council, rows)
    _check_land_not_on_register(session, council, rows, today)


def _check_not_loaded(session: Session, council: Council, rows: list[ImportRow]) -> None:
    existing = set(session.scalars(select(RegisterEntry.reference).where(RegisterEntry.council_id == council.id)))
    for row in rows:
        if row.reference in existing and row.merged_into is None:
            row.errors.append(f"reference {row.reference} is already on {council.code}'s register")


def _keys_of(asset: Asset) -> set[str]:
    keys = {f"UPRN {asset.uprn}"} if asset.uprn else set()
    return keys | {f"title {title}" for title in asset.title_numbers}


class _Land:
    """The council's assets by UPRN and title number, so a row about land already known reuses its asset."""

    def __init__(self, session: Session, council: Council) -> None:
        self.session, self.council = session, council
        self.by_key: dict[str, Asset] = {}
        for asset in session.scalars(select(Asset).where(Asset.council_id == council.id)):
            for key in _keys_of(asset):
                self.by_key.setdefault(key, asset)

    def match(self, row: ImportRow) -> tuple[Asset, str] | None:
        for key in sorted(row.land_keys()):
            if key in self.by_key:
                return self.by_key[key], key
        return None

    def asset_for(self, row: ImportRow, now: datetime) -> Asset:
        found = self.match(row)
        if found is not None:
            return found[0]
        asset = assets.create_asset(self.session, self.council, assets.checked_asset(asset_details(row)), now)
        for key in _keys_of(asset):
            self.by_key.setdefault(key, asset)
        return asset


def _check_land_not_on_register(session: Session, council: Council, rows: list[ImportRow], today: date) -> None:
    """A row about land the council already holds: the same asset is used, unless its entry would clash.

    Land listed for a time that overlaps a listing already on the register, or listed while a nomination of
    it is being decided, is an error; an earlier or later entry about the same land is matched to its asset.
    """
    land = _Land(session, council)
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


def _load(
    session: Session, council: Council, asset: Asset, row: ImportRow, actor: Actor, today: date, now: datetime
) -> None:
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
        return
    assert row.entry_date is not None and row.expiry_date is not None  # noqa: S101 - checked by read_rows
    state, ended, why = _listing_state(row, today)
    import_state(
        session,
        case,
        state,
        actor,
        now=now,
        facts={**facts, "entry_date": row.entry_date},
        summary=f"Imported from the council's register as {state} ({row.reference})",
    )
    entry = register.listed(session, case, row.decision_date or row.entry_date, row.entry_date, now)
    entry.reference, entry.notes = row.reference, row.notes
    if row.notice_date:
        _moratorium(session, council, case, row, actor, today, now)
    if ended:
        register.end(session, case, LISTED, ended, why, now)


def _listing_state(row: ImportRow, today: date) -> tuple[str, date | None, str]:
    assert row.expiry_date is not None  # noqa: S101 - set by read_rows for every listed row
    if row.end_date and row.end_date < row.expiry_date:
        return "removed", row.end_date, row.notes or "Removed before the listing expired (imported)"
    if row.end_date or today > row.expiry_date:
        return "expired", row.expiry_date, "Five years ended (s.87(3))"
    return "listed", None, ""


def _moratorium(
    session: Session, council: Council, listing: Case, row: ImportRow, actor: Actor, today: date, now: datetime
) -> None:
    """Record the sale notice on the entry; open a cycle if its protected period is still running."""
    assert row.notice_date is not None  # noqa: S101 - only called for rows with a notice
    register.moratorium_started(session, listing, listing, row.notice_date, now)
    if row.interested_group:
        register.interested_group(session, listing, row.interested_group, now)
    interim, full, protected = periods.moratorium_timeline(row.notice_date)
    if listing.state != "listed" or today > protected.due:
        return
    if today <= interim.due and not row.interested_group:
        state = "interim_moratorium"
    elif row.interested_group and today <= full.due:
        state = "full_moratorium"
    else:
        state = "owner_free"
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
    # Periods that ended before the import: keep their dates for the guards (which moratorium ran, and when
    # it ended, decides whether a sale is lawful: s.95(1), (3)), as deadlines that have fired.
    ended = ["interim_end"] if state != "interim_moratorium" else []
    if state == "owner_free" and row.interested_group:
        ended.append("full_end")
    for name in ended:
        timer = moratorium.DEFINITION.timer(name)
        armed = arm_timer(session, cycle, timer, row.notice_date, holidays=(), offsets={}, now=now)
        close_deadline(
            session, session.get_one(Deadline, armed.id), FIRED, "Ended before the register was imported", now
        )
    refresh_next_due(session, cycle)
    entry = session.scalars(select(RegisterEntry).where(RegisterEntry.case_id == listing.id)).first()
    if entry is not None:
        entry.moratorium_case_id = cycle.id
