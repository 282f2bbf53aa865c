"""Postcode centroids from Ordnance Survey's Code-Point Open, read and checked before anything is loaded.

Code-Point Open (https://osdatahub.os.uk, Open Government Licence) comes as one CSV per postcode area
(`bs.csv`, `b.csv`...), usually zipped together as `codepo_gb.zip` with the files under `Data/CSV/`. Its CSVs
have no header row; each row is Postcode, Positional_quality_indicator, Eastings, Northings, Country_code,
NHS_regional_HA_code, NHS_HA_code, Admin_county_code, Admin_district_code, Admin_ward_code. The postcode is
written in 7 characters ("B1  1AA", "BS1 4ND", "SW1A1AA"); eastings and northings are British National Grid
metres (EPSG:27700), turned here into WGS84 longitude and latitude. A quality of 90 means the postcode has no
coordinates: such rows are counted and left out, not refused.

A file with a header row naming postcode, latitude and longitude (ONS's postcode directory: pcds, lat, long)
is read too, so that a council holding that instead is not stuck.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from typing import Any

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}$")
CODE_POINT_COLUMNS = (
    "Postcode",
    "Positional_quality_indicator",
    "Eastings",
    "Northings",
    "Country_code",
    "NHS_regional_HA_code",
    "NHS_HA_code",
    "Admin_county_code",
    "Admin_district_code",
    "Admin_ward_code",
)
QUALITIES = (10, 20, 30, 40, 50, 60, 90)
NO_COORDINATES = 90
MAX_EASTINGS, MAX_NORTHINGS = 700_000, 1_300_000  # the extent of the British National Grid
MAX_PROBLEMS = 50  # a file that is wrong on every line says so in a few lines, not in a million
MAX_UNZIPPED = 400 * 1024 * 1024  # all of Great Britain is about 120 MB of CSV; more than this is not Code-Point
_HEADER_NAMES = {"postcode", "pcds", "pcd", "pcd2"}
_LATITUDE_NAMES, _LONGITUDE_NAMES = ("latitude", "lat"), ("longitude", "long", "lon")
_NO_LOCATION_LATITUDE = 99.999999  # what ONS writes for a postcode with no grid reference


class PostcodeFileProblem(Exception):
    """The file as a whole cannot be read: not text, not CSV, an archive with no postcode files in it."""


def normalise(postcode: str) -> str:
    """A postcode as it is stored and matched: capitals, with no spaces ("bs1  4nd" -> "BS14ND")."""
    return re.sub(r"\s+", "", postcode).upper()


def is_postcode(postcode: str) -> bool:
    return POSTCODE.match(normalise(postcode)) is not None


def display(postcode: str) -> str:
    """A postcode as people write it, with one space before the last three characters ("BS14ND" -> "BS1 4ND")."""
    key = normalise(postcode)
    return f"{key[:-3]} {key[-3:]}" if len(key) > 3 else key


@dataclass(frozen=True)
class Centroid:
    postcode: str  # normalised
    longitude: float
    latitude: float
    eastings: int | None = None
    northings: int | None = None
    quality: int | None = None
    district_code: str | None = None
    ward_code: str | None = None


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.message}"


@dataclass
class PostcodeFile:
    """One CSV as read: the centroids it gives, the rows it leaves out (no coordinates), and what is wrong in it."""

    name: str
    centroids: list[Centroid] = field(default_factory=list)
    without_coordinates: int = 0
    problems: list[Problem] = field(default_factory=list)
    more_problems: int = 0  # beyond MAX_PROBLEMS, counted but not listed

    def refuse(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, line, message))
        else:
            self.more_problems += 1


def csv_files(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    """The CSV files in what was given: the file itself, or each `.csv` in a zip (Code-Point Open's download)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        yield name, data
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".csv")]
        members = [m for m in members if "/doc" not in f"/{m.filename.lower()}"]  # Code-Point's column lists
        if not members:
            raise PostcodeFileProblem(f"{name} holds no .csv files: give Code-Point Open's zip or its CSV files")
        if sum(m.file_size for m in members) > MAX_UNZIPPED:
            raise PostcodeFileProblem(f"{name} unpacks to more than {MAX_UNZIPPED // 2**20} MB of CSV")
        for member in members:
            yield f"{name}:{PurePosixPath(member.filename).name}", archive.read(member)


