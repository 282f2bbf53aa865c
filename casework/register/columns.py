"""Which of a council's own column headers holds which field of the national dataset.

The planning.data.gov.uk pipeline maps each council's headers to the fields
of `asset-of-community-value` with a `column.csv` file (columns `dataset,
endpoint,resource,column,field,start-date,end-date,entry-date`), matching
headers with case and punctuation ignored. The importer reads and writes the
same format, so a mapping made here can be given to the national pipeline and
one made there can be used here. Pure: nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping

DATASET = "asset-of-community-value"
COLUMN_CSV_HEADER = ("dataset", "endpoint", "resource", "column", "field", "start-date", "end-date", "entry-date")

# The fields the importer reads, with what each means on the mapping page.
FIELDS: dict[str, str] = {
    "reference": "Reference",
    "name": "Name of the asset",
    "address-text": "Address",
    "name-and-address": "Name and address together",
    "description": "Description",
    "decision": "Decision (listed or not)",
    "decision-date": "Date of the decision",
    "nomination-date": "Date the nomination was received",
    "nominating-group": "Nominating group",
    "date-listed": "Date entered in the list",
    "start-date": "Date the asset was nominated (the dataset's start-date)",
    "end-date": "Date removed from the list",
    "expiry-date": "Date the listing expires",
    "notification-to-sell-date": "Date the owner's notice of sale was received",
    "interested-group": "Group that asked to be treated as a bidder",
    "point": "Point (WKT or latitude, longitude)",
    "geometry": "Boundary (WKT)",
    "easting": "Easting (British National Grid)",
    "northing": "Northing (British National Grid)",
    "uprn": "UPRN",
    "title-numbers": "Land Registry title numbers",
    "reasons": "Reasons for the decision",
    "notes": "Notes",
}
# Fields of the national dataset the importer has no use for: known, so they are ignored quietly, not guessed.
# The dataset's entry-date is the date the record was made or changed, which says nothing about the listing.
IGNORED_FIELDS = frozenset(
    {
        "organisation",
        "entity",
        "prefix",
        "entry-number",
        "entry-date",
        "protected-period-start-date",
        "documentation-url",
    }
)

# Headers councils use, by their normalised spelling (see `normalise`), and the field each holds.
ALIASES: dict[str, str] = {
    "address": "address-text",
    "assetaddress": "address-text",
    "propertyaddress": "address-text",
    "assetname": "name",
    "propertyname": "name",
    "nameofasset": "name",
    "propertynameandaddress": "name-and-address",
    "nameandaddress": "name-and-address",
    "assetnameandaddress": "name-and-address",
    "status": "decision",
    "outcome": "decision",
    "nominationoutcome": "decision",
    "listingdate": "date-listed",
    "listeddate": "date-listed",
    "dateentered": "date-listed",
    "dateaddedtolist": "date-listed",
    "dateofentry": "date-listed",
    "dateremoved": "end-date",
    "removaldate": "end-date",
    "listingexpires": "expiry-date",
    "listingexpirydate": "expiry-date",
    "dateoflistingexpiry": "expiry-date",
    "nominatedby": "nominating-group",
    "nominator": "nominating-group",
    "nominatingbody": "nominating-group",
    "nominatingorganisation": "nominating-group",
    "datenominated": "nomination-date",
    "datenominationreceived": "nomination-date",
    "nominationreceived": "nomination-date",
    "dateofnomination": "nomination-date",
    "dateofdecision": "decision-date",
    "decisiondate": "decision-date",
    "reasonsfordecision": "reasons",
    "decisionreasons": "reasons",
    "reason": "reasons",
    "wkt": "geometry",
    "boundary": "geometry",
    "location": "point",
    "latlong": "point",
    "coordinates": "point",
    "titlenumber": "title-numbers",
    "landregistrytitlenumber": "title-numbers",
    "landregistrytitlenumbers": "title-numbers",
    "x": "easting",
    "y": "northing",
    "gridrefeasting": "easting",
    "gridrefnorthing": "northing",
    "dateofnoticeofintendeddisposal": "notification-to-sell-date",
    "noticeofdisposalreceived": "notification-to-sell-date",
    "dateofnotificationofintenttosell": "notification-to-sell-date",
    "moratoriumstartdate": "notification-to-sell-date",
    "communityinterestgroup": "interested-group",
    "bidder": "interested-group",
    "refnumber": "reference",
    "ref": "reference",
    "listreference": "reference",
    "assetid": "reference",
    "assetreference": "reference",
    "acvreference": "reference",
    "referencenumber": "reference",
}


def normalise(header: str) -> str:
    """The spelling headers are compared in: case and punctuation (spaces, hyphens, underscores...) ignored."""
    return re.sub(r"[^a-z0-9]", "", header.lower())


_FIELD_BY_NAME = {normalise(name): name for name in (*FIELDS, *IGNORED_FIELDS)}


class MappingProblem(ValueError):
    """A column.csv file that cannot be used, said in words for the person who supplied it."""


def read_column_csv(text: str, dataset: str = DATASET) -> dict[str, str]:
    """A `column.csv` as {normalised header: field}; rows for other datasets are ignored.

    Rows with an end-date say the mapping no longer applies, so they are ignored too.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [name for name in ("column", "field") if name not in (reader.fieldnames or [])]
    if missing:
        raise MappingProblem(f"the mapping file has no {' or '.join(missing)} column (digital-land column.csv format)")
    mapping: dict[str, str] = {}
    for line, row in enumerate(reader, start=2):
        if (row.get("dataset") or dataset).strip() != dataset or (row.get("end-date") or "").strip():
            continue
        column, field = (row.get("column") or "").strip(), (row.get("field") or "").strip()
        if not column or not field:
            raise MappingProblem(f"line {line} of the mapping file needs both a column and a field")
        if field not in FIELDS and field not in IGNORED_FIELDS:
            raise MappingProblem(f"line {line} of the mapping file maps {column!r} to {field!r}, which is not a field")
        mapping[normalise(column)] = field
    return mapping


