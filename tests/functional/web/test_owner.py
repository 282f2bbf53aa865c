"""Owners on their pages: the notice check while an earlier protected period runs, review requests and claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.queries import case_summary
from casework.services import deadlines
from tests.factories import list_pub, make_world, owners_notice
from tests.functional.web.conftest import sign_in_as
from tests.integration.test_transitions import row_counts
from workflows import periods

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("days_ago", "state", "position"),
    [
        (3, "interim_moratorium", "Until then you may market the land and negotiate"),
        (60, "owner_free", "The moratorium has ended. You may sell to anyone until the end of"),
    ],
    ids=["in the interim moratorium", "free to sell"],
)
def test_an_owner_whose_protected_period_is_running_is_told_until_when_and_offered_no_notice(
    client: FlaskClient, sqlite_db: Database, days_ago: int, state: str, position: str
) -> None:
    world = make_world(sqlite_db)
    listing = list_pub(sqlite_db, world)
    asset_id = case_summary(sqlite_db, listing).asset_id
    received = london_date(utcnow()) - timedelta(days=days_ago)
    cycle = owners_notice(
        sqlite_db, world, listing, received_on=received, now=datetime.combine(received, datetime.min.time(), UTC)
    )
    deadlines.sweep(sqlite_db)
    assert case_summary(sqlite_db, cycle).state == state
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    before = row_counts(sqlite_db)

    page = client.get(f"/owner/land/{asset_id}/notice").get_data(as_text=True)
    answers = {"disposal_type": "freehold", "vacant_possession": "yes", "stage": "send"}
    sent = client.post(f"/owner/land/{asset_id}/notice", data=answers).get_data(as_text=True)

    assert "You do not need to give a new notice" in page
    assert case_summary(sqlite_db, cycle).reference in page
    protected_end = periods.moratorium_timeline(received)[2].due
    assert f"Its protected period runs until the end of <strong>{periods.long_date(protected_end)}</strong>" in page
    assert "section 95(4)" in page and "Protected period ends" in page
    assert position in page
    assert "Send the notice" not in page and "Interim moratorium ends" in page
    assert "Send the notice" not in sent
    assert row_counts(sqlite_db) == before
