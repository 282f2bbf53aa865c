"""A case as the people on it see it (a group, an owner): its dates, its story, what they can do now."""

from flask import Blueprint

bp = Blueprint("cases", __name__)

from web.cases import views  # noqa: E402,F401  (registers the routes on bp)
