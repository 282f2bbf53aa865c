"""The Content Security Policy every page gets: our own scripts, styles and images, nothing inline.

The one outside origin a page may use is the map tile server the deployment configures (MAP_TILE_URL), for images
alone; with none configured the maps draw on a plain background and nothing outside is allowed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def tile_origin(tile_url: str) -> str:
    """The origin a tile URL template loads from, as a CSP source (`{s}` subdomains become a wildcard).

    Raises ValueError with a sentence for whoever set MAP_TILE_URL.
    """
    parts = urlsplit(tile_url.replace("{s}", "tiles-subdomain"))
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(
            f"MAP_TILE_URL must be an http(s) URL template like https://host/{{z}}/{{x}}/{{y}}.png, not {tile_url!r}"
        )
    host = parts.netloc.rsplit("@", 1)[-1].replace("tiles-subdomain", "*")
    return f"{parts.scheme}://{host}"


def policy(tile_url: str | None) -> dict[str, str]:
    """The policy for this deployment: CSP, with the map tile server's origin added to img-src when there is one."""
    if not tile_url:
        return dict(CSP)
    return {**CSP, "img-src": f"{CSP['img-src']} {tile_origin(tile_url)}"}
