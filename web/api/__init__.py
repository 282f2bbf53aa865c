"""The JSON API under /api/v1: bearer tokens, the same rules as the pages, RFC 9457 problem details."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from web.api import callbacks, records, views  # noqa: E402,F401  (registers the routes on bp)
