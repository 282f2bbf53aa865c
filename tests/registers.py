"""Councils' registers in the layouts they really keep, made up here (no council's data is copied):
a column per field under the council's own headers, as CSV, .xlsx and .ods."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from openpyxl import Workbook

Cell = str | int | float | date | None

# A London borough's open-data layout: its own headers, UK dates, a Socrata "(lat, lon)" location, and a row per
# disposal cycle of one listing.
BOROUGH_HEADERS = [
    "Ref Number", "Property name and address", "Date Nomination Received", "Nominating Body", "Outcome",
    "Date of Decision", "Date Added To List", "Listing Expires", "Date of Notice of Intended Disposal",
    "Community Interest Group", "Location",
]  # fmt: skip
BOROUGH_ROWS: list[list[Cell]] = [
    ["BORACV01", "The Crown, 1 Market Street, London", "10/01/2023", "Crown Regulars", "Listed", "01/03/2023",
     "01/03/2023", "28/02/2028", "", "", "(51.5373, -0.1409)"],
    ["BORACV02 (1st moratorium)", "Elm Library, 2 Elm Road, London", "15/02/2021", "Friends of Elm Library",
     "Listed", "12/04/2021", "12/04/2021", "", "01/06/2021", "Elm Community Trust", "(51.54, -0.15)"],
    ["BORACV02 (2nd moratorium)", "Elm Library, 2 Elm Road, London", "15/02/2021", "Friends of Elm Library",
     "Listed", "12/04/2021", "12/04/2021", "", "3 January 2024", "", "(51.54, -0.15)"],
    ["BORACV03", "Park Cafe, 3 Park Lane, London", "01/05/2024", "Cafe Friends", "Unsuccessful", "20/06/2024", "",
     "", "", "", ""],
]  # fmt: skip
# The same borough's mapping, in digital-land's column.csv format: rows for another dataset and an ended row too.
BOROUGH_COLUMN_CSV = (
    "dataset,endpoint,resource,column,field,start-date,end-date,entry-date\n"
    "asset-of-community-value,4b1c0e,,Ref Number,reference,,,2024-01-01\n"
    "asset-of-community-value,4b1c0e,,property name and address,name-and-address,,,\n"
    "asset-of-community-value,4b1c0e,,DATE NOMINATION RECEIVED,nomination-date,,,\n"
    "asset-of-community-value,4b1c0e,,Nominating-Body,nominating-group,,,\n"
    "asset-of-community-value,4b1c0e,,Outcome,decision,,,\n"
    "asset-of-community-value,4b1c0e,,Date of Decision,decision-date,,,\n"
    "asset-of-community-value,4b1c0e,,Date Added To List,date-listed,,,\n"
    "asset-of-community-value,4b1c0e,,Listing Expires,expiry-date,,,\n"
    "asset-of-community-value,4b1c0e,,Date of Notice of Intended Disposal,notification-to-sell-date,,,\n"
    "asset-of-community-value,4b1c0e,,Community Interest Group,interested-group,,,\n"
    "asset-of-community-value,4b1c0e,,Location,point,,,\n"
    "asset-of-community-value,4b1c0e,,Outcome,notes,,2023-01-01,\n"
    "conservation-area,9f00aa,,Outcome,name,,,\n"
)
# Reasons for the unsuccessful nomination come in their own column in this layout.
BOROUGH_REASONS = "Reasons"

# A district's spreadsheet: Excel dates and serial numbers, easting and northing, name and address apart.
DISTRICT_HEADERS = ["Asset ID", "Asset Name", "Asset Address", "Status", "Date of Decision", "X", "Y", "Reason"]
DISTRICT_ROWS: list[list[Cell]] = [
    ["DIS/1", "The Wheatsheaf", "4 High Street, Dunstead", "Listed", date(2023, 5, 2), 529090, 184050, ""],
    ["DIS/2", "Caf\u00e9 Royale", "5 Mill Lane, Dunstead", "Listed", 45355, "", "", ""],
    ["DIS/3", "Old Forge", "6 Forge Lane, Dunstead", "Refused", date(2024, 1, 9), "", "", "Private house"],
]


def with_reasons(headers: list[str], rows: list[list[Cell]]) -> tuple[list[str], list[list[Cell]]]:
    """The borough's rows with a reasons column: the unsuccessful row carries its reasons."""
    closed = "Closed for five years: no realistic community use"
    reasons = [closed if row[4] == "Unsuccessful" else "" for row in rows]
    return [*headers, BOROUGH_REASONS], [[*row, reason] for row, reason in zip(rows, reasons, strict=True)]


def as_csv(headers: Sequence[str], rows: Sequence[Sequence[Cell]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([("" if v is None else v.isoformat() if isinstance(v, date) else v) for v in row] for row in rows)
    return out.getvalue().encode(encoding)


def as_xlsx(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods_cell(value: Cell) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value.isoformat()}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float):
        number = f'office:value-type="float" office:value="{value}"'
        return f"<table:table-cell {number}><text:p>{value}</text:p></table:table-cell>"
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def as_ods(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice saves one (mimetype first, uncompressed)."""
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(value) for value in row) + "</table:table-row>"
        for row in [list(headers), *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        f'<office:body><office:spreadsheet><table:table table:name="Register">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def generated(count: int) -> bytes:
    """A large register in the dataset's own columns: listed, expired and unsuccessful entries in turn."""
    lines = ["reference,name,address-text,decision,decision-date,date-listed,uprn,reasons"]
    for n in range(count):
        kind = n % 3
        if kind == 2:
            lines.append(f"GEN/{n},Place {n},{n} Long Road,not-listed,2024-03-01,,,Not of community value")
        else:
            year = 2023 if kind == 0 else 2019
            lines.append(f"GEN/{n},Place {n},{n} Long Road,listed,{year}-05-02,{year}-05-02,{100000 + n},")
    return ("\n".join(lines) + "\n").encode()
