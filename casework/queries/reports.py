"""Reports for officers and members: decisions within the statutory 8 weeks, open moratoria, monthly figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from casework.actors import Actor
from casework.db import Database
from casework.errors import PermissionDenied
from casework.facts import listings
from casework.models import Asset, Case, CaseEvent, Deadline
from workflows import moratorium, registry
from workflows.roles import STAFF_ROLES


@dataclass(frozen=True)
class DecisionRow:
    reference: str
    asset_name: str
    received: date
    due: date
    decided: date
    outcome: str
    within: bool
    days_taken: int


@dataclass(frozen=True)
class MoratoriumRow:
    reference: str
    asset_name: str
    state_label: str
    notice_received: date
    interim_end: date | None
    full_end: date | None
    protected_end: date | None
    groups: str


@dataclass(frozen=True)
class MonthRow:
    month: str
    nominations: int
    decisions: int
    within_eight_weeks: int
    listed: int
    unsuccessful: int
    notices: int
    bidder_requests: int
    reviews: int


def _check(actor: Actor) -> None:
    if actor.role not in STAFF_ROLES or actor.council_id is None:
        raise PermissionDenied("Reports are for council staff")


def decisions(db: Database, actor: Actor) -> list[DecisionRow]:
    """Every nomination decided, with whether it was decided within 8 weeks of receipt (ACV Regs reg.7)."""
    _check(actor)
    with db.reader() as session:
        rows = session.execute(
            select(Case, CaseEvent, Asset)
            .join(CaseEvent, CaseEvent.case_id == Case.id)
            .join(Asset, Asset.id == Case.asset_id)
            .where(
                Case.council_id == actor.council_id,
                Case.workflow == "acv_listing",
                CaseEvent.trigger.in_(["list", "reject"]),
            )
            .order_by(CaseEvent.occurred_at.desc())
        ).all()
        result = []
        for case, event, asset in rows:
            due = session.scalars(
                select(Deadline.due_date).where(Deadline.case_id == case.id, Deadline.timer == "decision_due")
            ).first()
            received = case.facts.get("nomination_received_on")
            decided = event.data.get("decided_on")
            if not (due and received and decided):
                continue  # imported history has no decision clock to compare with
            decided_on, received_on = date.fromisoformat(decided), date.fromisoformat(received)
            outcome = "Listed" if event.trigger == "list" else "Not listed"
            result.append(
                DecisionRow(
                    case.reference,
                    asset.name,
                    received_on,
                    due,
                    decided_on,
                    outcome,
                    decided_on <= due,
                    (decided_on - received_on).days,
                )
            )
        return result


def open_moratoria(db: Database, actor: Actor) -> list[MoratoriumRow]:
    _check(actor)
    with db.reader() as session:
        rows = session.execute(
            select(Case, Asset)
            .join(Asset, Asset.id == Case.asset_id)
            .where(
                Case.council_id == actor.council_id,
                Case.workflow == moratorium.NAME,
                Case.state.in_(listings.running_cycle_states()),
            )
        ).all()
        result = []
        for case, asset in rows:
            dues = {d.timer: d.due_date for d in session.scalars(select(Deadline).where(Deadline.case_id == case.id))}
            label = registry.get(case.workflow, case.workflow_version).state(case.state).label
            result.append(
                MoratoriumRow(
                    case.reference,
                    asset.name,
                    label,
                    date.fromisoformat(case.facts["notice_received_on"]),
                    dues.get("interim_end"),
                    dues.get("full_end"),
                    dues.get("protected_end"),
                    ", ".join(case.facts.get("interested_groups") or []),
                )
            )
        return sorted(result, key=lambda row: row.notice_received)


DECISIONS = {"listed", "unsuccessful"}  # the columns that are a decision on a nomination (reg.7: eight weeks)


def _report_columns() -> dict[tuple[str, str], str]:
    """The column each step counts in, as its transition names it (Transition.reported_as), in every version."""
    return {
        (defn.name, t.trigger): t.reported_as
        for defn in registry.all_definitions()
        for t in defn.transitions
        if t.reported_as
    }


def monthly(db: Database, actor: Actor) -> list[MonthRow]:
    """Counts per calendar month of the things a council reports on, newest month first."""
    _check(actor)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    within = {row.reference: row for row in decisions(db, actor)}
    with db.reader() as session:
        events = session.execute(
            select(Case.reference, Case.workflow, CaseEvent.trigger, CaseEvent.occurred_at)
            .join(Case, Case.id == CaseEvent.case_id)
            .where(Case.council_id == actor.council_id, CaseEvent.kind == "transition")
        ).all()
    columns = _report_columns()
    for reference, workflow, trigger, occurred in events:
        month = occurred.strftime("%Y-%m")
        column = columns.get((workflow, trigger or ""))
        if column is not None:
            counts[month][column] += 1
        if column in DECISIONS:
            counts[month]["decisions"] += 1
            if reference in within and within[reference].within:
                counts[month]["within_eight_weeks"] += 1
    return [
        MonthRow(
            month,
            c["nominations"],
            c["decisions"],
            c["within_eight_weeks"],
            c["listed"],
            c["unsuccessful"],
            c["notices"],
            c["bidder_requests"],
            c["reviews"],
        )
        for month, c in sorted(counts.items(), reverse=True)
    ]
