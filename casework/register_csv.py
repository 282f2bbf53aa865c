"""Read a council's existing register spreadsheet (CSV) and check every row before anything is loaded.

Columns are those of the planning.data.gov.uk `asset-of-community-value`
dataset, with a few common spellings accepted. Pure parsing: nothing here
touches the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from casework import geometry
from workflows.periods import compute

ALIASES = {
    "address": "address-text",
    "asset-name": "name",
    "status": "decision",
    "date-listed": "entry-date",
    "listing-date": "entry-date",
    "nominated-by": "nominating-group",
    "nominator": "nominating-group",
    "date-nominated": "nomination-date",
    "reasons-for-decision": "reasons",
    "decision-reasons": "reasons",
    "wkt": "geometry",
}
DECISIONS = {
    "listed": "listed",
    "successful": "listed",
    "added": "listed",
    "not-listed": "not-listed",
    "not listed": "not-listed",
    "unsuccessful": "not-listed",
    "rejected": "not-listed",
    "refused": "not-listed",
}
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass
class ImportRow:
    line: int
    reference: str = ""
    name: str = ""
    address: str = ""
    description: str | None = None
    decision: str = ""
    decision_date: date | None = None
    nomination_date: date | None = None
    nominating_group: str | None = None
    entry_date: date | None = None
    end_date: date | None = None
    expiry_date: date | None = None
    notice_date: date | None = None
    interested_group: str | None = None
    point: str | None = None
    boundary: str | None = None
    uprn: str | None = None
    reasons: str | None = None
    notes: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _key(header: str) -> str:
    key = re.sub(r"[\s_]+", "-", header.strip().lower())
    return ALIASES.get(key, key)


def _date(row: ImportRow, value: str, column: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    match = _UK_DATE.match(text)
    try:
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text[:10])
    except ValueError:
        row.errors.append(f"{column} {text!r} is not a real date (use YYYY-MM-DD or DD/MM/YYYY)")
        return None


def read_rows(text: str) -> tuple[list[ImportRow], list[str]]:
    """Parse and check every row; returns the rows and any problems with the file as a whole."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        return [], ["The file is empty or has no header row"]
    keys = [_key(name) for name in reader.fieldnames]
    missing = [column for column in ("reference", "name", "address-text", "decision") if column not in keys]
    if missing:
        return [], [f"The header row has no {', '.join(missing)} column (see the planning.data.gov.uk fields)"]
    rows = [_row(line, {_key(k): (v or "") for k, v in raw.items() if k}) for line, raw in _numbered(reader)]
    _check_duplicates(rows)
    return rows, []


def _numbered(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for raw in reader:
        yield reader.line_num, raw


def _row(line: int, values: dict[str, str]) -> ImportRow:
    row = ImportRow(line=line)
    row.reference = values.get("reference", "").strip()
    row.name = values.get("name", "").strip()
    row.address = values.get("address-text", "").strip()
    row.description = values.get("description", "").strip() or None
    row.nominating_group = values.get("nominating-group", "").strip() or None
    row.interested_group = values.get("interested-group", "").strip() or None
    row.uprn = values.get("uprn", "").strip() or None
    row.reasons = values.get("reasons", "").strip() or None
    row.notes = values.get("notes", "").strip() or None
    for column in ("reference", "name", "address-text"):
        if not values.get(column, "").strip():
            row.errors.append(f"{column} is empty")
    decision = values.get("decision", "").strip().lower()
    row.decision = DECISIONS.get(decision, "")
    if not row.decision:
        row.errors.append(f"decision {decision!r} is not one of: listed, not-listed")
    row.decision_date = _date(row, values.get("decision-date", ""), "decision-date")
    row.nomination_date = _date(row, values.get("nomination-date", ""), "nomination-date")
    row.entry_date = _date(row, values.get("entry-date", "") or values.get("start-date", ""), "entry-date")
    row.end_date = _date(row, values.get("end-date", ""), "end-date")
    row.expiry_date = _date(row, values.get("expiry-date", ""), "expiry-date")
    row.notice_date = _date(row, values.get("notification-to-sell-date", ""), "notification-to-sell-date")
    _geometry(row, values)
    _check_consistency(row)
    return row


def _geometry(row: ImportRow, values: dict[str, str]) -> None:
    for column, attribute, normalise in (
        ("point", "point", geometry.normalise_point),
        ("geometry", "boundary", geometry.normalise_boundary),
    ):
        text = values.get(column, "").strip()
        if text:
            try:
                setattr(row, attribute, normalise(text))
            except ValueError as exc:
                row.errors.append(f"{column}: {exc}")


def _check_consistency(row: ImportRow) -> None:
    if row.decision == "listed":
        _check_listed(row)
    if row.decision == "not-listed":
        _check_unsuccessful(row)
    if row.notice_date and row.entry_date and row.notice_date < row.entry_date:
        row.errors.append("notification-to-sell-date is before the land was listed")


def _check_listed(row: ImportRow) -> None:
    if row.entry_date is None and row.decision_date is None:
        row.errors.append("a listed asset needs an entry-date (or at least a decision-date)")
        return
    if row.entry_date is None:
        row.entry_date = row.decision_date
        row.warnings.append("no entry-date: the decision-date is used as the date of entry (s.87(3))")
    assert row.entry_date is not None  # noqa: S101 - narrowed above
    statutory = compute("acv.listing_expiry", row.entry_date).due
    if row.expiry_date and row.expiry_date != statutory:
        row.warnings.append(
            f"expiry-date {row.expiry_date} differs from the statutory end {statutory} "
            "(5 years beginning with the entry date, s.87(3)); the statutory date is used"
        )
    row.expiry_date = statutory


def _check_unsuccessful(row: ImportRow) -> None:
    row.reasons = row.reasons or row.notes
    if not row.reasons:
        row.errors.append("an unsuccessful nomination must carry its reasons (s.93(3)(b)): add a reasons column")
    if row.decision_date is None:
        row.errors.append("an unsuccessful nomination needs a decision-date")
    if row.notice_date:
        row.errors.append("notification-to-sell-date is only possible for listed land (s.95)")


def _check_duplicates(rows: list[ImportRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.reference and row.reference in seen:
            row.errors.append(f"reference {row.reference} is also on line {seen[row.reference]}")
        seen.setdefault(row.reference, row.line)
