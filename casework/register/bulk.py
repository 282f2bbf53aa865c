"""Write checked register rows in batches: a council's whole register in seconds, inside the caller's transaction.

A row becomes an asset (or reuses one known by UPRN or title number), a
listing case placed in the state its dates imply with its two audit events,
its register entry and the deadlines and reminders that state arms: the same
rows casework.transitions.opening and casework.register.entries write one
statement at a time, built here as parameters and inserted a batch at a time
(one INSERT per table per batch, SQLAlchemy's "insertmanyvalues"). Rows whose
sale notice is still running need a moratorium case with live clocks; the
caller loads those few through casework.transitions instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnDefault, Table, insert
from sqlalchemy.orm import Session

from casework import assets, clock, references
from casework.actors import Actor
from casework.assets import AssetDetails
from casework.db import json_dumps as _json_dumps
from casework.models import Asset, Case, CaseEvent, Council, Deadline, RegisterEntry, Reminder
from casework.models.base import Base, to_json_value
from casework.models.register import LISTED, UNSUCCESSFUL
from casework.register.import_row import ImportRow
from casework.repositories import councils as council_repo
from casework.transitions.deadlines import ArmedDeadline, deadline_row, reminder_rows, soonest_pending
from casework.transitions.facts import stored_facts
from workflows import acv_listing, periods, registry

BATCH = 2000
# Every entry's parameters name every column (one executemany needs the same keys in each row).
_NO_END: dict[str, Any] = dict.fromkeys(
    ("expiry_date", "reasons", "end_date", "removal_reason", "review_status", "notification_to_sell_date",
     "interim_end_date", "full_end_date", "protected_end_date", "interested_group", "moratorium_case_id"),
)  # fmt: skip


def asset_details(row: ImportRow) -> AssetDetails:
    """The land a row names, as the asset services take it."""
    return AssetDetails(
        name=row.name,
        address=row.address,
        uprn=row.uprn,
        title_numbers=row.title_numbers,
        point=row.point,
        boundary=row.boundary,
        description=row.description,
    )


@dataclass(frozen=True)
class KnownAsset:
    id: uuid.UUID
    name: str
    address: str
    description: str | None


@dataclass(frozen=True)
class Placed:
    """Where a listed row stands today: its state, and when and why its entry ended (if it has)."""

    state: str
    ended: date | None
    why: str


def cycle_facts(row: ImportRow) -> list[dict[str, Any]]:
    """Each disposal cycle with the dates its notice started (s.97(2)), for the listing's record."""
    facts = []
    for cycle in row.cycles:
        interim, full, protected = periods.moratorium_timeline(cycle.notice_date)
        facts.append(
            {
                "line": cycle.line,
                "notice_received_on": cycle.notice_date.isoformat(),
                "interim_end": interim.due.isoformat(),
                "full_end": full.due.isoformat(),
                "protected_end": protected.due.isoformat(),
                "interested_group": cycle.interested_group,
            }
        )
    return facts


