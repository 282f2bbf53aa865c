"""Apply one trigger to one locked case, inside the caller's transaction.

This is the only code that assigns `Case.state`. It asks the pure workflow,
then writes the state, the deadlines, one audit event and the outbox rows
together; the caller's transaction commits all of them or none. Public
services (casework.services.*) open the transaction and lock the case first.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from casework import effects, policies
from casework import facts as fact_providers
from casework.actors import Actor
from casework.clock import london_date
from casework.errors import NotLawHere, StaleCase
from casework.models import Case, CaseEvent, Council, Deadline, OutboxMessage, Reminder
from casework.models.base import Base, to_json_value
from casework.models.deadline import CANCELLED, FIRED, PENDING
from casework.permissions import check_case_access
from casework.references import next_reference
from casework.repositories import cases as case_repo
from casework.repositories import councils as council_repo
from casework.repositories.prepared import Statements
from workflows import engine as workflow_engine
from workflows import extent, periods, registry
from workflows.definition import Definition, GuardContext, Timer, Transition, reminder_key
from workflows.engine import Outcome
from workflows.errors import cited
from workflows.roles import STAFF_ROLES, Role

REMINDER_TIME = time(8, 0)  # reminders go out at 08:00 in England on the day they fall due

# The rows a transition writes go in through statements built once per process and run on the
# DB-API connection (casework.repositories.prepared): building a statement, flushing ORM objects and
# SQLAlchemy's execution machinery cost more than the statements themselves (bench/README.md, B1).
# Nothing on this path reads those rows back as objects in the same transaction.
_EVENTS = Base.metadata.tables[CaseEvent.__tablename__]
# The next number in the case's trail is taken in the INSERT itself: one statement, under the case's lock.
_INSERT_EVENT = Statements(
    insert(_EVENTS).from_select(
        [*(c.name for c in _EVENTS.c if c.name != "seq"), "seq"],
        select(
            *(bindparam(c.name, type_=c.type) for c in _EVENTS.c if c.name != "seq"),
            func.coalesce(func.max(_EVENTS.c.seq), 0) + 1,
        ).where(_EVENTS.c.case_id == bindparam("case_id")),
    )
)
_DEADLINES = Base.metadata.tables[Deadline.__tablename__]
_DEADLINE_KEYS = ("id", "case_id", "council_id", "timer", "rule", "start_date", "due_date", "due_time",
                  "outer_due_date", "fires_at", "basis", "explanation", "expiry_kind", "on_expiry", "status",
                  "created_at")  # fmt: skip
_INSERT_DEADLINE = Statements(insert(_DEADLINES), keys=_DEADLINE_KEYS)
_CLOSE_DEADLINE = Statements(
    update(_DEADLINES)
    .where(_DEADLINES.c.id == bindparam("closed_id"))
    .values({name: bindparam(f"new_{name}") for name in ("status", "fired_at", "outcome")})
)
_REMINDERS = Base.metadata.tables[Reminder.__tablename__]
_INSERT_REMINDER = Statements(
    insert(_REMINDERS),
    keys=("id", "deadline_id", "case_id", "days_before", "remind_at", "parties", "status", "details"),
)
_CANCEL_REMINDERS = Statements(
    update(_REMINDERS)
    .where(_REMINDERS.c.deadline_id == bindparam("closed_id"), _REMINDERS.c.status == PENDING)
    .values(status=CANCELLED)
)
_OUTBOX_KEYS = ("id", "council_id", "case_id", "topic", "payload", "created_at", "dispatched_at", "processed_at")
_INSERT_OUTBOX = Statements(insert(Base.metadata.tables[OutboxMessage.__tablename__]), keys=_OUTBOX_KEYS)
_CASES = Base.metadata.tables[Case.__tablename__]
_UPDATE_CASE = Statements(
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"), _CASES.c.version == bindparam("old_version"))
    .values({name: bindparam(f"new_{name}") for name in ("state", "facts", "state_changed_at", "closed_at", "version")})
)
_UPDATE_FACTS = Statements(
    update(_CASES).where(_CASES.c.id == bindparam("case_id")).values(facts=bindparam("new_facts"))
)
# The case's next due date, as the work queue sorts and flags it: an escalation that fired after the case last
# changed state stands (overdue until the case moves on) and comes first; else the soonest pending deadline.
_ESCALATION_STANDS = and_(
    _DEADLINES.c.status == FIRED,
    _DEADLINES.c.expiry_kind == "escalate",
    _DEADLINES.c.fired_at > _CASES.c.state_changed_at,
)
_STANDING = and_(_DEADLINES.c.case_id == _CASES.c.id, or_(_DEADLINES.c.status == PENDING, _ESCALATION_STANDS))
_FIRST_STANDING = (_DEADLINES.c.status == PENDING, _DEADLINES.c.due_date, _DEADLINES.c.created_at, _DEADLINES.c.id)


def _first_standing(column: Any) -> Any:
    return select(column).where(_STANDING).order_by(*_FIRST_STANDING).limit(1).scalar_subquery()


_REFRESH_NEXT_DUE = Statements(  # the subqueries are correlated to the cases row being updated
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"))
    .values(
        next_due_date=_first_standing(_DEADLINES.c.due_date),
        next_due_timer=_first_standing(_DEADLINES.c.timer),
        next_due_escalated=exists().where(_DEADLINES.c.case_id == _CASES.c.id, _ESCALATION_STANDS),
    )
)
NEXT_DUE_COLUMNS = ("next_due_date", "next_due_timer", "next_due_escalated")


@dataclass(frozen=True)
class RecordedEvent:
    """An audit event as written: its id goes into the outbox messages it causes."""

    id: uuid.UUID


@dataclass(frozen=True)
class ArmedDeadline:
    """A deadline as armed: what its reminders are scheduled from."""

    id: uuid.UUID
    case_id: uuid.UUID
    due_date: date
    fires_at: datetime


@dataclass(frozen=True)
class TransitionResult:
    case_id: uuid.UUID
    reference: str
    trigger: str
    from_state: str
    state: str
    version: int
    event_id: uuid.UUID


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
    """
    defn = registry.get(case.workflow, case.workflow_version)
    check_case_access(session, actor, case, trigger)  # first: someone who may not act is told so, not "changed"
    if expected_version is not None and expected_version != case.version:
        raise StaleCase(case.reference)
    today = london_date(now)
    transition = workflow_engine.transition_for(defn, case.state, trigger, actor.role)
    stamped = _stamped(transition, actor, raw or {}, today)
    data = workflow_engine.parse_data(transition, stamped, today=today)
    deadlines = case_repo.deadline_rows(session, case.id)
    gathered = fact_providers.gather(session, case, trigger, stamped)  # what is recorded, not what was typed
    kept = {**gathered.keep, **(keep or {})}
    ctx = GuardContext(
        role=actor.role,
        today=today,
        actor_id=str(actor.user_id) if actor.user_id else None,
        data=data,
        facts=stored_facts(defn, {**case.facts, **gathered.facts, **(extra_facts or {}), **kept}),
        deadlines={deadline.timer: deadline.due_date for deadline in deadlines},
    )
    outcome = workflow_engine.fire(defn, case.state, trigger, ctx)

    source = case.state
    _write_case(
        session,
        case,
        state=outcome.dest,
        facts=_recorded_facts({**case.facts, **kept}, data, decision_by=actor if transition.decision else None),
        now=now,
        closed=defn.state(outcome.dest).closed,
    )
    event = record_event(
        session,
        case,
        actor,
        now=now,
        kind="transition",
        summary=transition.label,
        trigger=trigger,
        from_state=source,
        to_state=outcome.dest,
        data={**{k: to_json_value(v) for k, v in data.items()}, **(event_data or {})},
    )
    _update_deadlines(session, defn, case, source, outcome, deadlines, now)
    _write_outbox(session, defn, case, outcome, event, now)
    effects.after_transition(session, case, outcome, data, now, actor)
    refresh_next_due(session, case)
    return TransitionResult(case.id, case.reference, trigger, source, case.state, case.version, event.id)