def write_column_csv(mapping: Mapping[str, str], dataset: str = DATASET) -> str:
    """A council's mapping as a digital-land `column.csv` (no endpoint: it applies to every file it sends)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_CSV_HEADER)
    for column, field in sorted(mapping.items()):
        writer.writerow((dataset, "", "", column, field, "", "", ""))
    return out.getvalue()


def guess(headers: Iterable[str], *given: Mapping[str, str]) -> dict[str, str | None]:
    """Each header's field: from the given mappings first (a column.csv, then a saved mapping), then the
    dataset's own field names, then the common spellings in ALIASES; None for a column left out."""
    lookups = [{normalise(column): field for column, field in mapping.items()} for mapping in given]
    result: dict[str, str | None] = {}
    taken: set[str] = set()
    for header in headers:
        key = normalise(header)
        field = next((lookup[key] for lookup in lookups if key in lookup), None)
        field = field or _FIELD_BY_NAME.get(key) or ALIASES.get(key)
        if field in IGNORED_FIELDS or field in taken:
            field = None
        if field:
            taken.add(field)
        result[header] = field
    return result


def problems(mapping: Mapping[str, str | None]) -> list[str]:
    """What a mapping lacks for a register to be read; empty when it will do."""
    fields = {field for field in mapping.values() if field}
    wanted = ["reference", "name", "address-text", "decision"]
    if "name-and-address" in fields:
        wanted = ["reference", "decision"]
    missing = [name for name in wanted if name not in fields]
    found: list[str] = []
    if missing:
        found.append(
            f"No column is mapped to {', '.join(missing)} "
            "(see the planning.data.gov.uk asset-of-community-value fields)"
        )
    if ("easting" in fields) != ("northing" in fields):
        found.append("Easting and northing go together: map both columns or neither")
    seen: dict[str, str] = {}
    for header, field in mapping.items():
        if field and field in seen:
            found.append(f"{header!r} and {seen[field]!r} are both mapped to {field}: choose one")
        if field:
            seen.setdefault(field, header)
    return found
