"""Read the spreadsheet a council keeps its register in: CSV (UTF-8 or Windows-1252), Excel .xlsx or OpenDocument .ods.

Every format comes out as one `Table`: the header row's cells and each later
row's cells as text, with the line (spreadsheet row number) a person would look
for. Dates stored as dates in a spreadsheet become `YYYY-MM-DD`; numbers keep
their digits (`12345` not `12345.0`), so an Excel serial date typed as a number
is still recognised later. Pure: nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

FORMATS = {".csv": "CSV", ".xlsx": "Excel (.xlsx)", ".ods": "OpenDocument (.ods)"}


class FileProblem(ValueError):
    """A file that cannot be read as a register at all, said in words."""


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (line, cells), blank rows left out
    encoding: str = ""  # for CSV: which encoding it was read in

    def records(self) -> Iterator[tuple[int, dict[str, str]]]:
        """Each row as {header: cell}; short rows are padded, extra cells beyond the headers dropped."""
        width = len(self.headers)
        for line, cells in self.rows:
            padded = (*cells, *("",) * (width - len(cells)))
            yield line, {header: padded[index] for index, header in enumerate(self.headers) if header}


def read_table(data: bytes, filename: str) -> Table:
    """The register in `data`, by the file name's extension; raises FileProblem."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        return _table(_xlsx_rows(data))
    if suffix == ".ods":
        return _table(_ods_rows(data))
    if suffix in ("", ".csv", ".txt"):
        return csv_table(*decode(data))
    raise FileProblem(f"{filename} is not a file the register can be read from: use {', '.join(FORMATS.values())}")


def decode(data: bytes) -> tuple[str, str]:
    """CSV bytes as text: UTF-8 (with or without its byte order mark), else Windows-1252, what Excel saves
    'CSV' in on a British Windows machine."""
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FileProblem("The file is neither UTF-8 nor Windows-1252 text: save it as 'CSV UTF-8'") from None


def csv_table(text: str, encoding: str = "UTF-8") -> Table:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
        rows = [(reader.line_num, tuple(cells)) for cells in reader if any(cell.strip() for cell in cells)]
    except csv.Error as exc:
        raise FileProblem(f"line {reader.line_num} of the file is not valid CSV: {exc}") from None
    return _checked(header, rows, encoding)


def _table(rows: Iterable[tuple[int, tuple[str, ...]]]) -> Table:
    numbered = iter(rows)
    first = next(numbered, None)
    body = [(line, cells) for line, cells in numbered if any(cell.strip() for cell in cells)]
    # The header is the first row's cells; a spreadsheet's line numbers are its own row numbers.
    return _checked(list(first[1]) if first else None, body, "")


def _checked(header: list[str] | None, rows: list[tuple[int, tuple[str, ...]]], encoding: str) -> Table:
    if not header or not any(cell.strip() for cell in header):
        raise FileProblem("The file is empty or has no header row")
    headers = tuple(cell.strip() for cell in header)
    while headers and not headers[-1]:
        headers = headers[:-1]
    if not rows:
        raise FileProblem("The file has a header row but no entries")
    return Table(headers, tuple(rows), encoding)


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person sees: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    from openpyxl import load_workbook  # imported here: only an Excel upload needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileProblem(f"The file is not an Excel workbook (.xlsx): {type(exc).__name__}") from None
    try:
        sheet = book.worksheets[0]
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield line, tuple(cell_text(value) for value in values)
    finally:
        book.close()


def _ods_rows(data: bytes) -> Iterator[tuple[int, tuple[str, ...]]]:
    from python_calamine import CalamineWorkbook  # imported here: only an OpenDocument upload needs it

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        values = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error kinds for a file that is not a spreadsheet
        raise FileProblem(f"The file is not an OpenDocument spreadsheet (.ods): {type(exc).__name__}") from None
    for line, cells in enumerate(values, start=1):
        yield line, tuple(cell_text(value) for value in cells)
