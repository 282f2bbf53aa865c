"""`casework create-council --organisation` and `casework set-organisation`: the CURIE a council's entries
carry in the national asset-of-community-value data."""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.db import Database
from casework.queries import register
from casework.register import exports
from casework.register import imports as register_import
from tests.functional.test_cli import ok, run
from tests.national_specification import check_csv


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    ok(run("db", "upgrade", db=path))
    return path


ROW = "reference,name,address-text,decision,decision-date\nACV/1,The Plough,1 Church Lane,listed,2024-05-02\n"


def published_organisations(path: Path) -> set[str]:
    db = Database(f"sqlite:///{path}")
    try:
        return {row["organisation"] for row in check_csv(exports.to_csv(register.everything(db)))}
    finally:
        db.dispose()


def test_a_council_is_created_with_its_national_organisation_and_it_can_be_changed(database: Path) -> None:
    ok(run("create-council", "CAM", "Camden", "--organisation", "local-authority:CMD", db=database))
    db = Database(f"sqlite:///{database}")
    register_import.import_register(db, "CAM", ROW)
    db.dispose()
    assert published_organisations(database) == {"local-authority:CMD"}

    assert "CAM's entries are published with organisation local-authority:CAM" in ok(
        run("set-organisation", "CAM", "", db=database)
    )
    assert published_organisations(database) == {"local-authority:CAM"}


def test_an_organisation_that_is_no_curie_is_refused_and_changes_nothing(database: Path) -> None:
    created = run("create-council", "CAM", "Camden", "--organisation", "Camden Council", db=database)
    assert created.returncode == 1
    assert "Enter the organisation as planning.data.gov.uk writes it, like local-authority:CMD" in created.stderr

    ok(run("create-council", "CAM", "Camden", "--organisation", "local-authority:CMD", db=database))
    refused = run("set-organisation", "CAM", "CMD", db=database)
    assert refused.returncode == 1 and "like local-authority:CMD" in refused.stderr
    missing = run("set-organisation", "NOPE", "local-authority:NOP", db=database)
    assert missing.returncode == 1 and "There is no council with the code 'NOPE'" in missing.stderr
