"""The second B4 baseline: the work queue page's own template rendered by Jinja from data read once, at start.

Why: hello is the floor of Flask and gunicorn; a server-rendered GOV.UK page
costs far more than that to render whatever its queries do. This app is the
site itself (`web.app.create_app`, the same settings, extensions and
templates) with one more route, `bench.web.RENDERED`, that renders the officer's queue page
(`web.officer.queue.render_queue`) from a QueuePage and problems fetched when
the worker starts. The ratio of the real page to this one is what our
queries, signing in and access checks add over rendering the page itself.

`gunicorn bench.rendered:application` with the site's environment (DATABASE_URL of
the B4 data set); `BENCH_OFFICER` names the officer whose queue is shown.
"""

from __future__ import annotations

import os

from flask import g
from sqlalchemy import select

from bench.web import RENDERED
from casework.clock import london_date, utcnow
from casework.models import User
from casework.queries.people import user_view
from casework.queries.problems import council_problems
from casework.queries.queue import queue_filters, work_queue
from casework.services import accounts
from web.app import create_app
from web.auth import default_role
from web.extensions import casework_db
from web.officer.queue import render_queue
from workflows.roles import Role

OFFICER = os.environ.get("BENCH_OFFICER", "officer@b001.example.gov.uk")
COUNCIL = os.environ.get("BENCH_COUNCIL", "B001")

application = create_app()

with application.app_context():
    _db = casework_db()
    with _db.reader() as _session:
        _user_id = _session.scalars(select(User.id).where(User.email == OFFICER)).one()
    _user = user_view(_db, _user_id)
    _actor = accounts.actor_for(_db, _user_id, Role.OFFICER, COUNCIL)
    _page = work_queue(_db, _actor, queue_filters({}), today=london_date(utcnow()))
    _problems, _problem_count = council_problems(_db, _actor)


def rendered() -> str:
    """The queue page as the officer sees it, with nothing read: the signed-in person is the one read at start."""
    assert _user is not None  # found at start, or the app would not have started
    g.user, g.acting = _user, default_role(_user)
    return render_queue(_page, _problems, _problem_count, {})


application.add_url_rule(RENDERED, "bench_queue_rendered", rendered)
