"""Creating an account, signing in and out, passwords, roles and API tokens."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from web.account import views  # noqa: E402,F401  (registers the routes on bp)