def _write_case(
    session: Session, case: Case, *, state: str, facts: dict[str, Any], now: datetime, closed: bool
) -> None:
    """Store the case's new state with one UPDATE guarded by its version, before anything else is written.

    The statement the ORM's flush would issue (version_id_col), without the unit of work; the
    object is then told its new values are stored. Written first, so that the effects' queries
    see the case as it now is, as an autoflush would have shown them.
    """
    # A case leaving a dormant state (a late review or appeal) is open again.
    written = {"state": state, "facts": facts, "state_changed_at": now,
               "closed_at": now if closed else None, "version": case.version + 1}  # fmt: skip
    updated = _UPDATE_CASE.execute(
        session, {"case_id": case.id, "old_version": case.version, **{f"new_{k}": v for k, v in written.items()}}
    )
    if updated != 1:
        raise StaleCase(case.reference)
    for key, value in written.items():
        set_committed_value(case, key, value)


def refresh_next_due(session: Session, case: Case) -> None:
    """Store the case's next due date for the work queue, after anything that arms, fires, cancels or moves one
    of its deadlines, or changes its state (which ends an escalation's standing), in the same transaction.

    One UPDATE that works it out from the deadlines themselves, so every writer stores the same answer;
    the object forgets the old values (read again if asked for).
    """
    _REFRESH_NEXT_DUE.execute(session, {"case_id": case.id})
    session.expire(case, NEXT_DUE_COLUMNS)


