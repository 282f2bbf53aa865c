"""Moving running cases to a new workflow version: a dry run shows each deadline, then an audited migration."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from casework.actors import SYSTEM
from casework.db import Database
from casework.errors import InvalidMigration, PermissionDenied
from casework.queries import case_summary
from casework.services import moratoria, versions
from tests.factories import World, list_pub, make_world
from workflows import periods, registry
from workflows.definition import State
from workflows.periods import Counting, Rule, Unit
from workflows.periods.rule import Process

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 10, 12, tzinfo=UTC)

# A hypothetical reform: the interim moratorium becomes twelve weeks.
TWELVE_WEEKS = Rule(
    "moratorium.interim_12_weeks", Process.MORATORIUM, "Interim moratorium (12 weeks)", 12, Unit.WEEKS,
    Counting.BEGINNING_WITH, "the day the council received the owner's notice", "A future Act",
)  # fmt: skip


@pytest.fixture
def version_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    current = registry.get("moratorium", 1)
    timers = tuple(replace(t, rule=TWELVE_WEEKS.id) if t.name == "interim_end" else t for t in current.timers)
    monkeypatch.setitem(periods.RULES, TWELVE_WEEKS.id, TWELVE_WEEKS)
    v2 = replace(current, version=2, effective_from=date(2026, 4, 6), timers=timers)
    with registry.registered(v2):
        yield


def running_cycle(db: Database) -> tuple[World, uuid.UUID]:
    world = make_world(db)
    listing = list_pub(db, world)
    asset_id = case_summary(db, listing).asset_id
    assert asset_id is not None
    cycle = moratoria.record_owner_notice(
        db, world.owner, asset_id, received_on=date(2026, 4, 1), notice_method="post", disposal_type="freehold",
        vacant_possession=True, now=NOW - timedelta(days=9),
    )  # fmt: skip
    return world, cycle.case_id


@pytest.mark.usefixtures("version_two")
def test_a_dry_run_shows_each_deadlines_old_and_new_date_and_changes_nothing(db: Database) -> None:
    _, cycle = running_cycle(db)
    before = case_summary(db, cycle)

    plan = versions.migrate_cases(db, SYSTEM, "moratorium", 2, dry_run=True, now=NOW)

    [case] = plan.cases
    changes = {c.timer: (c.action, c.old_due, c.new_due) for c in case.changes}
    assert changes == {
        "interim_end": ("moved", date(2026, 5, 12), date(2026, 6, 23)),
        "protected_end": ("unchanged", date(2027, 9, 30), date(2027, 9, 30)),
    }
    assert not plan.applied
    assert case_summary(db, cycle) == before


@pytest.mark.usefixtures("version_two")
def test_applying_the_migration_moves_the_deadline_pins_the_new_version_and_records_it(db: Database) -> None:
    _, cycle = running_cycle(db)

    plan = versions.migrate_cases(db, SYSTEM, "moratorium", 2, dry_run=False, now=NOW)

    after = case_summary(db, cycle)
    assert plan.applied and after.workflow_version == 2
    pending = {d.timer: d.due_date for d in after.deadlines if d.status == "pending"}
    assert pending == {"interim_end": date(2026, 6, 23), "protected_end": date(2027, 9, 30)}
    assert after.events[-1].kind == "migrated"
    assert after.events[-1].summary == "Moved from version 1 to version 2 of the workflow"
    assert versions.migrate_cases(db, SYSTEM, "moratorium", 2, dry_run=True, now=NOW).cases == ()


def test_a_migration_to_a_version_without_the_cases_state_is_refused_whole(db: Database) -> None:
    _, cycle = running_cycle(db)
    current = registry.get("moratorium", 1)
    renamed = tuple(State("interim", s.label) if s.id == "interim_moratorium" else s for s in current.states)
    broken = replace(current, version=3, states=renamed, transitions=(), timers=())
    with (
        registry.registered(broken),
        pytest.raises(InvalidMigration, match="version 3 has no state 'interim_moratorium'"),
    ):
        versions.migrate_cases(db, SYSTEM, "moratorium", 3, dry_run=False, now=NOW)
    assert case_summary(db, cycle).workflow_version == 1


@pytest.mark.usefixtures("version_two")
def test_only_an_admin_of_the_council_may_migrate_its_cases(db: Database) -> None:
    world, _ = running_cycle(db)
    with pytest.raises(PermissionDenied):
        versions.migrate_cases(db, world.officer, "moratorium", 2, council_id=world.council_id, dry_run=False)
    plan = versions.migrate_cases(db, world.admin, "moratorium", 2, council_id=world.council_id, dry_run=True)
    assert len(plan.cases) == 1
