"""The values of a register's cells as spreadsheets hold them: dates in several spellings, points as WKT,
latitude and longitude or British National Grid, and a name and address run together in one column.

Each reader notes on the row what it could not read (an error) or what it made of what it read (a warning),
so the council sees every problem of the file at once.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from casework import geometry
from casework.register.import_row import ImportRow

_UK_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_LONG_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
# Each month's spellings, in calendar order.
_MONTH_NAMES = (
    "january jan, february feb, march mar, april apr, may, june jun, july jul, august aug, "
    "september sep sept, october oct, november nov, december dec"
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES.split(", "), start=1) for name in names.split()}
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, counting its 1900 leap-year mistake (serial 60)
_EXCEL_SERIAL = re.compile(r"^\d{4,5}(\.0+)?$")
_LAT_LON = re.compile(r"^\(?\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)?$")


def read_date(row: ImportRow, value: str, column: str) -> date | None:
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


def split_name_and_address(row: ImportRow, together: str) -> None:
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


def read_geometry(row: ImportRow, values: dict[str, str]) -> None:
    """The row's point and boundary, from WKT, '(latitude, longitude)' or an easting and northing."""
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
