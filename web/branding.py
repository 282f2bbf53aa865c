"""Whose service a page belongs to: the council in context gives the header its name and logo and the footer its
contact details; with no council in context in a deployment several councils share, a neutral header with the
service's name. GOV.UK's crown and logotype are for services on GOV.UK, which these pages are not.

Also the accessibility statement every page links to (Public Sector Bodies (Websites and Mobile Applications)
(No. 2) Accessibility Regulations 2018, reg.8) and the council's logo.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date

from flask import Blueprint, Flask, Response, abort, g, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

from casework.errors import NotFound
from casework.services import council_details
from casework.services.council_details import CouncilDetails
from casework.vocabulary import STAFF_ROLES
from web.extensions import casework_db, storage

bp = Blueprint("branding", __name__)
log = logging.getLogger(__name__)

# When the statement's text (below, in the template) was prepared and the service last tested against WCAG 2.2 AA.
STATEMENT_PREPARED = date(2026, 12, 5)


def show_council(code: str) -> None:
    """Name the council a page is about (a register entry, a council's filtered register), for its header."""
    g.brand_code = code


def show_council_id(council_id: uuid.UUID) -> None:
    """Name, by its id, the council a page is about: a case belongs to one council, whoever looks at it."""
    g.brand_id = council_id


def council_in_context() -> CouncilDetails | None:
    """The council whose header and footer a page shows, looked up once per request.

    In order: the one the view named; the council a member of staff is acting for; the only council the
    deployment serves. None (a neutral header) when councils share the deployment and none is in context.
    """
    if "brand" not in g:
        try:
            g.brand = _find()
        except SQLAlchemyError:  # the error page for a database that is down must still render: neutral header
            log.warning("no council header: the database did not answer", exc_info=True)
            g.brand = None
    brand: CouncilDetails | None = g.brand
    return brand


def _find() -> CouncilDetails | None:
    acting = g.get("acting")
    code = g.get("brand_code") or (acting.council_code if acting and acting.role in STAFF_ROLES else None)
    try:
        if code:
            return council_details.details_by_code(casework_db(), code)
        if g.get("brand_id"):
            return council_details.details(casework_db(), g.brand_id)
    except NotFound:
        return None
    return council_details.only_council(casework_db())


def register(app: Flask) -> None:
    app.context_processor(lambda: {"brand": council_in_context()})
    app.register_blueprint(bp)


@bp.route("/accessibility")
def accessibility_statement() -> ResponseReturnValue:
    brand = council_in_context()
    councils = [brand] if brand else council_details.every_council(casework_db())
    return render_template("public/accessibility.html", councils=councils, prepared=STATEMENT_PREPARED)


@bp.route("/favicon.ico")
def no_icon() -> ResponseReturnValue:
    """Browsers ask for /favicon.ico whatever the page says. GOV.UK's icons are its crown, which is not ours to use,
    so the answer is "no icon" (the browser shows its own) rather than a 404 in every page's console."""
    return "", 204, {"Cache-Control": "public, max-age=86400"}


@bp.route("/councils/<code>/logo")
def logo(code: str) -> ResponseReturnValue:
    try:
        found = council_details.logo(casework_db(), storage(), code)
    except NotFound:
        abort(404)
    response = Response(found.content, mimetype=found.content_type)
    response.set_etag(found.etag)
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
