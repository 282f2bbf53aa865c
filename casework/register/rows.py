"""Check every row of a council's existing register before anything is loaded.

The file is read by casework.register.files (CSV, .xlsx, .ods) and its
columns mapped to the planning.data.gov.uk `asset-of-community-value` fields
by casework.register.columns (a digital-land column.csv, a saved mapping, or
the dataset's own names and common spellings). Rows that are one listing's
disposal cycles are merged here. Pure parsing: nothing here touches the
database.
The national fields are read in the specification's meanings (so a file the
exports wrote loads back as the same register). The specification has no
column for the date land was entered in the list: it is read from
`date-listed` when a file has one, else from the `expiry-date` (five years
beginning with it, s.87(3)), else the decision date is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from casework import geometry
from casework.register import columns as register_mapping
from casework.register.files import FileProblem, Table, csv_table
from workflows.date_bounds import ENGLAND_ACV
from workflows.periods import compute, long_date, moratorium_timeline

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
_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_LONG_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}  # fmt: skip
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, counting its 1900 leap-year mistake (serial 60)
_EXCEL_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
_LAT_LON = re.compile(r"^\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?$")
# A reference naming one disposal cycle of a listing: "CAMACV17 (2nd moratorium)".
_CYCLE = re.compile(
    r"^(?P<base>.+?)\s*[(\[]\s*(?P<number>\d+)(?:st|nd|rd|th)?\s+(?:moratorium|moratoria|disposal|cycle|notice)"
    r"[^)\]]*[)\]]\s*$",
    re.IGNORECASE,
)
_TITLE_SEPARATORS = re.compile(r"[;,\s]+")
# Columns whose dates record something that has already happened: none of them can be in the future.
_PAST_DATES = (
    ("nomination_date", "nomination-date"),
    ("decision_date", "decision-date"),
    ("entry_date", "date-listed"),
    ("notice_date", "notification-to-sell-date"),
)


@dataclass(frozen=True)
class Cycle:
    """One owner's notice of an intended disposal (s.95(2)) and the periods it started (s.95(6))."""

    line: int
    notice_date: date
    interested_group: str | None

    @property
    def protected_end(self) -> date:
        return moratorium_timeline(self.notice_date)[2].due


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
    cycle_number: int | None = None  # from a reference like "CAMACV17 (2nd moratorium)"
    cycles: list[Cycle] = field(default_factory=list)  # a listing's disposal cycles, in date order
    merged_into: int | None = None  # the line of the listing this row is a disposal cycle of

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


def _date(row: ImportRow, value: str, column: str) -> date | None:
    """YYYY-MM-DD, DD/MM/YYYY, '4 March 2024' or an Excel serial day number (45355): what registers hold."""
    text = value.strip()
    if not text:
        return None
    try:
        if match := _UK_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if (match := _LONG_DATE.match(text)) and match.group(2).lower() in _MONTHS:
            return date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
        if _EXCEL_SERIAL.match(text):
            return _EXCEL_EPOCH + timedelta(days=int(float(text)))
        return datetime.fromisoformat(text).date() if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        row.errors.append(
            f"{column} {text!r} is not a real date (use YYYY-MM-DD, DD/MM/YYYY or a date like 4 March 2024)"
        )
        return None


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
    _merge_cycles(rows)
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
    _split_name_and_address(row, values.get("name-and-address", "").strip())
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
    row.decision_date = _date(row, values.get("decision-date", ""), "decision-date")
    # The specification's start-date is "the date the asset was nominated"; its entry-date is the date the
    # record was made or changed, which says nothing about the listing, so it is not read.
    nominated = values.get("nomination-date", "").strip() or values.get("start-date", "")
    row.nomination_date = _date(row, nominated, "nomination-date")
    row.entry_date = _date(row, values.get("date-listed", ""), "date-listed")
    row.end_date = _date(row, values.get("end-date", ""), "end-date")
    row.expiry_date = _date(row, values.get("expiry-date", ""), "expiry-date")
    row.notice_date = _date(row, values.get("notification-to-sell-date", ""), "notification-to-sell-date")
    _geometry(row, values)
    if today is not None:
        _check_not_future(row, today)
    _check_after_commencement(row)
    _check_consistency(row)
    return row


