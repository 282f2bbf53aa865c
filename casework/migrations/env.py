"""Alembic environment: the URL comes from DATABASE_URL (or the connection casework.migrate passes)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from casework.config import Settings
from casework.db import Database
from casework.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things in place
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    database = Database(Settings.from_env().database_url)
    try:
        with database.engine.connect() as connection:
            _run(connection)
    finally:
        database.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `casework db upgrade`")
run_migrations_online()
