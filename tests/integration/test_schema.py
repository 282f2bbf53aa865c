"""The migrations build exactly the schema the models describe, on both dialects, and guard the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from casework.db import Database
from casework.migrate import MIGRATIONS, alembic_config, current_revision, head_revision, upgrade_to_head
from casework.models import Base
from tests.factories import make_world, nominate_pub

pytestmark = pytest.mark.integration


def test_the_migrated_schema_matches_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert current_revision(db) == head_revision()


def test_the_recorded_head_matches_the_newest_migration() -> None:
    """Two branches that each add a migration conflict on this file, loudly, instead of forking the history."""
    assert (Path(MIGRATIONS) / ".current-alembic-head").read_text().strip() == head_revision()


def test_the_audit_trail_refuses_updates_and_deletes(db: Database) -> None:
    world = make_world(db)
    nominate_pub(db, world)
    for statement in ("UPDATE case_events SET summary = 'rewritten'", "DELETE FROM case_events"):
        with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM case_events")).scalar() == 2


def test_migrations_go_down_to_nothing_and_back_up(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    upgrade_to_head(database)
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert current_revision(database) is None
    upgrade_to_head(database)
    assert current_revision(database) == head_revision()
    database.dispose()