def _split_name_and_address(row: ImportRow, together: str) -> None:
    """'The Plough, 1 Church Lane, Ambridge' in one column: the name is before the first comma."""
    if not together or row.address:
        return
    if row.name and together.lower().startswith(row.name.lower()):
        row.address = together[len(row.name) :].lstrip(" ,")
    elif "," in together:
        name, address = (part.strip() for part in together.split(",", 1))
        row.name = row.name or name
        row.address = address
    else:
        row.name = row.name or together
        return
    row.warnings.append(f"name and address split from {together!r}: name {row.name!r}, address {row.address!r}")


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
        ("point", "point", _point),
        ("geometry", "boundary", geometry.normalise_boundary),
    ):
        text = values.get(column, "").strip()
        if text:
            try:
                setattr(row, attribute, normalise(text))
            except ValueError as exc:
                row.errors.append(f"{column}: {exc}")
    easting, northing = values.get("easting", "").strip(), values.get("northing", "").strip()
    if (easting or northing) and not row.point:
        try:
            row.point = _grid_point(easting, northing)
        except ValueError as exc:
            row.errors.append(f"easting and northing: {exc}")
        else:
            row.warnings.append(f"easting {easting}, northing {northing} (British National Grid) is {row.point}")


def _point(text: str) -> str:
    """WKT, or '(latitude, longitude)' as Socrata writes a location: '(51.5373, -0.1409)'."""
    if match := _LAT_LON.match(text):
        latitude, longitude = (float(part) for part in match.groups())
        return geometry.normalise_point(f"POINT ({longitude} {latitude})")
    return geometry.normalise_point(text)


@cache
def _grid_to_wgs84() -> Any:
    from pyproj import Transformer  # imported here: only a file with easting and northing needs it

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _grid_point(easting: str, northing: str) -> str:
    """A British National Grid reference (EPSG:27700) as a WGS84 point, as the dataset wants."""
    try:
        east, north = float(easting), float(northing)
    except ValueError:
        raise ValueError("both must be numbers of metres, like 529090 and 184050") from None
    if not (0 <= east <= 700_000 and 0 <= north <= 1_300_000):
        raise ValueError("they are not within Great Britain (easting 0-700000, northing 0-1300000)")
    longitude, latitude = _grid_to_wgs84().transform(east, north)
    return geometry.normalise_point(f"POINT ({longitude:.6f} {latitude:.6f})")


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
    if row.entry_date is None and row.expiry_date is not None:
        derived = listed_on(row.expiry_date, row.decision_date)
        # An expiry-date that would put the entry before the decision is not the statutory one: not used.
        if derived is not None and (row.decision_date is None or derived >= row.decision_date):
            row.entry_date = derived
    if row.entry_date is None and row.decision_date is None:
        row.errors.append("a listed asset needs a decision-date (or a date-listed)")
        return
    if row.entry_date is None:
        row.entry_date = row.decision_date
        row.warnings.append("no date-listed: the decision-date is used as the date of entry (s.87(3))")
    assert row.entry_date is not None  # noqa: S101 - narrowed above
    if row.decision_date and row.entry_date < row.decision_date:
        row.errors.append(
            f"date-listed {row.entry_date} is before decision-date {row.decision_date}: land is entered in the "
            "list on or after the decision to list it (LA 2011 s.87(3), s.90(4))"
        )
    if row.entry_date < ENGLAND_ACV.on:
        return  # refused already (_check_after_commencement): no five years run from before the regime existed
    statutory = compute("acv.listing_expiry", row.entry_date).due
    if row.expiry_date and row.expiry_date != statutory:
        row.warnings.append(
            f"expiry-date {row.expiry_date} differs from the statutory end {statutory} "
            "(5 years beginning with the entry date, s.87(3)); the statutory date is used"
        )
    row.expiry_date = statutory


def listed_on(expiry: date, decided: date | None) -> date | None:
    """The date of entry whose five years (beginning with it, s.87(3)) end on `expiry`; None if none does.

    Around 29 February two dates can end on the same day: the one nearer the decision is taken. A date before
    the regime commenced is no date of entry: no listing, and no five years, began then.
    """
    if expiry.year <= 5:  # no five years before it on the calendar
        return None
    try:
        near = expiry.replace(year=expiry.year - 5) + timedelta(days=1)
    except ValueError:  # expiry on 29 February; five years earlier had none
        near = date(expiry.year - 5, 3, 1)
    candidates = [day for day in (near + timedelta(days=shift) for shift in range(-3, 4)) if day >= ENGLAND_ACV.on]
    matching = [day for day in candidates if compute("acv.listing_expiry", day).due == expiry]
    if not matching:
        return None
    return min(matching, key=lambda day: abs((day - (decided or day)).days))


