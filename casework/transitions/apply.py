"""Apply one trigger to one locked case, inside the caller's transaction.

This is the only code that fires a workflow's transition on a stored case. It asks the pure workflow,
then writes the state, the deadlines, one audit event and the outbox rows together, and applies the
follow-on transitions the effects return (a sale removes the listing, which ends it, which lapses the
moratoria) in the same loop; the caller's transaction commits all of them or none. Public services
(casework.services.*) open the transaction and lock the case first.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from casework import effects
from casework.actors import Actor
from casework.clock import london_date
from casework.errors import StaleCase
from casework.facts import registry as fact_providers
from casework.models import Case
from casework.models.base import to_json_value
from casework.permissions import check_case_access
from casework.repositories import cases as case_repo
from casework.transitions.commands import Command
from casework.transitions.deadlines import refresh_next_due, update_deadlines
from casework.transitions.facts import stored_facts
from casework.transitions.outbox import write_transition_messages
from casework.transitions.state import write_state
from casework.transitions.trail import record_transition
from workflows import fields, machines, registry
from workflows.definition import GuardContext, Transition
from workflows.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class TransitionResult:
    case_id: uuid.UUID
    reference: str
    trigger: str
    from_state: str
    state: str
    version: int
    event_id: uuid.UUID


def apply(
    session: Session,
    case: Case,
    trigger: str,
    actor: Actor,
    raw: Mapping[str, Any] | None = None,
    *,
    now: datetime,
    expected_version: int | None = None,
    extra_facts: Mapping[str, Any] | None = None,
    event_data: Mapping[str, Any] | None = None,
    keep: Mapping[str, Any] | None = None,
) -> TransitionResult:
    """Fire `trigger` on `case` (already locked by the caller) and write everything it causes.

    Raises StaleCase, PermissionDenied, or a workflow refusal (UnknownTrigger,
    TransitionNotAllowed, RoleNotAllowed, InvalidData, GuardFailed); the
    caller's transaction then rolls back, so a refusal writes nothing.
    `extra_facts` are shown to the guards only; `keep` is also recorded on the case.
    The transitions it causes on other cases follow in order, each one's own before the next
    (depth first, as the law's chain runs), and a refusal of any of them refuses the whole.
    """
    asked = Command(case, trigger, actor, raw or {}, extra_facts=extra_facts, event_data=event_data)
    result, follow_ons = _fire_one(session, asked, now=now, expected_version=expected_version, keep=keep)
    pending = list(reversed(follow_ons))
    while pending:
        _, more = _fire_one(session, pending.pop(), now=now)
        pending.extend(reversed(more))
    return result


def _fire_one(
    session: Session,
    command: Command,
    *,
    now: datetime,
    expected_version: int | None = None,
    keep: Mapping[str, Any] | None = None,
) -> tuple[TransitionResult, Sequence[Command]]:
    """One case's transition: check, fire, write; return its result and the follow-ons its effects ask for."""
    case, trigger, actor = command.case, command.trigger, command.actor
    defn = registry.get(case.workflow, case.workflow_version)
    _may_act(session, actor, case, trigger, expected_version)
    today = london_date(now)
    transition = machines.transition_for(defn, case.state, trigger, actor.role)
    stamped = _stamped(transition, actor, command.data, today)
    data = fields.parse_data(transition, stamped, today=today)
    deadlines = case_repo.deadline_rows(session, case.id)
    gathered = fact_providers.gather(session, case, transition, stamped)  # what is recorded, not what was typed
    kept = {**gathered.keep, **(keep or {})}
    ctx = GuardContext(
        role=actor.role,
        today=today,
        actor_id=str(actor.user_id) if actor.user_id else None,
        data=data,
        facts=stored_facts(defn, {**case.facts, **gathered.facts, **(command.extra_facts or {}), **kept}),
        deadlines={deadline.timer: deadline.due_date for deadline in deadlines},
    )
    outcome = machines.fire(defn, case.state, trigger, ctx)
    recorded = _recorded_facts({**case.facts, **kept}, data, decision_by=actor if transition.decision else None)
    write_state(session, case, state=outcome.dest, facts=recorded, now=now, closed=defn.state(outcome.dest).closed)
    event = record_transition(
        session, case, actor, outcome, now=now, summary=transition.label, data=data, event_data=command.event_data
    )
    update_deadlines(session, defn, case, outcome.source, outcome, deadlines, now)
    write_transition_messages(session, defn, case, outcome, event, now)
    follow_ons = effects.after_transition(session, case, transition, data, now, actor)
    refresh_next_due(session, case)
    result = TransitionResult(case.id, case.reference, trigger, outcome.source, case.state, case.version, event.id)
    return result, follow_ons


def _may_act(session: Session, actor: Actor, case: Case, trigger: str, expected_version: int | None) -> None:
    """Someone who may not act is told so first, not that the case changed; then a page built from an older
    version of the case is refused as stale (StaleCase), before anything is fired."""
    check_case_access(session, actor, case, trigger)
    if expected_version is not None and expected_version != case.version:
        raise StaleCase(case.reference)


def _stamped(transition: Transition, actor: Actor, raw: Mapping[str, Any], today: date) -> Mapping[str, Any]:
    """A group or an owner does not choose the day something reached the council: it is the day they sent it.
    Nor do they give the council's own answers (a late request allowed in writing): those are dropped, so a waiver
    is only ever the council's."""
    if actor.role in STAFF_ROLES or actor.role is Role.SYSTEM:
        return raw
    council_only = {f.name for f in transition.fields if f.staff_only}
    theirs = {key: value for key, value in raw.items() if key not in council_only}
    return {**theirs, **{f.name: today.isoformat() for f in transition.fields if f.stamped}}


def _recorded_facts(facts: Mapping[str, Any], data: Mapping[str, Any], *, decision_by: Actor | None) -> dict[str, Any]:
    merged = {**facts, **{key: to_json_value(value) for key, value in data.items()}}
    if decision_by is not None and decision_by.user_id is not None:
        makers = list(merged.get("decision_makers") or [])
        if str(decision_by.user_id) not in makers:
            makers.append(str(decision_by.user_id))
        merged["decision_makers"] = makers
    return merged
