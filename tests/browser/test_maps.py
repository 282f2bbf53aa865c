"""Maps in real Chromium: the geometry each map draws (read through Leaflet's own API and the SVG it makes), the
register's map linking to entries, a group placing the point and drawing the boundary of land it nominates, the
Content Security Policy left as it is, and a map drawn on a plain background when the tile server cannot be reached.

The tests check the drawn geometry, never tiles: no tile server is reachable here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from casework import examples
from casework.assets import AssetDetails
from casework.db import Database
from casework.queries import case_summary
from casework.services import accounts, nominations, postcodes
from casework.services.accounts import RoleGrant
from tests.browser.conftest import DESKTOP_ONLY, Accessibility, LiveSite, serve
from tests.browser.test_journey import PASSWORD, _continue, _follow, _sign_in
from tests.factories import World, list_pub, make_world
from workflows.roles import Role

pytestmark = pytest.mark.browser
YARD = "POLYGON ((-2.1005 52.1995, -2.0995 52.1995, -2.0995 52.2005, -2.1005 52.2005, -2.1005 52.1995))"

# Every layer a map has drawn, through Leaflet's public API: markers with their alt text, areas with their corners.
DRAWN = """id => {
  const drawn = []
  window.caseworkMaps[id].eachLayer(layer => {
    if (layer instanceof L.Marker) {
      const at = layer.getLatLng()
      drawn.push({marker: layer.options.alt, at: [at.lat, at.lng]})
    }
    else if (layer instanceof L.Polygon) drawn.push({area: layer.getLatLngs()[0].map(p => [p.lat, p.lng])})
  })
  return drawn
}"""


def _click_map(page: Any, map_id: str, x: int, y: int) -> dict[str, float]:
    """Click the map at the point (x, y) inside its border, and return where Leaflet says the click landed
    (the browser rounds the mouse to whole pixels, so this is read from the click itself)."""
    rect = page.evaluate(
        f"""() => {{
          const c = document.getElementById('{map_id}'), r = c.getBoundingClientRect()
          window.caseworkMaps['{map_id}'].once('click', event => {{ window.lastMapClick = event.latlng }})
          return {{x: r.left + c.clientLeft, y: r.top + c.clientTop}}
        }}"""
    )
    page.mouse.click(rect["x"] + x, rect["y"] + y)
    page.wait_for_timeout(100)
    latlng: dict[str, float] = page.evaluate("() => window.lastMapClick")
    return latlng


def _signed_in_member(site: LiveSite, world: World) -> str:
    grant = RoleGrant(Role.COMMUNITY_MEMBER, organisation_id=world.group_id)
    accounts.create_user(site.db, "gina@example.org", "Gina Group", password=PASSWORD, grants=(grant,))
    return "gina@example.org"


def test_a_register_entry_draws_the_assets_boundary_and_point_on_a_plain_background_with_a_scale(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    world = make_world(live_site.db)
    listing = case_summary(live_site.db, list_pub(live_site.db, world, boundary=YARD))

    page.goto(f"/register/BDC/{listing.reference}")
    axe.check(page)

    page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['entry-map']")
    drawn = page.evaluate(DRAWN, "entry-map")
    assert {"marker": "The Bull", "at": [52.2, -2.1]} in drawn
    areas = [item["area"] for item in drawn if "area" in item]
    assert areas == [[[52.1995, -2.1005], [52.1995, -2.0995], [52.2005, -2.0995], [52.2005, -2.1005]]]
    # What a person sees: an SVG area, a marker named for the place, a scale bar, and no tiles behind them.
    assert page.locator("#entry-map .leaflet-overlay-pane svg path").count() == 1
    assert page.locator("#entry-map img.leaflet-marker-icon[alt='The Bull']").is_visible()
    assert "50 m" in page.locator("#entry-map .leaflet-control-scale").inner_text()
    assert page.locator("#entry-map .leaflet-tile").count() == 0
    assert page.get_by_text("The map shows the place on a plain background, with a scale.").is_visible()
    # The map is a labelled region reached with the keyboard (Leaflet pans it with the arrow keys).
    region = page.get_by_role("region", name="Map of The Bull, its point and boundary")
    assert region.get_attribute("tabindex") == "0"
    centre = page.evaluate("() => window.caseworkMaps['entry-map'].getCenter().lng")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => window.caseworkMaps['entry-map'].getCenter().lng > {centre}")
    assert axe.violations == [], "\n".join(axe.violations)


def test_the_register_map_marks_every_entry_with_a_location_and_each_marker_leads_to_its_entry(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    world = make_world(live_site.db)
    list_pub(live_site.db, world)
    list_pub(live_site.db, world, name="The Cat and Fiddle", uprn="100012345679", boundary=YARD)

    page.goto("/register")
    _follow(page, axe, page.get_by_role("link", name="Show these entries on a map"))
    page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['register-map']")

    drawn = page.evaluate(DRAWN, "register-map")
    assert sorted(item["marker"] for item in drawn) == ["The Bull", "The Cat and Fiddle"]
    assert {"marker": "The Bull", "at": [52.2, -2.1]} in drawn
    assert page.locator("#register-map img.leaflet-marker-icon").count() == 2
    # A marker opened from the keyboard shows the entry's name as a link, and the link goes to the entry.
    page.locator("#register-map img.leaflet-marker-icon[alt='The Cat and Fiddle']").focus()
    page.keyboard.press("Enter")
    link = page.locator("#register-map .leaflet-popup").get_by_role("link", name="The Cat and Fiddle")
    assert link.is_visible()
    axe.check(page)
    _follow(page, axe, link)
    assert page.get_by_role("heading", name="The Cat and Fiddle", level=1).is_visible()
    assert axe.violations == [], "\n".join(axe.violations)


def test_a_member_places_the_point_and_draws_the_boundary_on_the_map_and_both_are_saved_on_the_nomination(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    world = make_world(live_site.db)
    email = _signed_in_member(live_site, world)
    start = AssetDetails("The Green", "Village green, Ambridge", category="park", point="POINT (-2.1 52.2)")
    case_id = nominations.save_draft(
        live_site.db, world.member, world.council_id, world.group_id, nominations.Nomination(asset=start)
    )
    reference = case_summary(live_site.db, case_id).reference
    _sign_in(page, axe, email)

    page.goto(f"/community/nominations/{reference}/land")
    axe.check(page)
    page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['nomination-map']")
    assert page.evaluate(DRAWN, "nomination-map") == [{"marker": "The point you placed", "at": [52.2, -2.1]}]
    page.get_by_label("Describe the land and its boundaries").fill("The green and its pond")

    # A click on the map moves the point there and writes it in the latitude and longitude box.
    page.locator("#nomination-map").scroll_into_view_if_needed()
    clicked = _click_map(page, "nomination-map", 120, 90)
    typed = page.get_by_label("Where is it?").input_value()
    assert typed == f"{clicked['lat']:.6f}, {clicked['lng']:.6f}"
    assert page.get_by_role("status").filter(has_text="The point is at latitude").is_visible()

    # "Draw the boundary", then each corner, then the first corner again: the boundary box gets the polygon's WKT.
    page.get_by_role("button", name="Draw the boundary").click()
    corners = [(150, 120), (270, 120), (280, 230), (160, 240)]
    at = [_click_map(page, "nomination-map", x, y) for x, y in corners]
    _click_map(page, "nomination-map", *corners[0])
    ring = ", ".join(f"{p['lng']:.6f} {p['lat']:.6f}" for p in [*at, at[0]])
    assert page.locator("[name=boundary]").input_value() == f"POLYGON (({ring}))"
    axe.check(page)

    _continue(page, axe)
    asset = nominations.draft(live_site.db, world.member, reference).nomination.asset
    latitude, longitude = (float(part) for part in typed.split(", "))
    assert asset.point == f"POINT ({longitude} {latitude})"
    assert asset.boundary is not None and asset.boundary.startswith(f"POLYGON (({at[0]['lng']:.6f} {at[0]['lat']:.6f}")

    # Back on the step, the map draws what was saved.
    page.goto(f"/community/nominations/{reference}/land")
    page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['nomination-map']")
    drawn = page.evaluate(DRAWN, "nomination-map")
    assert {"marker": "The point you placed", "at": [latitude, longitude]} in drawn
    assert len([item for item in drawn if "area" in item]) == 1
    assert axe.violations == [], "\n".join(axe.violations)


@DESKTOP_ONLY
def test_the_nomination_map_opens_at_street_scale_on_the_postcode_given_a_step_earlier(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    world = make_world(live_site.db)
    email = _signed_in_member(live_site, world)
    postcodes.load(live_site.db, [examples.postcode_file()])
    start = AssetDetails("The Bull", "1 High Street, Ambridge", postcode="BS1 4ND")  # no point or boundary yet
    case_id = nominations.save_draft(
        live_site.db, world.member, world.council_id, world.group_id, nominations.Nomination(asset=start)
    )
    reference = case_summary(live_site.db, case_id).reference
    _sign_in(page, axe, email)

    page.goto(f"/community/nominations/{reference}/land")
    page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['nomination-map']")

    where = postcodes.where_is(live_site.db, "BS1 4ND")
    assert where is not None
    centre = page.evaluate("() => window.caseworkMaps['nomination-map'].getCenter()")
    assert abs(centre["lat"] - where[0]) < 1e-4 and abs(centre["lng"] - where[1]) < 1e-4
    assert page.evaluate("() => window.caseworkMaps['nomination-map'].getZoom()") >= 16  # a street, not Britain
    assert page.evaluate(DRAWN, "nomination-map") == []  # nothing placed for the group
    axe.check(page)
    assert axe.violations == [], "\n".join(axe.violations)


@DESKTOP_ONLY
def test_a_keyboard_user_moves_the_map_and_puts_the_point_at_its_centre(
    page: Any, live_site: LiveSite, axe: Accessibility
) -> None:
    world = make_world(live_site.db)
    email = _signed_in_member(live_site, world)
    start = AssetDetails("The Green", "Village green, Ambridge", point="POINT (-2.1 52.2)")
    case_id = nominations.save_draft(
        live_site.db, world.member, world.council_id, world.group_id, nominations.Nomination(asset=start)
    )
    reference = case_summary(live_site.db, case_id).reference
    _sign_in(page, axe, email)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/community/nominations/{reference}/land")
    page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['nomination-map']")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    page.get_by_role("region", name="Map for placing the point and drawing the boundary of the land").focus()
    page.evaluate("() => window.caseworkMaps['nomination-map'].once('moveend', () => { window.mapMoved = true })")
    page.keyboard.press("ArrowUp")
    page.wait_for_function("() => window.mapMoved")
    assert page.evaluate("() => window.caseworkMaps['nomination-map'].getCenter().lat") > 52.2
    page.get_by_role("button", name="Put the point at the centre of the map").click()

    centre = page.evaluate("() => window.caseworkMaps['nomination-map'].getCenter()")
    assert page.get_by_label("Where is it?").input_value() == f"{centre['lat']:.6f}, {centre['lng']:.6f}"
    axe.check(page)
    assert axe.violations == [], "\n".join(axe.violations)


def test_the_maps_work_under_the_sites_content_security_policy(browser: Any, live_site: LiveSite) -> None:
    """The other tests let axe-core in by bypassing the CSP; this one keeps it and fails on anything it refuses."""
    world = make_world(live_site.db)
    listing = case_summary(live_site.db, list_pub(live_site.db, world, boundary=YARD))
    email = _signed_in_member(live_site, world)
    draft = nominations.save_draft(
        live_site.db, world.member, world.council_id, world.group_id,
        nominations.Nomination(asset=AssetDetails("The Green", "Ambridge", point="POINT (-2.1 52.2)")),
    )  # fmt: skip
    context = browser.new_context(base_url=live_site.base_url)
    page = context.new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    try:
        page.goto(f"/register/BDC/{listing.reference}")
        page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['entry-map']")
        page.goto("/register/map")
        page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['register-map']")
        page.locator("#register-map img.leaflet-marker-icon").click()
        page.locator("#register-map .leaflet-popup").wait_for()
        page.goto("/account/sign-in")  # signed in by hand: axe-core, which _sign_in runs, cannot load under the CSP
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.goto(f"/community/nominations/{case_summary(live_site.db, draft).reference}/land")
        page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['nomination-map']")
        page.get_by_role("button", name="Draw the boundary").click()
        for x, y in ((100, 100), (200, 100), (200, 200), (100, 100)):
            _click_map(page, "nomination-map", x, y)
        assert page.locator("[name=boundary]").input_value().startswith("POLYGON ((")
    finally:
        context.close()
    assert refused == []


@pytest.fixture
def offline_tiles_site(sqlite_db: Database, tmp_path: Path) -> Iterator[LiveSite]:
    """The site configured with a tile server that does not answer (nothing listens on port 9)."""
    yield from serve(
        sqlite_db,
        tmp_path,
        map_tile_url="http://127.0.0.1:9/tiles/{z}/{x}/{y}.png",
        map_tile_attribution="Tiles from the council's map server",
    )


def test_when_the_tile_server_cannot_be_reached_the_map_still_draws_the_place_and_says_why(
    browser: Any, offline_tiles_site: LiveSite
) -> None:
    world = make_world(offline_tiles_site.db)
    listing = case_summary(offline_tiles_site.db, list_pub(offline_tiles_site.db, world, boundary=YARD))
    context = browser.new_context(base_url=offline_tiles_site.base_url)
    try:
        page = context.new_page()
        page.goto(f"/register/BDC/{listing.reference}")
        page.wait_for_function("() => window.caseworkMaps && window.caseworkMaps['entry-map']")
        status = page.locator("#entry-map ~ .casework-map__status")
        status.wait_for()
        assert "could not be loaded" in status.inner_text()
        assert page.evaluate(DRAWN, "entry-map")[-1] == {"marker": "The Bull", "at": [52.2, -2.1]}
        assert page.locator("#entry-map .leaflet-overlay-pane svg path").count() == 1
        assert (
            "Tiles from the council's map server"
            in page.locator("#entry-map .leaflet-control-attribution").inner_text()
        )
        assert page.locator("#entry-map .leaflet-control-scale").is_visible()
    finally:
        context.close()


def test_without_javascript_the_land_step_has_no_map_controls_and_its_text_boxes_still_save_the_location(
    browser: Any, live_site: LiveSite
) -> None:
    world = make_world(live_site.db)
    email = _signed_in_member(live_site, world)
    case_id = nominations.save_draft(
        live_site.db, world.member, world.council_id, world.group_id,
        nominations.Nomination(asset=AssetDetails("The Green", "Ambridge")),
    )  # fmt: skip
    reference = case_summary(live_site.db, case_id).reference
    context = browser.new_context(base_url=live_site.base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/account/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.goto(f"/community/nominations/{reference}/land")

        assert not page.get_by_role("button", name="Draw the boundary").is_visible()
        assert not page.get_by_text("Show it on the map").is_visible()
        assert not page.locator("#nomination-map").is_visible()
        page.get_by_label("Describe the land and its boundaries").fill("The green")
        page.get_by_label("Where is it?").fill("52.2, -2.1")
        page.locator("[name=boundary]").fill(YARD)
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()
    finally:
        context.close()
    asset = nominations.draft(live_site.db, world.member, reference).nomination.asset
    assert (asset.point, asset.boundary) == ("POINT (-2.1 52.2)", YARD)
