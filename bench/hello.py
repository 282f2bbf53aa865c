"""The B4 baseline: a bare Flask "hello" served by the same gunicorn settings as the site (`bench.hello:application`).

Why a separate module: gunicorn imports it on its own, so it must load
nothing of casework; what it measures is Flask and gunicorn with no
session, database or template, the floor any page of ours stands on.
"""

from __future__ import annotations

from flask import Flask

application = Flask(__name__)


@application.route("/", methods=["GET", "POST"])
def hello() -> str:
    return "Hello, World!"
