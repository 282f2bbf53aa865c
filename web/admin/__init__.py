"""Council admins: users and roles, council settings, policies, workflow diagrams, importing a register."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

# Importing each module registers its routes on bp.
from web.admin import (  # noqa: E402,F401
    council_settings,
    details,
    policies,
    postcodes,
    register_import,
    views,
)
