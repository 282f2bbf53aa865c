"""What a page's map draws and where its tiles come from, and the same location in words.

Maps are drawn in the browser by Leaflet (web/static_src/map.js) from GeoJSON features built here from the stored
WKT. Every page that has a map also says where the place is in words (latitude and longitude, the British National
Grid reference, the area inside the boundary), so nothing is lost without JavaScript or without sight of the map.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from casework import geometry
from web.extensions import settings


def features(name: str, point: str | None, boundary: str | None, url: str | None = None) -> list[dict[str, Any]]:
    """GeoJSON features for one place: its boundary (when there is one) drawn as an area, its point as a marker."""
    found: list[dict[str, Any]] = []
    properties = {"name": name, "url": url}
    if boundary:
        found.append({"type": "Feature", "geometry": geometry.to_geojson(boundary), "properties": properties})
    if point:
        found.append({"type": "Feature", "geometry": geometry.to_geojson(point), "properties": properties})
    return found


def markers(places: list[tuple[str, str, str | None, str | None, str]]) -> list[dict[str, Any]]:
    """One point feature per place (name, address, point, boundary, url) for a map of many places; a place with only a
    boundary is marked at a point inside it."""
    found = []
    for name, address, point, boundary, url in places:
        where = point or (geometry.centre_of(boundary) if boundary else None)
        if where:
            properties = {"name": name, "address": address, "url": url}
            found.append({"type": "Feature", "geometry": geometry.to_geojson(where), "properties": properties})
    return found


def location_rows(point: str | None, boundary: str | None) -> list[dict[str, Any]]:
    """GOV.UK summary list rows saying where the place is: the map's text alternative."""
    rows = []
    if point:
        latitude, longitude = geometry.latitude_longitude(point)
        words = f"Latitude {latitude:.6f}, longitude {longitude:.6f}"
        grid = geometry.grid_reference(point)
        if grid:
            words += f" (British National Grid {grid})"
        rows.append({"key": {"text": "Location"}, "value": {"text": words}})
    if boundary:
        area = geometry.boundary_area(boundary)
        words = "Shown on the map" + (f", enclosing {area}" if area else "")
        rows.append({"key": {"text": "Boundary"}, "value": {"text": words}})
    return rows


def tiles() -> dict[str, Any]:
    """The tile source the deployment configured (MAP_TILE_URL), or none: then maps draw on a plain background."""
    chosen = settings()
    return {
        "url": chosen.map_tile_url or "",
        "attribution": chosen.map_tile_attribution,
        "max_zoom": chosen.map_tile_max_zoom,
    }


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        map_features=features, map_markers=markers, location_rows=location_rows, map_tiles=tiles
    )
