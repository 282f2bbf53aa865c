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
from workflows.date_bounds import ENGLAND_ACV
from workflows.periods import compute, long_date

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
    "title-number": "title-numbers",
    "land-registry-title-number": "title-numbers",
    "land-registry-title-numbers": "title-numbers",
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
_TITLE_SEPARATORS = re.compile(r"[;,\s]+")
# Columns whose dates record something that has already happened: none of them can be in the future.
_PAST_DATES = (
    ("nomination_date", "nomination-date"),
    ("decision_date", "decision-date"),
    ("entry_date", "entry-date"),
    ("notice_date", "notification-to-sell-date"),
)


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
    title_numbers: tuple[str, ...] = ()
    reasons: str | None = None
    notes: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def listed_until(self) -> date | None:
        """The last day a listed row's land was (or will be) on the list: its end, or its statutory expiry."""
        if self.decision != "listed" or self.expiry_date is None:
            return None
        return min(self.end_date, self.expiry_date) if self.end_date else self.expiry_date

    def land_keys(self) -> set[str]:
        """What identifies the land across rows and assets: its UPRN and its Land Registry title numbers."""
        keys = {f"UPRN {self.uprn}"} if self.uprn else set()
        return keys | {f"title {title}" for title in self.title_numbers}


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


def read_rows(text: str, *, today: date | None = None) -> tuple[list[ImportRow], list[str]]:
    """Parse and check every row; returns the rows and any problems with the file as a whole.

    With `today`, a date of something that has already happened (nomination, decision, entry, notice)
    that is later than today is an error.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames:
        return [], ["The file is empty or has no header row"]
    keys = [_key(name) for name in reader.fieldnames]
    missing = [column for column in ("reference", "name", "address-text", "decision") if column not in keys]
    if missing:
        return [], [f"The header row has no {', '.join(missing)} column (see the planning.data.gov.uk fields)"]
    rows = [_row(line, {_key(k): (v or "") for k, v in raw.items() if k}, today) for line, raw in _numbered(reader)]
    if not rows:
        return [], ["The file has a header row but no entries"]
    _check_duplicates(rows)
    _check_same_land(rows)
    return rows, []


def _numbered(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, str]]]:
    for raw in reader:
        yield reader.line_num, raw


def _row(line: int, values: dict[str, str], today: date | None) -> ImportRow:
    row = ImportRow(line=line)
    row.reference = values.get("reference", "").strip()
    row.name = values.get("name", "").strip()
    row.address = values.get("address-text", "").strip()
    row.description = values.get("description", "").strip() or None
    row.nominating_group = values.get("nominating-group", "").strip() or None
    row.interested_group = values.get("interested-group", "").strip() or None
    row.uprn = values.get("uprn", "").strip() or None
    if row.uprn and not (row.uprn.isdigit() and len(row.uprn) <= 12):
        row.errors.append(f"uprn {row.uprn!r} is not a UPRN (a number of up to 12 digits)")
    titles = _TITLE_SEPARATORS.split(values.get("title-numbers", "").strip().upper())
    row.title_numbers = tuple(title for title in titles if title)
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
    if today is not None:
        _check_not_future(row, today)
    _check_after_commencement(row)
    _check_consistency(row)
    return row


def _check_not_future(row: ImportRow, today: date) -> None:
    for attribute, column in _PAST_DATES:
        value: date | None = getattr(row, attribute)
        if value is not None and value > today:
            row.errors.append(f"{column} {value} is in the future: it records something that has already happened")


def _check_after_commencement(row: ImportRow) -> None:
    """No listing, nomination or notice from before the regime existed: a 1900 in a spreadsheet is a slip."""
    commenced = ENGLAND_ACV
    for attribute, column in _PAST_DATES:
        value: date | None = getattr(row, attribute)
        if value is not None and value < commenced.on:
            row.errors.append(
                f"{column} {value} is before {long_date(commenced.on)}, when {commenced.regime} commenced "
                f"({commenced.basis})"
            )


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
    if row.nomination_date and row.decision_date and row.nomination_date > row.decision_date:
        row.errors.append(
            f"nomination-date {row.nomination_date} is after decision-date {row.decision_date}: "
            "a nomination is decided after it is received (ACV Regs reg.7)"
        )
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
    if row.decision_date and row.entry_date < row.decision_date:
        row.errors.append(
            f"entry-date {row.entry_date} is before decision-date {row.decision_date}: land is entered in the "
            "list on or after the decision to list it (LA 2011 s.87(3), s.90(4))"
        )
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


def overlaps(first: tuple[date, date], second: tuple[date, date]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]


def listed_period(row: ImportRow) -> tuple[date, date] | None:
    until = row.listed_until
    return (row.entry_date, until) if row.entry_date and until else None


def _check_same_land(rows: list[ImportRow]) -> None:
    """The same land (by UPRN or title number) listed twice for the same time: a second entry, not a re-listing.

    Land may be listed again after a listing ends (a fresh nomination, L13), so only overlapping periods clash.
    """
    seen: list[tuple[ImportRow, set[str], tuple[date, date]]] = []
    for row in rows:
        keys, period = row.land_keys(), listed_period(row)
        if not keys or period is None:
            continue
        for earlier, earlier_keys, earlier_period in seen:
            shared = keys & earlier_keys
            if shared and overlaps(period, earlier_period):
                row.errors.append(
                    f"the land ({', '.join(sorted(shared))}) is also listed on line {earlier.line} "
                    f"({earlier.reference}) for the same time: one piece of land has one entry"
                )
                break
        seen.append((row, keys, period))
