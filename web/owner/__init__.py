"""Owners of listed land (and their agents): notices of intended sale, reviews, compensation claims."""

from flask import Blueprint

bp = Blueprint("owner", __name__)

from web.owner import views  # noqa: E402,F401  (registers the routes on bp)
