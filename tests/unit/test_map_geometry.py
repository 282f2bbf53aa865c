"""Where a place is, in words (the maps' text alternative), and which tile server a page may load images from."""

from __future__ import annotations

import pytest

from casework import geometry
from casework.config import Settings
from web.app_security import CSP, policy, tile_origin

PUB_YARD = "POLYGON ((-2.1 52.2, -2.099 52.2, -2.099 52.201, -2.1 52.201, -2.1 52.2))"


def test_a_point_in_england_is_given_as_its_british_national_grid_easting_and_northing() -> None:
    # Checked against pyproj's own EPSG:27700 transformation: 1 km grid squares, to the metre.
    assert geometry.grid_reference("POINT (-2.1 52.2)") == "easting 393262, northing 255757"


def test_a_point_outside_great_britain_has_no_national_grid_reference() -> None:
    assert geometry.grid_reference("POINT (10 10)") is None


def test_a_boundary_is_described_by_the_area_it_encloses() -> None:
    # 0.001 degrees of longitude by 0.001 of latitude at 52.2 N: about 68 m by 111 m.
    assert geometry.boundary_area(PUB_YARD) == "about 7,602 square metres"
    big = "POLYGON ((-2.1 52.2, -2.09 52.2, -2.09 52.21, -2.1 52.21, -2.1 52.2))"
    assert geometry.boundary_area(big) == "about 76.0 hectares"


def test_latitude_comes_before_longitude_when_a_point_is_read_out() -> None:
    assert geometry.latitude_longitude("POINT (-2.095 52.195)") == (52.195, -2.095)


def test_no_tile_server_adds_nothing_to_the_content_security_policy() -> None:
    assert policy(None) == CSP


def test_the_tile_servers_origin_alone_is_added_to_the_images_a_page_may_load() -> None:
    chosen = policy("https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key=secret")

    assert chosen["img-src"] == "'self' data: https://api.os.uk"
    assert chosen["script-src"] == "'self'" and chosen["connect-src"] == "'self'"
    assert "secret" not in " ".join(chosen.values())


def test_tile_subdomains_become_a_wildcard_host() -> None:
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"


@pytest.mark.parametrize("wrong", ["javascript:alert(1)", "tiles/{z}/{x}/{y}.png", "ftp://tiles.example/{z}"])
def test_a_tile_url_that_is_not_a_web_address_is_refused_with_a_sentence(wrong: str) -> None:
    with pytest.raises(ValueError, match="MAP_TILE_URL must be an http"):
        tile_origin(wrong)


def test_the_tile_source_is_read_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "MAP_TILE_URL": "https://tiles.example/{z}/{x}/{y}.png",
            "MAP_TILE_ATTRIBUTION": "© Example",
            "MAP_TILE_MAX_ZOOM": "18",
        }
    )

    assert settings.map_tile_url == "https://tiles.example/{z}/{x}/{y}.png"
    assert settings.map_tile_attribution == "© Example" and settings.map_tile_max_zoom == 18
    assert Settings.from_env({}).map_tile_url is None
