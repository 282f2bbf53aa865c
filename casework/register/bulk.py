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

from sqlalchemy.orm import Session

from casework import assets, clock, references
from casework.actors import Actor
from casework.facts import listings
from casework.models import Asset, Case, CaseEvent, Council, Deadline, RegisterEntry, Reminder
from casework.models.base import Base, to_json_value
from casework.models.register import LISTED, UNSUCCESSFUL
from casework.register.bulk_insert import insert_many
from casework.register.import_row import ImportRow
from casework.register.land import asset_details
from casework.register.standing import Placed, cycle_facts
from casework.repositories import councils as council_repo
from casework.transitions.deadlines import ArmedDeadline, deadline_row, reminder_rows, soonest_pending
from casework.transitions.facts import stored_facts
from workflows import acv_listing, periods, registry

BATCH = 2000
# Every entry's parameters name every column (one executemany needs the same keys in each row).
_NO_END: dict[str, Any] = dict.fromkeys(
    (
        "expiry_date",
        "reasons",
        "end_date",
        "removal_reason",
        "review_status",
        "notification_to_sell_date",
        "interim_end_date",
        "full_end_date",
        "protected_end_date",
        "interested_group",
        "moratorium_case_id",
    )
)


@dataclass(frozen=True)
class KnownAsset:
    id: uuid.UUID
    name: str
    address: str
    description: str | None


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
                insert_many(self.session, Base.metadata.tables[model.__tablename__], params)
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
        entry = self._entry(row, case_id, asset)
        if row.decision == "not-listed":
            state = "unsuccessful"
            facts["reasons"] = row.reasons
            entry |= {"list_kind": UNSUCCESSFUL, "decision": "not-listed", "entry_date": row.decision_date}
            entry |= {"reasons": row.reasons, "notes": None}
        else:
            standing = self.placed(row)
            state = standing.state
            facts |= _listed_facts(row)
            entry |= _listed_columns(row, standing)
        stored = {key: to_json_value(value) for key, value in facts.items()}
        self.cases.append(self._case(case_id, reference, state, asset, stored))
        self.entries.append(entry)
        self._events(case_id, state, row, stored)
        armed = self._timers(case_id, state, stored)
        self.cases[-1].update(soonest_pending(armed))  # what the work queue sorts by

    def _entry(self, row: ImportRow, case_id: uuid.UUID, asset: KnownAsset) -> dict[str, Any]:
        """The register entry's columns every row has, listed or not."""
        return {
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

    def _case(
        self, case_id: uuid.UUID, reference: str, state: str, asset: KnownAsset, stored: dict[str, Any]
    ) -> dict[str, Any]:
        return {
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
            "closed_at": self.now if self.defn.state(state).closed else None,
        }

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


def _listed_facts(row: ImportRow) -> dict[str, Any]:
    """What a listed row adds to its case's facts: the date of entry, and its disposal cycles if it had any."""
    facts: dict[str, Any] = {"entry_date": row.entry_date}
    if row.cycles:
        facts["disposal_cycles"] = cycle_facts(row)
    return facts


def _listed_columns(row: ImportRow, standing: Placed) -> dict[str, Any]:
    """A listed row's entry: its five years (s.87(3)), its end if it has ended, and its latest sale notice."""
    assert row.entry_date is not None  # noqa: S101 - set by read_register for every listed row
    columns: dict[str, Any] = {"list_kind": LISTED, "decision": "listed", "entry_date": row.entry_date}
    columns |= {"expiry_date": periods.compute("acv.listing_expiry", row.entry_date).due}
    if standing.ended:
        columns |= {"end_date": standing.ended, "removal_reason": standing.why}
    if row.cycles:
        latest = row.cycles[-1]
        interim, full, protected = listings.notice_timeline(latest.notice_date)
        columns |= {
            "notification_to_sell_date": latest.notice_date,
            "interim_end_date": interim.due,
            "full_end_date": full.due,
            "protected_end_date": protected.due,
            "interested_group": latest.interested_group,
        }
    return columns
