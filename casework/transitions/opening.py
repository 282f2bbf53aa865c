"""How a case comes to be: opened in its workflow's initial state, or placed in a state from old records."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.clock import london_date
from casework.errors import NotLawHere
from casework.models import Case, Council
from casework.models.base import to_json_value
from casework.references import next_reference
from casework.repositories import councils as council_repo
from casework.transitions.deadlines import arm_timer, refresh_next_due
from casework.transitions.facts import stored_facts
from casework.transitions.trail import RecordedEvent, record_event
from workflows import extent, registry
from workflows.definition import Definition
from workflows.errors import cited


def require_law_here(council: Council, workflow: str) -> None:
    """Refuse (NotLawHere) a workflow whose regime is not law in the council's nation."""
    not_law = extent.refusal(workflow, council.nation)
    if not_law is not None:
        raise NotLawHere(cited(f"{council.name}: {not_law.reason}", not_law.basis), citations=(not_law.basis,))


def open_case(
    session: Session,
    council: Council,
    workflow: str,
    actor: Actor,
    *,
    now: datetime,
    asset_id: uuid.UUID | None = None,
    organisation_id: uuid.UUID | None = None,
    facts: Mapping[str, Any] | None = None,
    policy_id: uuid.UUID | None = None,
) -> Case:
    """Create a case in its definition's initial state (a draft), pinned to the version in force today.

    Refused (NotLawHere) where the regime is not law in the council's nation: every service that starts a
    case comes here, so no Scottish or Welsh council runs the English ACV regime, say.
    """
    require_law_here(council, workflow)
    defn = registry.in_force(workflow, london_date(now))
    case = Case(
        id=uuid.uuid4(),
        council_id=council.id,
        reference=next_reference(session, council, defn.reference_prefix),
        workflow=defn.name,
        workflow_version=defn.version,
        state=defn.initial,
        asset_id=asset_id,
        organisation_id=organisation_id,
        policy_id=policy_id,
        created_by=actor.user_id,
        facts={key: to_json_value(value) for key, value in (facts or {}).items()},
        created_at=now,
        state_changed_at=now,
    )
    session.add(case)
    session.flush()
    record_event(session, case, actor, now=now, kind="opened", summary=f"Case opened: {defn.title}")
    return case


def import_state(
    session: Session,
    case: Case,
    state: str,
    actor: Actor,
    *,
    now: datetime,
    facts: Mapping[str, Any],
    summary: str,
) -> RecordedEvent:
    """Place a case imported from a council's old records directly in `state`, with an audit event.

    The one other writer of `Case.state`: history that happened before the
    council used this system cannot be replayed through the workflow's guards.
    Timers active in `state` whose start date is known are armed as usual.
    """
    defn = registry.get(case.workflow, case.workflow_version)
    defn.state(state)  # KeyError for a state the workflow does not have
    case.state = state
    case.state_changed_at = now
    case.facts = {**case.facts, **{key: to_json_value(value) for key, value in facts.items()}}
    case.closed_at = now if defn.state(state).closed else None
    event = record_event(
        session,
        case,
        actor,
        now=now,
        kind="imported",
        summary=summary,
        to_state=state,
        from_state=defn.initial,
        data={key: to_json_value(value) for key, value in facts.items()},
    )
    _arm_known_timers(session, defn, case, now)
    session.flush()  # the state and its time are written, which the next due date is worked out against
    refresh_next_due(session, case)
    return event


def _arm_known_timers(session: Session, defn: Definition, case: Case, now: datetime) -> None:
    """Every timer active in the case's state whose start date the case records, armed as a transition would."""
    offsets, holidays = council_repo.calendar(session, case.council_id)
    known = stored_facts(defn, case.facts)
    for timer in defn.timers:
        start = known.get(timer.start)
        if case.state in timer.active_in and isinstance(start, date):
            arm_timer(session, case, timer, start, holidays=holidays, offsets=offsets, now=now)
