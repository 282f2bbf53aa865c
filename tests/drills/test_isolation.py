"""The drills' own isolation: no other test run on the same server can reach a drill's database."""

from __future__ import annotations

import os

from casework.db import Database
from tests.drills import databases


def test_a_drills_database_is_its_own_runs_so_another_test_run_cannot_drop_or_empty_it(
    pg_db: Database, worker_id: str
) -> None:
    """A drill on `<name>_master` lost its council to a plain pytest run on the same URL (issue 18, item 12):
    that run drops and creates `<name>_master` as it starts and empties it after each test."""
    base = databases.base_url().database
    assert pg_db.url.database == f"{base}_drills_{os.getpid()}"
    assert pg_db.url.database not in {f"{base}_master", f"{base}_{worker_id}"}  # what the regular tests use
