"""A case's deadlines run under the version of each period rule in force on the day that period starts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from casework.db import Database
from casework.queries import case_summary
from casework.services import moratoria
from tests.factories import list_pub, make_world
from workflows import periods
from workflows.periods import Commencement

pytestmark = pytest.mark.integration
# A hypothetical reform: from 6 April 2026 the interim moratorium is twelve weeks, a new version of the same rule.
REFORM = Commencement(date(2026, 4, 6), "the reformed moratorium", "A future Act s.1, in force 6 April 2026")


@pytest.fixture
def twelve_week_interim(monkeypatch: pytest.MonkeyPatch) -> None:
    six_weeks = periods.RULES["moratorium.interim"]
    twelve_weeks = replace(
        six_weeks, length=12, basis="A future Act s.1", in_force=REFORM, version=2, replaces=six_weeks
    )
    monkeypatch.setitem(periods.RULES, six_weeks.id, twelve_weeks)


@pytest.mark.usefixtures("twelve_week_interim")
@pytest.mark.parametrize(
    ("received", "due", "version"),
    [
        (date(2026, 4, 5), date(2026, 5, 16), 1),  # six weeks beginning with Sunday 5 April
        (date(2026, 4, 6), date(2026, 6, 28), 2),  # twelve weeks beginning with Monday 6 April
    ],
)
def test_the_interim_moratorium_runs_under_the_version_in_force_on_the_day_the_notice_was_received(
    db: Database, received: date, due: date, version: int
) -> None:
    world = make_world(db)
    asset_id = case_summary(db, list_pub(db, world)).asset_id
    assert asset_id is not None

    cycle = moratoria.record_owner_notice(
        db, world.owner, asset_id, received_on=received, notice_method="email", disposal_type="freehold",
        vacant_possession=True, now=datetime.combine(received, time(12), tzinfo=UTC),  # the owner's notice arrives
    )  # fmt: skip

    interim = case_summary(db, cycle.case_id).deadline("interim_end")
    assert interim is not None and (interim.rule, interim.due_date) == ("moratorium.interim", due)
    assert any(step.startswith(f"Version {version} of the rule applies") for step in interim.explanation)
    protected = case_summary(db, cycle.case_id).deadline("protected_end")
    assert protected is not None and not any("Version" in step for step in protected.explanation)
