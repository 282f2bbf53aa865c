"""Check every row of a council's existing register before anything is loaded.

The file is read by casework.register.files (CSV, .xlsx, .ods) and its
columns mapped to the planning.data.gov.uk `asset-of-community-value` fields
by casework.register.columns (a digital-land column.csv, a saved mapping, or
the dataset's own names and common spellings). Each row's cells are read by
casework.register.cells and checked against the Act by casework.register.checks;
rows that are one listing's disposal cycles are merged (casework.register.cycles),
and the file is checked across its rows here. Pure parsing: nothing here touches
the database. The national fields are read in the specification's meanings (so
a file the exports wrote loads back as the same register).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from casework.register import columns as register_mapping
from casework.register.cells import read_date, read_geometry, split_name_and_address
from casework.register.checks import check_row
from casework.register.cycles import merge_cycles
from casework.register.files import FileProblem, Table, csv_table
from casework.register.import_row import ImportRow, listed_period, overlaps

DECISIONS = {
    "listed": "listed",
    "successful": "listed",
    "added": "listed",
    "not-listed": "not-listed",
    "not listed": "not-listed",
    "not-successful": "not-listed",
    "unsuccessful": "not-listed",
    "rejected": "not-listed",
    "refused": "not-listed",
}
# A reference naming one disposal cycle of a listing: "CAMACV17 (2nd moratorium)".
_CYCLE = re.compile(
    r"^(?P<base>.+?)\s*[(\[]\s*(?P<number>\d+)(?:st|nd|rd|th)?\s+(?:moratorium|moratoria|disposal|cycle|notice)"
    r"[^)\]]*[)\]]\s*$",
    re.IGNORECASE,
)
_TITLE_SEPARATORS = re.compile(r"[;,\s]+")


def read_rows(text: str, *, today: date | None = None) -> tuple[list[ImportRow], list[str]]:
    """A CSV register whose headers are the dataset's fields (or common spellings of them)."""
    try:
        table = csv_table(text)
    except FileProblem as problem:
        return [], [str(problem)]
    return read_register(table, register_mapping.guess(table.headers), today=today)


def read_register(
    table: Table, mapping: Mapping[str, str | None], *, today: date | None = None
) -> tuple[list[ImportRow], list[str]]:
    """Parse and check every row, its columns read as `mapping` says; returns the rows and any problems with
    the file as a whole.

    With `today`, a date of something that has already happened (nomination, decision, entry, notice)
    that is later than today is an error. Rows that are disposal cycles of one listing are merged into it.
    """
    missing = register_mapping.problems(mapping)
    if missing:
        return [], missing
    fields = {header: field for header, field in mapping.items() if field}
    rows = []
    for line, record in table.records():
        values = {fields[header]: value for header, value in record.items() if header in fields}
        rows.append(_row(line, values, today))
    merge_cycles(rows)
    _check_duplicates(rows)
    _check_same_land(rows)
    return rows, []


def _row(line: int, values: dict[str, str], today: date | None) -> ImportRow:
    row = ImportRow(line=line)
    row.reference = values.get("reference", "").strip()
    if match := _CYCLE.match(row.reference):
        row.reference, row.cycle_number = match.group("base").strip(), int(match.group("number"))
    row.name = values.get("name", "").strip()
    row.address = values.get("address-text", "").strip()
    split_name_and_address(row, values.get("name-and-address", "").strip())
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
    for column, value in (("reference", row.reference), ("name", row.name), ("address-text", row.address)):
        if not value:
            row.errors.append(f"{column} is empty")
    decision = values.get("decision", "").strip().lower()
    row.decision = DECISIONS.get(decision, "")
    if not row.decision:
        row.errors.append(f"decision {decision!r} is not one of: listed, not-listed")
    row.decision_date = read_date(row, values.get("decision-date", ""), "decision-date")
    # The specification's start-date is "the date the asset was nominated"; its entry-date is the date the
    # record was made or changed, which says nothing about the listing, so it is not read.
    nominated = values.get("nomination-date", "").strip() or values.get("start-date", "")
    row.nomination_date = read_date(row, nominated, "nomination-date")
    row.entry_date = read_date(row, values.get("date-listed", ""), "date-listed")
    row.end_date = read_date(row, values.get("end-date", ""), "end-date")
    row.expiry_date = read_date(row, values.get("expiry-date", ""), "expiry-date")
    row.notice_date = read_date(row, values.get("notification-to-sell-date", ""), "notification-to-sell-date")
    read_geometry(row, values)
    check_row(row, today)
    return row


def _check_duplicates(rows: list[ImportRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.merged_into is not None:
            continue
        if row.reference and row.reference in seen:
            row.errors.append(f"reference {row.reference} is also on line {seen[row.reference]}")
        seen.setdefault(row.reference, row.line)


def _check_same_land(rows: list[ImportRow]) -> None:
    """The same land (by UPRN or title number) listed twice for the same time: a second entry, not a re-listing.

    Land may be listed again after a listing ends (a fresh nomination, L13), so only overlapping periods clash.
    """
    seen: dict[str, list[tuple[ImportRow, tuple[date, date]]]] = {}
    for row in rows:
        keys, period = row.land_keys(), listed_period(row)
        if not keys or period is None or row.merged_into is not None:
            continue
        clash = next(
            ((key, earlier) for key in sorted(keys) for earlier, when in seen.get(key, ()) if overlaps(period, when)),
            None,
        )
        if clash:
            key, earlier = clash
            row.errors.append(
                f"the land ({key}) is also listed on line {earlier.line} "
                f"({earlier.reference}) for the same time: one piece of land has one entry"
            )
            continue
        for key in keys:
            seen.setdefault(key, []).append((row, period))
