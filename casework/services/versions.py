"""Move running cases to a new version of their workflow: an explicit, audited migration.

A case pins the definition version it started under. When the law changes, a
new version is registered beside the old one, and an administrator moves the
running cases across, after a dry run that shows each deadline's old and new date.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock, policies
from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidMigration, PermissionDenied
from casework.models import Case, Deadline
from casework.models.deadline import CANCELLED, PENDING
from casework.repositories import cases as case_repo
from casework.repositories import councils
from casework.transitions.deadlines import arm_timer, close_deadline, refresh_next_due
from casework.transitions.facts import stored_facts
from casework.transitions.trail import record_event
from workflows import periods, registry
from workflows.definition import Definition, Timer
from workflows.roles import Role


@dataclass(frozen=True)
class DeadlineChange:
    timer: str
    action: str  # unchanged | moved | cancelled | armed
    old_rule: str | None
    new_rule: str | None
    old_due: date | None
    new_due: date | None


@dataclass(frozen=True)
class CaseMigration:
    case_id: uuid.UUID
    reference: str
    state: str
    from_version: int
    changes: tuple[DeadlineChange, ...]
    problems: tuple[str, ...]


@dataclass(frozen=True)
class MigrationPlan:
    workflow: str
    to_version: int
    cases: tuple[CaseMigration, ...]
    applied: bool


def migrate_cases(
    db: Database,
    actor: Actor,
    workflow: str,
    to_version: int,
    *,
    council_id: uuid.UUID | None = None,
    dry_run: bool = True,
    now: datetime | None = None,
) -> MigrationPlan:
    """Plan (and unless `dry_run`, apply) moving every running case of `workflow` to `to_version`.

    One transaction. Refuses the whole migration, writing nothing, if any case
    is in a state the new version does not have.
    """
    now = now or clock.utcnow()
    if actor.role is not Role.SYSTEM and (actor.role is not Role.COUNCIL_ADMIN or actor.council_id != council_id):
        raise PermissionDenied("Only an admin of the council can migrate its cases")
    target = registry.get(workflow, to_version)
    if dry_run:
        with db.reader() as session:
            plans = [_plan(session, target, case) for case in _running_cases(session, target, council_id, lock=False)]
        return MigrationPlan(workflow, to_version, tuple(plans), applied=False)
    with db.transaction() as session:
        running = _running_cases(session, target, council_id, lock=True)
        plans = [_plan(session, target, case) for case in running]
        problems = [f"{p.reference}: {problem}" for p in plans for problem in p.problems]
        if problems:
            raise InvalidMigration(*problems)
        for case, plan in zip(running, plans, strict=True):
            _apply(session, target, case, plan, actor, now)
    return MigrationPlan(workflow, to_version, tuple(plans), applied=True)


def _running_cases(session: Session, target: Definition, council_id: uuid.UUID | None, *, lock: bool) -> list[Case]:
    terminal = [state.id for state in target.states if state.terminal]
    stmt = select(Case).where(Case.workflow == target.name, Case.workflow_version != target.version)
    stmt = stmt.where(Case.state.not_in(terminal))
    if council_id is not None:
        stmt = stmt.where(Case.council_id == council_id)
    stmt = stmt.order_by(Case.id)
    return list(session.scalars(stmt.with_for_update() if lock else stmt))


def _plan(session: Session, target: Definition, case: Case) -> CaseMigration:
    problems = [] if case.state in target.state_ids else [f"version {target.version} has no state {case.state!r}"]
    facts = stored_facts(target, case.facts)
    holidays = councils.extra_holidays(session, case.council_id)
    deadlines = case_repo.deadlines_of(session, case.id)
    pending = {d.timer: d for d in deadlines if d.status == PENDING}
    known = {d.timer for d in deadlines}
    changes = []
    for name, deadline in sorted(pending.items()):
        timer = _timer(target, name)
        if timer is None or case.state not in timer.active_in:
            changes.append(DeadlineChange(name, "cancelled", deadline.rule, None, deadline.due_date, None))
            continue
        rule_id, start_field = timer.rule_and_start(facts)
        start = facts.get(start_field, deadline.start_date)
        due = periods.compute(policies.rule_for(session, case, rule_id), start, extra_holidays=holidays).due
        action = "unchanged" if (due, rule_id) == (deadline.due_date, deadline.rule) else "moved"
        changes.append(DeadlineChange(name, action, deadline.rule, rule_id, deadline.due_date, due))
    for timer in target.timers:
        rule_id, start_field = timer.rule_and_start(facts)
        start = facts.get(start_field)
        if timer.name in known or case.state not in timer.active_in or not isinstance(start, date):
            continue
        due = periods.compute(policies.rule_for(session, case, rule_id), start, extra_holidays=holidays).due
        changes.append(DeadlineChange(timer.name, "armed", None, rule_id, None, due))
    return CaseMigration(case.id, case.reference, case.state, case.workflow_version, tuple(changes), tuple(problems))


def _timer(defn: Definition, name: str) -> Timer | None:
    return next((timer for timer in defn.timers if timer.name == name), None)


def _apply(session: Session, target: Definition, case: Case, plan: CaseMigration, actor: Actor, now: datetime) -> None:
    """Move one case to `target` as planned: its deadlines re-armed, its version changed, the move on its trail."""
    _rearm(session, target, case, plan, now)
    from_version = case.workflow_version
    case.workflow_version = target.version
    changes = [
        {
            "timer": c.timer,
            "action": c.action,
            "old_due": c.old_due.isoformat() if c.old_due else None,
            "new_due": c.new_due.isoformat() if c.new_due else None,
        }
        for c in plan.changes
    ]
    summary = f"Moved from version {from_version} to version {target.version} of the workflow"
    data = {"from_version": from_version, "to_version": target.version, "changes": changes}
    record_event(session, case, actor, now=now, kind="migrated", summary=summary, data=data)
    session.flush()
    refresh_next_due(session, case)


def _rearm(session: Session, target: Definition, case: Case, plan: CaseMigration, now: datetime) -> None:
    """Each deadline the plan moves, cancels or arms: the old one closed, the new one armed under `target`'s rule."""
    council = councils.get(session, case.council_id)
    holidays = councils.extra_holidays(session, case.council_id)
    facts = stored_facts(target, case.facts)
    pending = {d.timer: d for d in case_repo.deadlines_of(session, case.id) if d.status == PENDING}
    for change in plan.changes:
        if change.action == "unchanged":
            continue
        old: Deadline | None = pending.get(change.timer)
        if old is not None:
            close_deadline(session, old, CANCELLED, f"Replaced on migration to version {target.version}", now)
        if change.action in ("moved", "armed"):
            timer = target.timer(change.timer)
            rule_id, start_field = timer.rule_and_start(facts)
            start = facts.get(start_field) or (old.start_date if old else None)
            if isinstance(start, date):
                offsets = council.reminder_offsets
                arm_timer(session, case, timer, start, holidays=holidays, offsets=offsets, now=now, rule_id=rule_id)