def _check_unsuccessful(row: ImportRow) -> None:
    row.reasons = row.reasons or row.notes
    if not row.reasons:
        row.errors.append("an unsuccessful nomination must carry its reasons (s.93(3)(b)): add a reasons column")
    if row.decision_date is None:
        row.errors.append("an unsuccessful nomination needs a decision-date")
    if row.notice_date:
        row.errors.append("notification-to-sell-date is only possible for listed land (s.95)")


def _merge_cycles(rows: list[ImportRow]) -> None:
    """Rows for one listing's disposal cycles ("CAMACV17 (1st moratorium)", "CAMACV17 (2nd moratorium)") become
    one listing carrying its cycles in date order; each merged row says so, and loads nothing of its own."""
    by_reference: dict[str, list[ImportRow]] = {}
    for row in rows:
        if row.reference:
            by_reference.setdefault(row.reference, []).append(row)
    for group in by_reference.values():
        if len(group) < 2 or all(row.cycle_number is None for row in group):
            continue
        group.sort(key=lambda row: (row.cycle_number or 0, row.line))
        listing, others = group[0], group[1:]
        for other in others:
            _merge_into(listing, other)
        _collect_cycles(listing, group)


def _merge_into(listing: ImportRow, other: ImportRow) -> None:
    other.merged_into = listing.line
    other.warnings.append(
        f"merged into line {listing.line}: the same listing ({listing.reference}), "
        f"{_ordinal(other.cycle_number)} disposal cycle"
    )
    if other.decision and listing.decision and other.decision != listing.decision:
        other.errors.append(
            f"decision {other.decision} differs from line {listing.line}'s {listing.decision} for the same listing"
        )
    for attribute in ("description", "nominating_group", "point", "boundary", "uprn", "reasons", "notes"):
        if getattr(listing, attribute) is None and getattr(other, attribute) is not None:
            setattr(listing, attribute, getattr(other, attribute))
            listing.warnings.append(f"{attribute.replace('_', '-')} taken from line {other.line}")
    if other.end_date and (listing.end_date is None or other.end_date > listing.end_date):
        listing.end_date = other.end_date
        listing.warnings.append(f"end-date {other.end_date} taken from line {other.line}")


def _collect_cycles(listing: ImportRow, group: list[ImportRow]) -> None:
    """The cycles in the order their notices came; a notice inside an earlier cycle's protected period is an
    error (a fresh notice starts a new cycle only after the protected period, s.95(2)-(4), s.95(6))."""
    # A notice from before the regime is refused already (_check_after_commencement) and starts no cycle.
    noticed = sorted(
        (row for row in group if row.notice_date and row.notice_date >= ENGLAND_ACV.on),
        key=lambda row: (row.notice_date, row.line),
    )
    for row in noticed:
        assert row.notice_date is not None  # noqa: S101 - filtered above
        earlier = listing.cycles[-1] if listing.cycles else None
        if earlier is not None and row.notice_date <= earlier.protected_end:
            row.errors.append(
                f"notification-to-sell-date {row.notice_date} falls inside the protected period of the cycle on "
                f"line {earlier.line}, which runs until {earlier.protected_end} (LA 2011 s.95(6))"
            )
            continue
        if row is not listing and listing.entry_date and row.notice_date < listing.entry_date:
            row.errors.append(f"notification-to-sell-date is before the land was listed (line {listing.line})")
            continue
        listing.cycles.append(Cycle(row.line, row.notice_date, row.interested_group))
    if listing.cycles:
        latest = listing.cycles[-1]
        if len(listing.cycles) > 1 or latest.line != listing.line:
            listing.warnings.append(
                f"{len(listing.cycles)} disposal cycle(s) in date order, from lines "
                f"{', '.join(str(cycle.line) for cycle in listing.cycles)}; the entry shows the latest "
                f"(notice received {latest.notice_date})"
            )
        listing.notice_date, listing.interested_group = latest.notice_date, latest.interested_group


def _ordinal(number: int | None) -> str:
    if number is None:
        return "a"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"the {number}{suffix}"


def _check_duplicates(rows: list[ImportRow]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row.merged_into is not None:
            continue
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
