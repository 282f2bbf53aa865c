"""The JSON API under /api/v1: bearer tokens, the same rules as the pages, RFC 9457 problem details."""

from flask import Blueprint

bp = Blueprint("api", __name__)

# Importing each module registers its routes and error handlers on bp.
from web.api import assessment, callbacks, records, refusals, submissions, views  # noqa: E402,F401
