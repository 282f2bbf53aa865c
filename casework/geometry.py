"""Points and boundaries as WKT in WGS84 (the planning.data.gov.uk convention), checked with shapely."""

from __future__ import annotations

from typing import Any

import shapely
from shapely import wkt
from shapely.geometry import mapping

_BOUNDARY_TYPES = {"Polygon", "MultiPolygon"}


def _load(text: str, what: str) -> Any:
    try:
        return wkt.loads(text.strip())
    except (shapely.errors.GEOSException, ValueError, TypeError):
        raise ValueError(f"The {what} must be well-known text (WKT), like POINT (-1.5 52.1)") from None


def _in_range(geometry: Any) -> bool:
    minx, miny, maxx, maxy = geometry.bounds
    return bool(-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90)


def normalise_point(text: str) -> str:
    """A WKT point 'POINT (longitude latitude)'; raises ValueError with a sentence for the user."""
    geometry = _load(text, "point")
    if geometry.geom_type != "Point" or geometry.is_empty:
        raise ValueError("The point must be a single WKT POINT (longitude latitude)")
    if not _in_range(geometry):
        raise ValueError("The point must be a longitude between -180 and 180 and a latitude between -90 and 90")
    return str(geometry.wkt)


def normalise_boundary(text: str) -> str:
    """A WKT POLYGON or MULTIPOLYGON; raises ValueError with a sentence for the user."""
    geometry = _load(text, "boundary")
    if geometry.geom_type not in _BOUNDARY_TYPES or geometry.is_empty:
        raise ValueError("The boundary must be a WKT POLYGON or MULTIPOLYGON")
    if not _in_range(geometry):
        raise ValueError("The boundary's coordinates must be longitudes and latitudes (WGS84)")
    if not geometry.is_valid:
        raise ValueError("The boundary crosses itself; draw it again without overlapping edges")
    return str(geometry.wkt)


def centre_of(boundary: str) -> str:
    """A point inside a boundary, for maps when no point was given."""
    return str(wkt.loads(boundary).representative_point().wkt)


def national_wkt(text: str) -> str:
    """WKT as the national datatypes ask: coordinates to 6 or fewer decimal places (about 0.1 m)."""
    return str(wkt.dumps(wkt.loads(text), rounding_precision=6, trim=True))


def to_geojson(text: str) -> dict[str, Any]:
    return dict(mapping(wkt.loads(text)))
