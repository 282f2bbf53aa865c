"""The register as files: planning.data.gov.uk CSV, GeoJSON, JSON (each the whole register), a paged Atom feed
and iCalendar."""

from __future__ import annotations

from flask import Response, request
from flask.typing import ResponseReturnValue

from casework.clock import utcnow
from casework.queries import register
from casework.queries.entry_views import EntryView
from casework.register import exports
from web import paging
from web.extensions import casework_db, settings
from web.public import bp


def _filters() -> tuple[str | None, str | None]:
    council = request.args.get("council") or None
    list_kind = request.args.get("list") if request.args.get("list") in ("listed", "unsuccessful") else None
    return council, list_kind


def _entries() -> list[EntryView]:
    return register.everything(casework_db(), *_filters())


def _file(body: str | bytes, mimetype: str, name: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data
    return response


@bp.route("/register.csv")
def register_csv() -> ResponseReturnValue:
    return _file(exports.to_csv(_entries()), "text/csv", "asset-of-community-value.csv")


@bp.route("/register.geojson")
def register_geojson() -> ResponseReturnValue:
    body = exports.dumps(exports.to_geojson(_entries(), settings().base_url))
    return _file(body, "application/geo+json", "asset-of-community-value.geojson")


@bp.route("/register.json")
def register_json() -> ResponseReturnValue:
    body = exports.dumps(exports.to_json(_entries(), settings().base_url))
    return _file(body, "application/json", "asset-of-community-value.json")


@bp.route("/register.atom")
def register_atom() -> ResponseReturnValue:
    """A paged feed (RFC 5005 section 3): every item is on some page, reached from the first by `next` links."""
    page = register.feed_page(casework_db(), *_filters(), paging.page_number())
    links = paging.page_links(page.page, page.pages)
    body = exports.to_atom(
        page,
        settings().base_url,
        title="Assets of community value: new listings and owners' notices",
        links=links,
        now=utcnow(),
    )
    response = _file(body, "application/atom+xml", "register.atom")
    response.headers["Link"] = paging.link_header(links)
    return response


@bp.route("/register.ics")
def register_ics() -> ResponseReturnValue:
    return _file(exports.to_ical(_entries(), settings().base_url, now=utcnow()), "text/calendar", "moratoria.ics")
