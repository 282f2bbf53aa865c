"""Council officers: the work queue, the case page with its actions, and reports."""

from flask import Blueprint

bp = Blueprint("officer", __name__)

from web.officer import letters, queue, reports, transfers, views  # noqa: E402,F401  (registers the routes on bp)
