"""The drills' PostgreSQL databases: each one this run's own, named for its process, dropped when it ends.

The regular tests name theirs `<TEST_DATABASE_URL's name>_<xdist worker>`: `_master` for every run without
`-n`. A drill on `_master` shared it with any such run on the same server and URL, which drops and creates it
again as it starts and empties it after each test; a drill that lost its rows that way failed with
"There is no council with the id ..." (issue 18, item 12). A database named for the drill's own process cannot
be another run's, however many run at once, from whatever clone.

A run killed outright (SIGKILL) leaves its database behind: its name says which process made it.
"""

from __future__ import annotations

import os

from sqlalchemy import URL, create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_DEFAULT, START_POSTGRES, require_service

MAX_NAME = 63  # PostgreSQL's limit on a database name, in bytes


def base_url() -> URL:
    return make_url(os.environ.get("TEST_DATABASE_URL", PG_DEFAULT))


def own_name(purpose: str) -> str:
    """`<TEST_DATABASE_URL's name>_<purpose>_<pid>`: no other process's, and never a name the regular tests use."""
    suffix = f"_{purpose}_{os.getpid()}"
    return f"{str(base_url().database)[: MAX_NAME - len(suffix)]}{suffix}"


def create(purpose: str) -> URL:
    """A new, empty database of this process's own (one a killed run of the same pid left is replaced)."""
    url = base_url()
    name = own_name(purpose)
    try:
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:  # any connection failure means: no PostgreSQL here
        require_service("PostgreSQL", f"{type(exc).__name__} at {url}", START_POSTGRES)
    return url.set(database=name)


def drop(url: URL) -> None:
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()
