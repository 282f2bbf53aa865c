"""The migration to reminder days per workflow and timer keeps what each council set meaning what it meant."""

from __future__ import annotations

import pytest
from sqlalchemy import Uuid, column, table

from casework.db import Database
from casework.migrate import current_revision, head_revision
from casework.models.base import JSONType
from tests.factories import make_world
from tests.integration.test_delivery_migration import migrate

pytestmark = pytest.mark.integration

COUNCILS = table("councils", column("id", Uuid()), column("reminder_offsets", JSONType))


def test_days_a_council_set_under_a_shared_timer_name_apply_to_each_workflow_as_before(db: Database) -> None:
    world = make_world(db)
    migrate(db, "0011_case_next_due", down=True)
    with db.engine.begin() as connection:
        connection.execute(
            COUNCILS.update()
            .where(COUNCILS.c.id == world.council_id)
            .values(reminder_offsets={"decision_due": [21, 3], "interim_end": [], "listing_expiry": [60]})
        )

    migrate(db, "head")

    assert current_revision(db) == head_revision()
    with db.engine.connect() as connection:
        offsets = connection.scalar(
            COUNCILS.select().with_only_columns(COUNCILS.c.reminder_offsets).where(COUNCILS.c.id == world.council_id)
        )
    assert offsets == {
        "acv_listing__decision_due": [21, 3],  # the nomination's decision...
        "challenge__decision_due": [21, 3],  # ...and the challenge's, which the one name used to cover
        "moratorium__interim_end": [],  # "no reminders" stays no reminders
        "acv_listing__listing_expiry": [60],
    }
