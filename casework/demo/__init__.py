"""Demonstration data for `make run`: a council, one user per role, a pub, a library and a park, and postcodes.

Dates are set relative to today, so the demo always shows live clocks: a pub in
its full moratorium, a library nomination nearing its decision date, a park
just nominated, and a shop on the unsuccessful list. Loading twice does nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from casework import clock, examples
from casework.db import Database
from casework.demo import community_value, people, transfers
from casework.demo.steps import Setting
from casework.models import Council, User
from casework.services import council_details, postcodes
from workflows.roles import Role


def credentials() -> str:
    lines = [f"Demo users (password for each: {people.PASSWORD})"]
    lines += [f"  {role.value:17} {email}" for email, _, role in people.USERS]
    return "\n".join(lines)


def is_loaded(db: Database) -> bool:
    """Whether the demo sign-ins exist, so that they are offered only where they work."""
    with db.reader() as session:
        return session.scalars(select(User.id).where(User.email == people.USERS[0][0])).first() is not None


def load(db: Database, *, today: date | None = None) -> str:
    """Load the demo council and its cases, unless already there; returns what to print."""
    with db.reader() as session:
        if session.scalars(select(Council.id).where(Council.code == people.CODE)).first() is not None:
            return "Demo data is already loaded.\n" + credentials()
    today = today or clock.london_date(clock.utcnow())
    council_id, friends = people.councils_and_groups(db)
    actors = people.users(db, friends)
    postcodes.load(db, [examples.postcode_file()])  # a few of Borsetshire's, so that alerts by postcode work
    council_details.set_my_details(db, actors[Role.COUNCIL_ADMIN], people.CONTACT)
    setting = Setting(db, council_id, friends, actors, today)
    community_value.load(setting)
    transfers.load(setting)
    return f"Loaded demo data for Borsetshire District Council ({people.CODE}).\n" + credentials()
