"""Maps on the pages: what each page says about where a place is, without relying on the map being drawn, the
register's map view and its filters, the nomination's location fields, and the tile server in the CSP."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from casework import examples
from casework.assets import AssetDetails
from casework.db import Database
from casework.queries import case_summary
from casework.services import nominations, postcodes
from tests.factories import list_pub, make_world
from tests.functional.web.conftest import make_app, sign_in_as
from tests.functional.web.test_forms import error_summary

pytestmark = pytest.mark.integration
YARD = "POLYGON ((-2.1005 52.1995, -2.0995 52.1995, -2.0995 52.2005, -2.1005 52.2005, -2.1005 52.1995))"


def _map_features(html: str, map_id: str) -> list[dict[str, Any]]:
    """The GeoJSON a page hands its map (map.js draws exactly this)."""
    found = re.search(r"data-features='([^']*)'[^>]*>\s*<div class=\"casework-map__canvas\" id=\"" + map_id, html)
    assert found, f"no map {map_id} on the page"
    return list(json.loads(found.group(1).replace("&#34;", '"')))


def test_a_register_entry_says_where_the_place_is_and_gives_its_map_the_point_and_boundary(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world, boundary=YARD))

    page = client.get(f"/register/BDC/{listing.reference}").get_data(as_text=True)

    assert "Latitude 52.200000, longitude -2.100000 (British National Grid easting 393262, northing 255757)" in page
    assert "Shown on the map, enclosing about 7,602 square metres" in page
    assert 'aria-label="Map of The Bull, its point and boundary"' in page
    features = _map_features(page, "entry-map")
    assert [f["geometry"]["type"] for f in features] == ["Polygon", "Point"]
    assert features[1]["geometry"]["coordinates"] == [-2.1, 52.2]
    assert features[0]["geometry"]["coordinates"][0][0] == [-2.1005, 52.1995]
    assert "vendor/leaflet/leaflet.js" in page and "map.js" in page


def test_the_register_map_shows_each_entry_with_a_location_linking_to_its_entry(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    list_pub(sqlite_db, world)
    list_pub(sqlite_db, world, name="The Cat and Fiddle", uprn="100012345679", boundary=YARD)

    page = client.get("/register/map").get_data(as_text=True)

    assert "2 of 2 entries have a location" in page
    features = _map_features(page, "register-map")
    by_name = {f["properties"]["name"]: f for f in features}
    assert set(by_name) == {"The Bull", "The Cat and Fiddle"}
    assert all(f["geometry"]["type"] == "Point" for f in features)
    assert by_name["The Bull"]["properties"]["url"].startswith("/register/BDC/")
    assert client.get(by_name["The Bull"]["properties"]["url"]).status_code == 200
    # The text alternative lists the same places, each a link to its entry.
    assert f'href="{by_name["The Cat and Fiddle"]["properties"]["url"]}">The Cat and Fiddle</a>' in page


def test_the_register_map_keeps_the_lists_filters_and_links_back_to_the_same_list(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    list_pub(sqlite_db, world)
    list_pub(sqlite_db, world, name="The Cat and Fiddle", uprn="100012345679")

    listed = client.get("/register?q=fiddle").get_data(as_text=True)
    assert 'href="/register/map?q=fiddle"' in listed
    page = client.get("/register/map?q=fiddle").get_data(as_text=True)

    assert [f["properties"]["name"] for f in _map_features(page, "register-map")] == ["The Cat and Fiddle"]
    assert "1 of 1 entry has a location" in page
    assert 'href="/register?q=fiddle"' in page
    assert 'action="/register/map"' in page


def test_a_register_map_with_no_entries_still_shows_a_labelled_map(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)

    page = client.get("/register/map")

    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "0 of 0 entries have a location" in html and _map_features(html, "register-map") == []


def test_the_officers_case_page_shows_the_assets_location_and_map(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world, boundary=YARD))
    sign_in_as(client, sqlite_db, world.officer.user_id)

    page = client.get(f"/officer/cases/{listing.reference}").get_data(as_text=True)

    assert "Latitude 52.200000, longitude -2.100000" in page
    assert [f["geometry"]["type"] for f in _map_features(page, "case-map")] == ["Polygon", "Point"]


def _draft(db: Database) -> tuple[Any, str]:
    world = make_world(db)
    case_id = nominations.save_draft(
        db,
        world.member,
        world.council_id,
        world.group_id,
        nominations.Nomination(asset=AssetDetails("The Green", "Ambridge")),
    )
    return world, case_summary(db, case_id).reference


def test_a_group_gives_the_point_and_boundary_as_text_and_both_are_saved_on_the_nomination(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world, reference = _draft(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id)

    step = client.get(f"/community/nominations/{reference}/land").get_data(as_text=True)
    assert 'data-mode="edit"' in step and 'data-point-field="latitude_longitude"' in step
    saved = client.post(
        f"/community/nominations/{reference}/land",
        data={"boundary_description": "The green and pond", "latitude_longitude": "52.2, -2.1", "boundary": YARD},
    )

    assert saved.status_code == 302
    asset = nominations.draft(sqlite_db, world.member, reference).nomination.asset
    assert asset.point == "POINT (-2.1 52.2)"
    assert asset.boundary == YARD
    again = client.get(f"/community/nominations/{reference}/land").get_data(as_text=True)
    assert 'value="52.2, -2.1"' in again and "POLYGON ((-2.1005 52.1995" in again


def test_the_nomination_map_opens_on_the_street_of_the_postcode_given_a_step_earlier(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    postcodes.load(sqlite_db, [examples.postcode_file()])  # has BS1 4ND, as the demo data does
    start = AssetDetails("The Bull", "1 High Street, Ambridge", postcode="bs1 4nd")
    case_id = nominations.save_draft(
        sqlite_db, world.member, world.council_id, world.group_id, nominations.Nomination(asset=start)
    )
    sign_in_as(client, sqlite_db, world.member.user_id)

    step = client.get(f"/community/nominations/{case_summary(sqlite_db, case_id).reference}/land").get_data(
        as_text=True
    )

    found = re.search(r"data-centre='(\[[^']*\])'", step)
    assert found, "the map is not told where to open"
    latitude, longitude = json.loads(found.group(1))
    assert postcodes.where_is(sqlite_db, "BS1 4ND") == (latitude, longitude)
    assert 52.1 < latitude < 52.3 and -2.2 < longitude < -2.0  # Borsetshire, where the demo file puts BS1 4ND
    assert "Where is it? Latitude and longitude, if you know them" in step  # the text alternative stays


def test_the_nomination_map_without_a_known_postcode_is_told_no_centre(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world, reference = _draft(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id)

    step = client.get(f"/community/nominations/{reference}/land").get_data(as_text=True)

    assert 'data-mode="edit"' in step and "data-centre" not in step


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("52.2 -2.1", "Enter the latitude and longitude as two numbers separated by a comma, like 52.1951, -2.0950"),
        ("north, west", "Enter the latitude and longitude as two numbers separated by a comma, like 52.1951, -2.0950"),
        ("-2.1, 152.2", None),
        ("152.2, -2.1", "Enter a latitude between -90 and 90, then a longitude between -180 and 180"),
    ],
)
def test_a_latitude_and_longitude_that_cannot_be_read_is_refused_not_dropped(
    client: FlaskClient, sqlite_db: Database, typed: str, message: str | None
) -> None:
    world, reference = _draft(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id)

    answer = client.post(
        f"/community/nominations/{reference}/land",
        data={"boundary_description": "The green", "latitude_longitude": typed},
    )

    if message is None:  # in range, if an odd place: saved as typed
        assert answer.status_code == 302
        return
    assert answer.status_code == 200
    assert error_summary(answer.get_data(as_text=True)) == [message]
    assert nominations.draft(sqlite_db, world.member, reference).nomination.asset.point is None


def test_a_boundary_that_crosses_itself_is_refused_on_its_own_field(client: FlaskClient, sqlite_db: Database) -> None:
    world, reference = _draft(sqlite_db)
    sign_in_as(client, sqlite_db, world.member.user_id)
    bow_tie = "POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"

    answer = client.post(
        f"/community/nominations/{reference}/land", data={"boundary_description": "The green", "boundary": bow_tie}
    )

    assert error_summary(answer.get_data(as_text=True)) == [
        "The boundary crosses itself; draw it again without overlapping edges"
    ]
    assert 'href="#boundary"' in answer.get_data(as_text=True)


def test_pages_may_load_images_from_the_configured_tile_server_and_nowhere_else(
    sqlite_db: Database, tmp_path: Path
) -> None:
    tiles = "https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key=k"
    app = make_app(sqlite_db, tmp_path, settings={"map_tile_url": tiles, "map_tile_attribution": "Contains OS data"})
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))

    with app.test_client() as client:
        answer = client.get(f"/register/BDC/{listing.reference}")

    policy = answer.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://api.os.uk" in policy
    assert "script-src 'self'" in policy and "api.os.uk" not in policy.split("img-src")[0]
    page = answer.get_data(as_text=True)
    assert 'data-tile-url="https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key=k"' in page
    assert 'data-tile-attribution="Contains OS data"' in page


def test_a_tile_url_that_is_not_a_web_address_stops_the_app_starting_with_a_sentence(
    sqlite_db: Database, tmp_path: Path
) -> None:
    with pytest.raises(RuntimeError, match="MAP_TILE_URL must be an http"):
        make_app(sqlite_db, tmp_path, settings={"map_tile_url": "tiles/{z}/{x}/{y}.png"})
