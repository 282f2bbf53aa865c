"""Community groups: their profile, nominations (multi-page, save and return), bids and their cases."""

from flask import Blueprint

bp = Blueprint("community", __name__)

from web.community import groups, nominations, transfers, views  # noqa: E402,F401  (registers the routes on bp)
