"""A copy of the national asset-of-community-value specification, and a checker every export is held to.

Copied, not fetched, so that the tests say which version the exports follow and fail loudly if the code
drifts from it. Source: https://github.com/digital-land/specification at commit
5e802e8eb6f80a76dbcf085b26c74f1fe7b33599 (2026-08-21):

- content/specification/asset-of-community-value.md: the fields, their order and what each means;
- content/field/<field>.md: each field's datatype;
- specification/datatype.csv: what a datatype allows (WKT in WGS84 "6 or fewer decimal places"; a CURIE such
  as `local-authority:DAC`).

`entity` and `prefix`, in the dataset but not in the specification, are assigned by the platform.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from shapely import wkt

SOURCE = {
    "repository": "digital-land/specification",
    "commit": "5e802e8eb6f80a76dbcf085b26c74f1fe7b33599",
    "paths": (
        "content/specification/asset-of-community-value.md",
        "content/field/*.md",
        "specification/datatype.csv",
    ),
}


@dataclass(frozen=True)
class Field:
    name: str
    datatype: str  # from content/field/<name>.md
    description: str  # from the specification, word for word


FIELDS = (
    Field("reference", "string", "a unique code for this asset of community value, for example `A-CV-1`"),
    Field("name", "string", "a name for the asset of community value, for example, Magdala Public House"),
    Field("address-text", "string", "an address for the asset"),
    Field("description", "string", "a description of the asset of community value"),
    Field("point", "point", "coordinates, in WGS84, of the asset"),
    Field("geometry", "multipolygon", "if available, a boundary for the asset in WKT format"),
    Field("organisation", "curie", "a code for the authority whose register it is on, e.g. local-authority:CMD"),
    Field("nomination-date", "datetime", "the date the asset was nominated to go on the register"),
    Field("nominating-group", "string", "the group who nominated the asset, for example, Friends of the Magdala"),
    Field("decision", "string", "the decision whether successful or unsuccessful"),
    Field("decision-date", "datetime", "the date the decision was published, in `YYYY-MM-DD` format"),
    Field(
        "expiry-date",
        "datetime",
        "the date the listing on the register expires, usually 5 years after the decision date, for example 2029-12-01",
    ),
    Field(
        "notification-to-sell-date",
        "datetime",
        "the date the owner informs the authority of their wish to sell the asset",
    ),
    Field("interested-group", "string", "the group that has registered an interest, triggering the moratorim period"),
    Field(
        "protected-period-start-date",
        "datetime",
        "the date the protection period starts. It will last 18 months from this date.",
    ),
    Field("notes", "text", "optional notes"),
    Field("entry-date", "datetime", "the date this record was created"),  # field guidance: "created or modified"
    Field("start-date", "datetime", "the date the asset was nominated"),
    Field("end-date", "datetime", "the date this assets was removed from the asset register"),
)
NAMES = tuple(field.name for field in FIELDS)
DATES = tuple(field.name for field in FIELDS if field.datatype == "datetime")
DECISIONS = ("successful", "unsuccessful")
_CURIE = re.compile(r"^[a-z][a-z0-9-]*:[A-Za-z0-9][A-Za-z0-9-]*$")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")
# Great Britain in WGS84, loosely: catches British National Grid metres and longitude/latitude swapped.
_GB = (-8.7, 49.8, 1.8, 60.9)


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _dates(record: dict[str, Any]) -> list[str]:
    problems = []
    for name in DATES:
        value = record[name]
        if value and not (_ISO_DAY.match(value) and _real_day(value)):
            problems.append(f"{name} {value!r} is not a date as YYYY-MM-DD")
    return problems


def _real_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _shape(name: str, value: str, kinds: tuple[str, ...]) -> list[str]:
    if not value:
        return []
    try:
        shape = wkt.loads(value)
    except Exception:  # shapely raises several kinds for text that is not WKT
        return [f"{name} {value!r} is not WKT"]
    problems = []
    if shape.geom_type not in kinds:
        problems.append(f"{name} is a {shape.geom_type}, not {' or '.join(kinds)}")
    if any(len(places or "") > 6 for places in _NUMBER.findall(value)):
        problems.append(f"{name} has coordinates to more than 6 decimal places")
    minx, miny, maxx, maxy = shape.bounds
    if not (_GB[0] <= minx <= maxx <= _GB[2] and _GB[1] <= miny <= maxy <= _GB[3]):
        problems.append(f"{name} is not longitude and latitude (WGS84) in Great Britain: {shape.bounds}")
    if kinds != ("Point",) and not shape.is_valid:
        problems.append(f"{name} is not a valid polygon")
    return problems


def check_record(record: dict[str, Any]) -> list[str]:
    """Every rule of the specification one record breaks (nothing: it follows it). Extra keys are allowed."""
    missing = [name for name in NAMES if name not in record]
    if missing:
        return [f"no {', '.join(missing)}"]
    problems = [f"{name} is not text" for name in NAMES if not isinstance(record[name], str)]
    if problems:
        return problems
    problems += [f"{name} is empty" for name in ("reference", "name", "organisation", "decision") if not record[name]]
    problems += _dates(record)
    if record["decision"] not in DECISIONS:
        problems.append(f"decision {record['decision']!r} is not successful or unsuccessful")
    if not _CURIE.match(record["organisation"]):
        problems.append(f"organisation {record['organisation']!r} is not a CURIE like local-authority:CMD")
    problems += _shape("point", record["point"], ("Point",))
    problems += _shape("geometry", record["geometry"], ("Polygon", "MultiPolygon"))
    if problems:
        return problems
    return _meanings(record)


def _meanings(record: dict[str, Any]) -> list[str]:
    problems = []
    if record["start-date"] != record["nomination-date"]:
        problems.append("start-date is not the date the asset was nominated (its nomination-date)")
    if record["decision"] == "unsuccessful" and (record["expiry-date"] or record["notification-to-sell-date"]):
        problems.append("an unsuccessful nomination has no expiry-date or notification-to-sell-date")
    if record["protected-period-start-date"] != record["notification-to-sell-date"]:
        # The protected period is 18 months beginning with the date the notice was received (LA 2011 s.95(6)).
        problems.append("protected-period-start-date is not the notification-to-sell-date")
    nominated, decided = _day(record["nomination-date"]), _day(record["decision-date"])
    if nominated and decided and nominated > decided:
        problems.append("decision-date is before the nomination-date")
    ended = _day(record["end-date"])
    if ended and nominated and ended < nominated:
        problems.append("end-date is before the asset was nominated")
    return problems


def check_csv(text: str) -> list[dict[str, str]]:
    """The rows of a national CSV, after checking its header is the specification's fields in its order and
    every row follows the specification; AssertionError says which rule each row broke."""
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == NAMES, f"header {reader.fieldnames} is not {NAMES}"
    rows = list(reader)
    _assert_all(rows)
    return rows


def check_json(entries: list[dict[str, Any]]) -> None:
    _assert_all(entries)


def check_geojson(collection: dict[str, Any]) -> None:
    """GeoJSON: the shape is the feature's geometry (a boundary, else the point); the rest are its properties."""
    assert collection["type"] == "FeatureCollection"
    records = []
    for feature in collection["features"]:
        shape = feature["geometry"]
        properties = dict(feature["properties"])
        assert "point" not in properties and "geometry" not in properties, "the shape is the feature's geometry"
        if shape is not None:
            assert shape["type"] in ("Point", "Polygon", "MultiPolygon"), shape["type"]
            text = wkt.dumps(_from_geojson(shape), trim=True)
            properties["point" if shape["type"] == "Point" else "geometry"] = text
        records.append({"point": "", "geometry": "", **properties})
    _assert_all(records)


def _from_geojson(shape: dict[str, Any]) -> Any:
    from shapely.geometry import shape as build

    return build(shape)


def _assert_all(records: list[dict[str, Any]]) -> None:
    problems = {str(record.get("reference")): check_record(record) for record in records}
    broken = {reference: found for reference, found in problems.items() if found}
    assert not broken, f"against {SOURCE['repository']}@{SOURCE['commit'][:7]}: {broken}"
    references = [record["reference"] for record in records]
    assert len(references) == len(set(references)), "references are not unique"
