"""Shared fixtures: real SQLite and PostgreSQL databases, migrated by Alembic, cleaned between tests.

PostgreSQL comes from TEST_DATABASE_URL, or the server on 127.0.0.1:5432. When
it is not running, its tests skip with a reason saying how to start it; with
CI=true they fail instead, so a missing service can never pass silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

os.environ.setdefault("CELERY_BROKER_URL", "you-forgot-to-start-a-real-broker://")
os.environ.pop("DATABASE_URL", None)  # tests never touch the developer's database

from casework.db import Database
from casework.migrate import upgrade_to_head
from casework.models import Base

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# No per-example deadline: the first example to touch a year computes its bank holidays, and on a busy
# two-core machine that alone can pass hypothesis's 200 ms (a slow example is not a wrong answer).
settings.register_profile("casework", deadline=None)
settings.load_profile("casework")

# The drills (tests/drills) run in full under `make drills` (CASEWORK_DRILLS=1) and as a quick pass in every
# other run, `make test` included: see tests/drills/conftest.py.


def require_service(name: str, problem: str, how_to_start: str) -> None:
    """Skip (or, in CI, fail) a test that needs a service that is not there."""
    message = f"{name} is not available ({problem}); start it with: {how_to_start}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a fresh copy (much faster than migrating again)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    database = Database(f"sqlite:///{path}")
    upgrade_to_head(database)
    database.dispose()
    return path


@pytest.fixture
def sqlite_db(_sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "casework.db"
    shutil.copy(_sqlite_template, path)
    database = Database(f"sqlite:///{path}")
    yield database
    database.dispose()


def _postgres_url(worker_id: str) -> str:
    base = make_url(os.environ.get("TEST_DATABASE_URL", PG_DEFAULT))
    return base.set(database=f"{base.database}_{worker_id}").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def _postgres(worker_id: str) -> Iterator[Database]:
    """A database of its own per xdist worker, created fresh and migrated once per run."""
    admin_url = make_url(os.environ.get("TEST_DATABASE_URL", PG_DEFAULT))
    url = _postgres_url(worker_id)
    name = make_url(url).database
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as exc:  # any connection failure means: no PostgreSQL here
        require_service("PostgreSQL", f"{type(exc).__name__} at {admin_url}", START_POSTGRES)
    database = Database(url)
    upgrade_to_head(database)
    yield database
    database.dispose()


@pytest.fixture
def pg_db(_postgres: Database) -> Iterator[Database]:
    """A clean PostgreSQL database per test. Services commit for real, so we truncate afterwards."""
    yield _postgres
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    with _postgres.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} CASCADE"))


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest) -> Database:
    """Run the test on both dialects the product supports."""
    fixture = "sqlite_db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(fixture)
    return database
