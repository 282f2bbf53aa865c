"""Points and boundaries as WKT in WGS84 (the planning.data.gov.uk convention), checked with shapely."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy
import shapely
from shapely import wkt
from shapely.geometry import mapping

if TYPE_CHECKING:
    from pyproj import Transformer

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


@cache
def _to_national_grid() -> Transformer:
    from pyproj import Transformer  # imported here: only pages that describe a location need it

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def _on_national_grid(easting: float, northing: float) -> bool:
    return 0 <= easting <= 700_000 and 0 <= northing <= 1_300_000


def latitude_longitude(point: str) -> tuple[float, float]:
    """A WKT point's (latitude, longitude), the order people read and type them in."""
    geometry = wkt.loads(point)
    return float(geometry.y), float(geometry.x)


def grid_reference(point: str) -> str | None:
    """The point as British National Grid easting and northing in metres, as Ordnance Survey maps give it.

    None when the point is not in Great Britain, where the national grid does not apply.
    """
    longitude_latitude = wkt.loads(point)
    easting, northing = _to_national_grid().transform(longitude_latitude.x, longitude_latitude.y)
    if not _on_national_grid(easting, northing):
        return None
    return f"easting {round(easting)}, northing {round(northing)}"


def boundary_area(boundary: str) -> str | None:
    """The area inside a boundary, in words (hectares, or square metres when under one), for the map's
    text alternative. Measured on the British National Grid; None outside Great Britain."""
    to_grid = _to_national_grid()
    projected = shapely.transform(
        wkt.loads(boundary), lambda xy: numpy.column_stack(to_grid.transform(xy[:, 0], xy[:, 1]))
    )
    minx, miny, maxx, maxy = projected.bounds
    if not (_on_national_grid(minx, miny) and _on_national_grid(maxx, maxy)):
        return None
    square_metres = float(projected.area)
    if square_metres < 10_000:
        return f"about {round(square_metres):,} square metres"
    return f"about {square_metres / 10_000:,.1f} hectares"
