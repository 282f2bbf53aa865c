"""Council admins: users and roles, council settings, workflow diagrams, importing a register."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from web.admin import details, policies, postcodes, views  # noqa: E402,F401  (registers the routes on bp)