def soonest_pending(deadlines: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The next-due columns of a new case whose deadlines (rows as deadline_row makes them) are all pending:
    what refresh_next_due would store, for a bulk load that inserts the case and its deadlines together."""
    first = min(deadlines, key=lambda row: (row["due_date"], row["created_at"], row["id"]), default=None)
    return {
        "next_due_date": first["due_date"] if first else None,
        "next_due_timer": first["timer"] if first else None,
        "next_due_escalated": False,
    }


def add_facts(session: Session, case: Case, facts: Mapping[str, Any]) -> None:
    """Record more facts on a case during its transition (an effect's findings), under the same version."""
    merged = {**case.facts, **{key: to_json_value(value) for key, value in facts.items()}}
    _UPDATE_FACTS.execute(session, {"case_id": case.id, "new_facts": merged})
    set_committed_value(case, "facts", merged)


def _stamped(transition: Transition, actor: Actor, raw: Mapping[str, Any], today: date) -> Mapping[str, Any]:
    """A group or an owner does not choose the day something reached the council: it is the day they sent it.
    Nor do they give the council's own answers (a late request allowed in writing): those are dropped, so a waiver
    is only ever the council's."""
    if actor.role in STAFF_ROLES or actor.role is Role.SYSTEM:
        return raw
    council_only = {f.name for f in transition.fields if f.staff_only}
    theirs = {key: value for key, value in raw.items() if key not in council_only}
    return {**theirs, **{f.name: today.isoformat() for f in transition.fields if f.stamped}}


def stored_facts(defn: Definition, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Case facts as guards see them: ISO strings of date fields turned back into dates."""
    date_fields = defn.date_fields()
    return {
        key: date.fromisoformat(value) if key in date_fields and isinstance(value, str) else value
        for key, value in facts.items()
    }


def _recorded_facts(facts: Mapping[str, Any], data: Mapping[str, Any], *, decision_by: Actor | None) -> dict[str, Any]:
    merged = {**facts, **{key: to_json_value(value) for key, value in data.items()}}
    if decision_by is not None and decision_by.user_id is not None:
        makers = list(merged.get("decision_makers") or [])
        if str(decision_by.user_id) not in makers:
            makers.append(str(decision_by.user_id))
        merged["decision_makers"] = makers
    return merged


def record_event(
    session: Session,
    case: Case,
    actor: Actor,
    *,
    now: datetime,
    kind: str,
    summary: str,
    trigger: str | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> RecordedEvent:
    """Append one event to the case's audit trail (the table refuses updates and deletes)."""
    event_id = uuid.uuid4()
    _INSERT_EVENT.execute(
        session,
        {
            "id": event_id,
            "case_id": case.id,
            "kind": kind,
            "trigger": trigger,
            "from_state": from_state,
            "to_state": to_state,
            "actor_id": actor.user_id,
            "actor_role": actor.role.value,
            "summary": summary,
            "data": dict(data or {}),
            "occurred_at": now,
        },
    )
    return RecordedEvent(event_id)


def _update_deadlines(
    session: Session,
    defn: Definition,
    case: Case,
    source: str,
    outcome: Outcome,
    deadlines: Sequence[case_repo.DeadlineRow],
    now: datetime,
) -> None:
    pending = {deadline.timer: deadline.id for deadline in deadlines if deadline.status == PENDING}
    arm, cancel = workflow_engine.timer_changes(defn, source, outcome, pending)
    for name in cancel:
        close_deadline(
            session,
            session.get_one(Deadline, pending[name]),
            CANCELLED,
            f"Not needed: the case is now {defn.state(outcome.dest).label.lower()}",
            now,
        )
    if not arm:
        return
    offsets, holidays = council_repo.calendar(session, case.council_id)
    facts = stored_facts(defn, case.facts)
    for timer in arm:
        if timer.name in pending:
            superseded = session.get_one(Deadline, pending[timer.name])
            close_deadline(session, superseded, CANCELLED, "Superseded by a new deadline", now)
        rule_id, start_field = timer.rule_and_start(facts)
        start = facts.get(start_field)
        if not isinstance(start, date):
            raise RuntimeError(f"{defn.name}: timer {timer.name} needs the date {start_field!r}, which is not recorded")
        arm_timer(session, case, timer, start, holidays=holidays, offsets=offsets, now=now, rule_id=rule_id)


def arm_timer(
    session: Session,
    case: Case,
    timer: Timer,
    start: date,
    *,
    holidays: Iterable[date] | periods.EnteredHolidays,
    offsets: Mapping[str, Any],
    now: datetime,
    rule_id: str | None = None,
) -> ArmedDeadline:
    """Store a deadline for `timer` running from `start`, with its reminders still in the future.

    `rule_id` is the rule the timer runs under for this case (its own, or its
    variant's); a policy period comes from the policy the case pinned.
    """
    period = periods.compute(policies.rule_for(session, case, rule_id or timer.rule), start, extra_holidays=holidays)
    row = deadline_row(case.id, case.council_id, timer, period, start, now)
    armed = ArmedDeadline(row["id"], case.id, period.due, row["fires_at"])
    _INSERT_DEADLINE.execute(session, row)
    schedule_reminders(session, armed, timer, workflow=case.workflow, offsets=offsets, now=now)
    return armed


def deadline_row(
    case_id: uuid.UUID, council_id: uuid.UUID, timer: Timer, period: periods.Period, start: date, now: datetime
) -> dict[str, Any]:
    """The stored deadline of `timer` over `period`: what arm_timer inserts, and a bulk load inserts many of."""
    return {
        "id": uuid.uuid4(),
        "case_id": case_id,
        "council_id": council_id,
        "timer": timer.name,
        "rule": period.rule.id,
        "start_date": start,
        "due_date": period.due,
        "due_time": period.due_time,
        "outer_due_date": period.outer_due,
        "fires_at": period.ends_at(),
        "basis": period.basis,
        "explanation": list(period.explanation),
        "expiry_kind": timer.expiry_kind,
        "on_expiry": timer.on_expiry,
        "status": PENDING,
        "created_at": now,
    }


def schedule_reminders(
    session: Session,
    deadline: ArmedDeadline | Deadline,
    timer: Timer,
    *,
    workflow: str,
    offsets: Mapping[str, Any],
    now: datetime,
) -> None:
    """One reminder per offset (the council's, else the workflow's) that has not already passed."""
    _INSERT_REMINDER.execute_many(session, reminder_rows(deadline, timer, workflow=workflow, offsets=offsets, now=now))


def reminder_rows(
    deadline: ArmedDeadline | Deadline, timer: Timer, *, workflow: str, offsets: Mapping[str, Any], now: datetime
) -> list[dict[str, Any]]:
    """The reminders schedule_reminders stores for a deadline, as rows (a bulk load inserts many at once).

    `offsets` is the council's reminder days, keyed by workflow and timer (`reminder_key`).
    """
    days_before = offsets.get(reminder_key(workflow, timer.name), timer.reminders)
    rows = []
    for days in sorted({int(d) for d in days_before}, reverse=True):
        day = deadline.due_date - timedelta(days=days)
        remind_at = datetime.combine(day, REMINDER_TIME, tzinfo=periods.LONDON).astimezone(UTC)
        if remind_at <= now or remind_at >= deadline.fires_at:
            continue
        rows.append(
            {
                "id": uuid.uuid4(),
                "deadline_id": deadline.id,
                "case_id": deadline.case_id,
                "days_before": days,
                "remind_at": remind_at,
                "parties": [party.value for party in timer.remind],
                "status": PENDING,
                "details": {"timer": timer.name, "label": timer.label},
            }
        )
    return rows


def close_deadline(session: Session, deadline: Deadline, status: str, outcome: str, now: datetime) -> None:
    """Mark a deadline fired or cancelled, and cancel its reminders that have not gone yet.

    Two UPDATEs, no reads: the sweep closes thousands of deadlines a batch. The object is told
    its new values are stored, as after a flush.
    """
    closed = {"status": status, "fired_at": now, "outcome": outcome}
    _CLOSE_DEADLINE.execute(session, {"closed_id": deadline.id, **{f"new_{k}": v for k, v in closed.items()}})
    _CANCEL_REMINDERS.execute(session, {"closed_id": deadline.id})
    for key, value in closed.items():
        set_committed_value(deadline, key, value)


def _write_outbox(
    session: Session, defn: Definition, case: Case, outcome: Outcome, event: RecordedEvent, now: datetime
) -> None:
    base: dict[str, Any] = {"case_id": str(case.id), "event_id": str(event.id), "reference": case.reference}
    messages: list[tuple[str, dict[str, Any]]] = [
        (
            "case.transitioned",
            {**base, "workflow": defn.name, "trigger": outcome.trigger, "from": outcome.source, "to": outcome.dest},
        )
    ]
    for notice in defn.notices_for(outcome.trigger):
        payload: dict[str, Any] = {
            **base,
            "template": notice.template,
            "title": notice.title,
            "basis": notice.basis,
            "parties": [party.value for party in notice.parties],
        }
        messages.append(("notice.requested", payload))
    _INSERT_OUTBOX.execute_many(
        session, [_outbox_row(topic, payload, now, case.council_id, case.id) for topic, payload in messages]
    )


def enqueue(
    session: Session,
    topic: str,
    payload: Mapping[str, Any],
    *,
    now: datetime,
    council_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add a message to the outbox, to be relayed by the worker after this transaction commits."""
    row = _outbox_row(topic, payload, now, council_id, case_id)
    _INSERT_OUTBOX.execute(session, row)
    message_id: uuid.UUID = row["id"]
    return message_id


def _outbox_row(
    topic: str, payload: Mapping[str, Any], now: datetime, council_id: uuid.UUID | None, case_id: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "council_id": council_id,
        "case_id": case_id,
        "topic": topic,
        "payload": dict(payload),
        "created_at": now,
        "dispatched_at": None,
        "processed_at": None,
    }


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
    offsets, holidays = council_repo.calendar(session, case.council_id)
    known = stored_facts(defn, case.facts)
    for timer in defn.timers:
        start = known.get(timer.start)
        if state in timer.active_in and isinstance(start, date):
            arm_timer(session, case, timer, start, holidays=holidays, offsets=offsets, now=now)
    session.flush()  # the state and its time are written, which the next due date is worked out against
    refresh_next_due(session, case)
    return event