class BulkWriter:
    """Collects rows' parameters and inserts them a batch at a time."""

    def __init__(
        self,
        session: Session,
        council: Council,
        actor: Actor,
        now: datetime,
        known: dict[str, KnownAsset],
        placed: Callable[[ImportRow], Placed],
    ) -> None:
        self.session, self.council, self.actor, self.now = session, council, actor, now
        self.known, self.placed = known, placed
        self.by_line: dict[int, KnownAsset] = {}
        self.defn = registry.in_force(acv_listing.NAME, clock.london_date(now))
        self.offsets, self.holidays = council_repo.calendar(session, council.id)
        self._clear()

    def _clear(self) -> None:
        self.assets: list[dict[str, Any]] = []
        self.cases: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.deadlines: list[dict[str, Any]] = []
        self.reminders: list[dict[str, Any]] = []

    def write(self, rows: Sequence[ImportRow]) -> None:
        """Insert one batch of rows (each checked, none already on the register)."""
        new_land = [row for row in rows if self._asset_of(row) is None]
        asset_refs = iter(references.reserve(self.session, self.council, "AST", len(new_land)))
        for row in new_land:
            if self._asset_of(row) is None:  # two rows about the same new land: the first makes its asset
                self._add_asset(row, next(asset_refs))
        case_refs = references.reserve(self.session, self.council, self.defn.reference_prefix, len(rows))
        for row, reference in zip(rows, case_refs, strict=True):
            asset = self._asset_of(row)
            assert asset is not None  # noqa: S101 - every row's asset was made above
            self._add_listing(row, reference, asset)
        for model, params in (
            (Asset, self.assets),
            (Case, self.cases),
            (CaseEvent, self.events),
            (RegisterEntry, self.entries),
            (Deadline, self.deadlines),
            (Reminder, self.reminders),
        ):
            if params:
                _insert(self.session, Base.metadata.tables[model.__tablename__], params)
        self._clear()

    def _asset_of(self, row: ImportRow) -> KnownAsset | None:
        for key in sorted(row.land_keys()):
            if key in self.known:
                return self.known[key]
        return self.by_line.get(row.line)

    def _add_asset(self, row: ImportRow, reference: str) -> None:
        details = assets.checked_asset(asset_details(row))
        asset = KnownAsset(uuid.uuid4(), details.name, details.address, details.description)
        self.assets.append(
            {
                "id": asset.id,
                "council_id": self.council.id,
                "reference": reference,
                "name": details.name,
                "address": details.address,
                "postcode": details.postcode,
                "uprn": details.uprn,
                "title_numbers": list(details.title_numbers),
                "category": details.category,
                "ward": details.ward,
                "parishes": list(details.parishes),
                "point": details.point,
                "boundary": details.boundary,
                "description": details.description,
                "offered_for_transfer": False,
                "created_at": self.now,
            }
        )
        for key in row.land_keys():
            self.known.setdefault(key, asset)
        self.by_line[row.line] = asset  # land with no UPRN or title number is its row's own

    def _add_listing(self, row: ImportRow, reference: str, asset: KnownAsset) -> None:
        case_id = uuid.uuid4()
        facts: dict[str, Any] = {
            "nominating_group": row.nominating_group,
            "imported_reference": row.reference,
            "nomination_received_on": row.nomination_date,
            "decided_on": row.decision_date,
        }
        entry: dict[str, Any] = {
            "id": uuid.uuid4(),
            "council_id": self.council.id,
            "asset_id": asset.id,
            "case_id": case_id,
            "reference": row.reference,
            "name": asset.name,
            "address": asset.address,
            "description": asset.description,
            "nominating_group": row.nominating_group,
            "nomination_date": row.nomination_date,
            "decision_date": row.decision_date,
            "exempt_disposals": [],
            "notes": row.notes,
            **_NO_END,
            "version": 1,
            "updated_at": self.now,
        }
        if row.decision == "not-listed":
            state = "unsuccessful"
            facts["reasons"] = row.reasons
            entry |= {"list_kind": UNSUCCESSFUL, "decision": "not-listed", "entry_date": row.decision_date}
            entry |= {"reasons": row.reasons, "notes": None}
        else:
            assert row.entry_date is not None  # noqa: S101 - set by read_register for every listed row
            placed = self.placed(row)
            state = placed.state
            facts["entry_date"] = row.entry_date
            entry |= {"list_kind": LISTED, "decision": "listed", "entry_date": row.entry_date}
            entry |= {"expiry_date": periods.compute("acv.listing_expiry", row.entry_date).due}
            if placed.ended:
                entry |= {"end_date": placed.ended, "removal_reason": placed.why}
            if row.cycles:
                facts["disposal_cycles"] = cycle_facts(row)
                latest = row.cycles[-1]
                interim, full, protected = periods.moratorium_timeline(latest.notice_date)
                entry |= {
                    "notification_to_sell_date": latest.notice_date,
                    "interim_end_date": interim.due,
                    "full_end_date": full.due,
                    "protected_end_date": protected.due,
                    "interested_group": latest.interested_group,
                }
        stored = {key: to_json_value(value) for key, value in facts.items()}
        closed = self.defn.state(state).closed
        self.cases.append(
            {
                "id": case_id,
                "council_id": self.council.id,
                "reference": reference,
                "workflow": self.defn.name,
                "workflow_version": self.defn.version,
                "state": state,
                "version": 1,
                "asset_id": asset.id,
                "created_by": self.actor.user_id,
                "facts": stored,
                "created_at": self.now,
                "state_changed_at": self.now,
                "closed_at": self.now if closed else None,
            }
        )
        self.entries.append(entry)
        self._events(case_id, state, row, stored)
        armed = self._timers(case_id, state, stored)
        self.cases[-1].update(soonest_pending(armed))  # what the work queue sorts by

    def _events(self, case_id: uuid.UUID, state: str, row: ImportRow, stored: dict[str, Any]) -> None:
        common = {"trigger": None, "actor_id": self.actor.user_id, "actor_role": self.actor.role.value}
        self.events.append(
            {
                **common,
                "id": uuid.uuid4(),
                "case_id": case_id,
                "seq": 1,
                "kind": "opened",
                "from_state": None,
                "to_state": None,
                "summary": f"Case opened: {self.defn.title}",
                "data": {},
                "occurred_at": self.now,
            }
        )
        self.events.append(
            {
                **common,
                "id": uuid.uuid4(),
                "case_id": case_id,
                "seq": 2,
                "kind": "imported",
                "from_state": self.defn.initial,
                "to_state": state,
                "summary": f"Imported from the council's register as {state} ({row.reference})",
                "data": {k: v for k, v in stored.items() if k not in ("imported_reference", "nominating_group")},
                "occurred_at": self.now,
            }
        )

    def _timers(self, case_id: uuid.UUID, state: str, stored: dict[str, Any]) -> list[dict[str, Any]]:
        """The deadlines (and their reminders) of the timers running in `state`; returns the deadlines."""
        known = stored_facts(self.defn, stored)
        armed = []
        for timer in self.defn.timers:
            start = known.get(timer.start)
            if state not in timer.active_in or not isinstance(start, date):
                continue
            period = periods.compute(timer.rule, start, extra_holidays=self.holidays)
            row = deadline_row(case_id, self.council.id, timer, period, start, self.now)
            self.deadlines.append(row)
            armed.append(row)
            due = ArmedDeadline(row["id"], case_id, period.due, row["fires_at"])
            self.reminders.extend(
                reminder_rows(due, timer, workflow=self.defn.name, offsets=self.offsets, now=self.now)
            )
        return armed


def _insert(session: Session, table: Table, params: list[dict[str, Any]]) -> None:
    """Many rows into one table. On PostgreSQL by COPY on the session's own connection (same transaction), several
    times faster than an INSERT per row; elsewhere Core's executemany (the ORM's bulk INSERT costs more per row)."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        session.execute(insert(table), params)
        return
    from psycopg import sql
    from psycopg.types.json import Jsonb

    # COPY leaves out what SQLAlchemy fills in on an INSERT: the columns' scalar defaults (a count starting at 0).
    defaults = {
        column.name: column.default.arg
        for column in table.c
        if column.name not in params[0] and isinstance(column.default, ColumnDefault) and column.default.is_scalar
    }
    names = [*params[0], *defaults]
    params = [{**row, **defaults} for row in params]
    json_columns = {name for name in names if isinstance(table.c[name].type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(sql.Identifier(name) for name in names)
    )
    driver = connection.connection.driver_connection
    assert driver is not None  # noqa: S101 - a live connection of the session's transaction
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in params:
            copy.write_row(
                [Jsonb(row[name], dumps=_json_dumps) if name in json_columns else row[name] for name in names]
            )