def read(name: str, data: bytes) -> PostcodeFile:
    """Read one CSV of postcode centroids, checking every row; raises PostcodeFileProblem if it is not CSV text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PostcodeFileProblem(f"{name} is not a text file: give the CSV files from Code-Point Open") from None
    rows = csv.reader(io.StringIO(text))
    result = PostcodeFile(name)
    try:
        first = next(rows, None)
        if first is None or not any(cell.strip() for cell in first):
            raise PostcodeFileProblem(f"{name} is empty")
        if first[0].strip().lower() in _HEADER_NAMES:
            _read_with_header(result, first, rows)
        else:
            _read_code_point(result, [(1, first)], rows)
    except csv.Error as exc:
        raise PostcodeFileProblem(f"{name}, line {rows.line_num}, is not valid CSV: {exc}") from None
    return result


def _read_code_point(result: PostcodeFile, first: list[tuple[int, list[str]]], rows: Any) -> None:
    grid: list[tuple[int, str, int, int, int, str, str]] = []
    seen: dict[str, int] = {}
    for line, cells in [*first, *((rows.line_num, cells) for cells in rows)]:
        if not any(cell.strip() for cell in cells):
            continue
        row = _code_point_row(result, line, cells)
        if row is None:
            continue
        key = row[1]
        if key in seen:
            result.refuse(line, f"{display(key)} is already on line {seen[key]}")
            continue
        seen[key] = line
        if row[2] == NO_COORDINATES:
            result.without_coordinates += 1
        else:
            grid.append(row)
    if not grid or result.problems:
        return
    longitudes, latitudes = _grid_to_wgs84().transform([r[3] for r in grid], [r[4] for r in grid])
    result.centroids = [
        Centroid(key, round(lon, 6), round(lat, 6), east, north, quality, district or None, ward or None)
        for (_, key, quality, east, north, district, ward), lon, lat in zip(grid, longitudes, latitudes, strict=True)
    ]


def _code_point_row(
    result: PostcodeFile, line: int, cells: list[str]
) -> tuple[int, str, int, int, int, str, str] | None:
    """One row's postcode, quality, eastings, northings, district and ward, or None after saying what is wrong."""
    if len(cells) != len(CODE_POINT_COLUMNS):
        result.refuse(
            line,
            f"has {len(cells)} column{'s' if len(cells) != 1 else ''}; Code-Point Open has {len(CODE_POINT_COLUMNS)}"
            f" ({', '.join(CODE_POINT_COLUMNS[:4])}...) and no header row",
        )
        return None
    key = normalise(cells[0])
    if not POSTCODE.match(key):
        result.refuse(line, f"{cells[0].strip()!r} is not a postcode")
        return None
    quality = _whole(cells[1])
    if quality not in QUALITIES:
        result.refuse(line, f"the positional quality indicator is {cells[1].strip()!r}; it must be one of {QUALITIES}")
        return None
    east, north = _whole(cells[2]), _whole(cells[3])
    if quality != NO_COORDINATES and not (east is not None and 0 <= east <= MAX_EASTINGS):
        result.refuse(line, f"the eastings are {cells[2].strip()!r}; give whole metres from 0 to {MAX_EASTINGS}")
        return None
    if quality != NO_COORDINATES and not (north is not None and 0 <= north <= MAX_NORTHINGS):
        result.refuse(line, f"the northings are {cells[3].strip()!r}; give whole metres from 0 to {MAX_NORTHINGS}")
        return None
    return line, key, quality, east or 0, north or 0, cells[8].strip()[:9], cells[9].strip()[:9]


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _read_with_header(result: PostcodeFile, header: list[str], rows: Any) -> None:
    columns = {name.strip().lower(): index for index, name in enumerate(header)}
    latitude = next((columns[name] for name in _LATITUDE_NAMES if name in columns), None)
    longitude = next((columns[name] for name in _LONGITUDE_NAMES if name in columns), None)
    if latitude is None or longitude is None:
        result.refuse(1, "a header row needs postcode, latitude and longitude columns (ONS: pcds, lat, long)")
        return
    postcode = next(columns[name] for name in ("pcds", "postcode", "pcd", "pcd2") if name in columns)
    seen: dict[str, int] = {}
    for cells in rows:
        if any(cell.strip() for cell in cells):
            _header_row(result, rows.line_num, cells, (postcode, latitude, longitude), seen)


def _header_row(
    result: PostcodeFile, line: int, cells: list[str], columns: tuple[int, int, int], seen: dict[str, int]
) -> None:
    postcode, latitude, longitude = columns
    if len(cells) <= max(columns):
        result.refuse(line, f"has {len(cells)} columns; the header row has more")
        return
    key = normalise(cells[postcode])
    if not POSTCODE.match(key):
        result.refuse(line, f"{cells[postcode].strip()!r} is not a postcode")
    elif key in seen:
        result.refuse(line, f"{display(key)} is already on line {seen[key]}")
    elif _no_location(cells[latitude], cells[longitude]):
        seen[key] = line
        result.without_coordinates += 1
    elif (place := _lat_long(cells[latitude], cells[longitude])) is None:
        result.refuse(line, f"{cells[latitude]!r}, {cells[longitude]!r} is not a latitude and longitude")
    else:
        seen[key] = line
        result.centroids.append(Centroid(key, place[1], place[0]))


def _no_location(latitude: str, longitude: str) -> bool:
    """A postcode with no location: left blank, or ONS's 99.999999."""
    return (not latitude.strip() and not longitude.strip()) or latitude.strip() == f"{_NO_LOCATION_LATITUDE}"


def _lat_long(latitude: str, longitude: str) -> tuple[float, float] | None:
    try:
        lat, lon = float(latitude), float(longitude)
    except ValueError:
        return None
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


@cache
def _grid_to_wgs84() -> Any:
    from pyproj import Transformer  # imported here: only loading postcodes needs it

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
