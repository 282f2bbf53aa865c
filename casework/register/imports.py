"""Load a council's existing register (CSV, .xlsx or .ods, in its own layout): every row checked first, then all
rows or none.

Each listing becomes an asset and a listing case placed in the state its
dates imply today (listed, expired, removed or unsuccessful), with its register
entry; rows that are one listing's disposal cycles load as that one listing
with its cycles. A sale notice whose protected period is still running becomes
a moratorium case at the right stage, with its clocks armed. Most rows are
written in batches (casework.register.bulk), the few with a notice still
running one by one (casework.register.live_notices), so a register of tens of
thousands of rows loads in seconds, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import SYSTEM, Actor
from casework.db import Database
from casework.models import Council
from casework.register.bulk import BATCH, BulkWriter, KnownAsset
from casework.register.columns import guess
from casework.register.existing import check_against_register
from casework.register.files import FileProblem, Table, csv_table
from casework.register.import_row import ImportRow
from casework.register.land import Land
from casework.register.live_notices import load_listing
from casework.register.rows import read_register
from casework.register.standing import cycle_running, placed
from casework.repositories import councils
from casework.transitions.opening import require_law_here

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
            check_against_register(session, councils.get_by_code(session, council_code), rows, today)
        return ImportReport(tuple(rows), tuple(problems), loaded=False)
    with db.transaction() as session:
        # Checked in the transaction that writes, with the council's row locked, so that two imports at
        # once cannot both find a reference or a piece of land free and both load it.
        council = councils.get_by_code(session, council_code)
        session.execute(select(Council.id).where(Council.id == council.id).with_for_update())
        check_against_register(session, council, rows, today)
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
    land = Land(session, council)
    listings = [row for row in rows if row.merged_into is None]
    running = [row for row in listings if cycle_running(row, today)]
    batched = [row for row in listings if not cycle_running(row, today)]
    known = {key: KnownAsset(a.id, a.name, a.address, a.description) for key, a in land.by_key.items()}
    writer = BulkWriter(session, council, actor, now, known, lambda row: placed(row, today))
    for start in range(0, len(batched), BATCH):
        batch = batched[start : start + BATCH]
        writer.write(batch)
        progress(len(batch))
    if running:
        land = Land(session, council)  # now knowing the land the batches added
        for row in running:
            load_listing(session, council, land.asset_for(row, now), row, actor, today, now)
            progress(1)
