"""Bugs the engine drill (tests/drills/test_transition_properties.py) found, each pinned by its smallest example.

The drill runs only under `make drills`; these run in `make test`, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from casework.db import Database
from casework.models import Base
from casework.queries import case_summary
from casework.services import nominations
from casework.services.case_transitions import apply_transition
from tests.conftest import T0
from tests.factories import make_world, pub_nomination
from workflows.errors import GuardFailed

pytestmark = pytest.mark.integration


def row_counts(db: Database) -> dict[str, int]:
    with db.reader() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def test_a_draft_nomination_sent_by_the_generic_action_is_refused_until_its_land_is_recorded(db: Database) -> None:
    # Found by the drill: "submit" on a draft through apply_transition (the case page's action, the API) skipped
    # nominations.submit, so the case had no land; deciding it later failed with "has no asset to put on the register".
    world = make_world(db)
    draft = nominations.save_draft(db, world.member, world.council_id, world.group_id, pub_nomination(), now=T0)
    before = row_counts(db)

    with pytest.raises(GuardFailed, match="The nomination is missing: the land, recorded by sending the nomination"):
        apply_transition(db, draft, "submit", world.member, {"nomination_received_on": "2026-03-02"}, now=T0)

    assert row_counts(db) == before
    assert nominations.submit(db, world.member, draft, now=T0).state == "nomination_received"
    assert case_summary(db, draft).asset_id is not None
