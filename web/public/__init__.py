"""Pages for everyone: the register, its downloads, the date calculator and alerts."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from web.public import downloads, views  # noqa: E402,F401  (registers the routes on bp)
