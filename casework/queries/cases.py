"""Read models for the CLI, pages and reports: frozen dataclasses, never ORM objects."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select

from casework.db import Database
from casework.errors import CaseNotFound
from casework.models import Case, CaseEvent, Deadline, RegisterEntry
from casework.repositories import councils
from workflows import registry


@dataclass(frozen=True)
class EventView:
    seq: int
    kind: str
    summary: str
    trigger: str | None
    from_state: str | None
    to_state: str | None
    actor_role: str
    data: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True)
class DeadlineView:
    id: uuid.UUID
    timer: str
    rule: str
    start_date: date
    due_date: date
    due_time: time | None
    outer_due_date: date | None
    status: str
    basis: str
    explanation: tuple[str, ...]
    outcome: str | None


@dataclass(frozen=True)
class CaseSummary:
    id: uuid.UUID
    reference: str
    workflow: str
    workflow_version: int
    state: str
    state_label: str
    version: int
    asset_id: uuid.UUID | None
    facts: dict[str, Any]
    events: tuple[EventView, ...]
    deadlines: tuple[DeadlineView, ...]

    def deadline(self, timer: str) -> DeadlineView | None:
        """The newest deadline for `timer`, whatever its status."""
        matching = [d for d in self.deadlines if d.timer == timer]
        return matching[-1] if matching else None


def case_summary(db: Database, case_id: uuid.UUID | None = None, *, reference: str | None = None) -> CaseSummary:
    """One case with its audit trail and deadlines; raises CaseNotFound."""
    with db.reader() as session:
        stmt = select(Case).where(Case.id == case_id) if case_id else select(Case).where(Case.reference == reference)
        case = session.scalars(stmt).first()
        if case is None:
            raise CaseNotFound(f"There is no case {reference or case_id}")
        defn = registry.get(case.workflow, case.workflow_version)
        events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)).all()
        deadlines = session.scalars(
            select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.created_at, Deadline.id)
        ).all()
        return CaseSummary(
            id=case.id,
            reference=case.reference,
            workflow=case.workflow,
            workflow_version=case.workflow_version,
            state=case.state,
            state_label=defn.state(case.state).label,
            version=case.version,
            asset_id=case.asset_id,
            facts=dict(case.facts),
            events=tuple(
                EventView(
                    e.seq,
                    e.kind,
                    e.summary,
                    e.trigger,
                    e.from_state,
                    e.to_state,
                    e.actor_role,
                    dict(e.data),
                    e.occurred_at,
                )
                for e in events
            ),
            deadlines=tuple(_deadline(d) for d in deadlines),
        )


def _deadline(d: Deadline) -> DeadlineView:
    return DeadlineView(
        d.id,
        d.timer,
        d.rule,
        d.start_date,
        d.due_date,
        d.due_time,
        d.outer_due_date,
        d.status,
        d.basis,
        tuple(d.explanation),
        d.outcome,
    )


@dataclass(frozen=True)
class RegisterRow:
    reference: str
    list_kind: str
    name: str
    address: str
    decision: str
    decision_date: date | None
    entry_date: date
    expiry_date: date | None
    end_date: date | None
    removal_reason: str | None
    reasons: str | None
    nominating_group: str | None
    nomination_date: date | None
    notification_to_sell_date: date | None
    interim_end_date: date | None
    full_end_date: date | None
    protected_end_date: date | None
    interested_group: str | None
    review_status: str | None
    exempt_disposals: tuple[dict[str, Any], ...]
    notes: str | None
    version: int


def register_rows(db: Database, council_code: str, list_kind: str | None = None) -> list[RegisterRow]:
    """Every entry of a council's lists (current and ended), oldest entry first."""
    with db.reader() as session:
        council = councils.get_by_code(session, council_code)
        stmt = select(RegisterEntry).where(RegisterEntry.council_id == council.id)
        if list_kind:
            stmt = stmt.where(RegisterEntry.list_kind == list_kind)
        entries = session.scalars(stmt.order_by(RegisterEntry.entry_date, RegisterEntry.reference)).all()
        return [
            RegisterRow(
                e.reference,
                e.list_kind,
                e.name,
                e.address,
                e.decision,
                e.decision_date,
                e.entry_date,
                e.expiry_date,
                e.end_date,
                e.removal_reason,
                e.reasons,
                e.nominating_group,
                e.nomination_date,
                e.notification_to_sell_date,
                e.interim_end_date,
                e.full_end_date,
                e.protected_end_date,
                e.interested_group,
                e.review_status,
                tuple(e.exempt_disposals),
                e.notes,
                e.version,
            )
            for e in entries
        ]
