"""Everything the case page shows, for the person looking: summary, dates, timeline, documents, actions."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import CaseNotFound
from casework.models import (
    Asset,
    AssetParty,
    Case,
    CaseEvent,
    CaseLink,
    Deadline,
    Delivery,
    Document,
    Letter,
    Organisation,
    User,
)
from casework.permissions import check_case_read, may_act
from casework.queries.problems import Problem, problems
from workflows import machines, registry
from workflows.definition import Definition, Transition
from workflows.roles import STAFF_ROLES

PANEL_EVENTS = frozenset({"score", "moderation", "conflict"})  # the panel's working: staff only


@dataclass(frozen=True)
class FieldView:
    name: str
    kind: str
    label: str
    required: bool
    choices: tuple[tuple[str, str], ...]
    hint: str
    stamped: bool = False
    staff_only: bool = False


@dataclass(frozen=True)
class ActionView:
    trigger: str
    label: str
    basis: str
    fields: tuple[FieldView, ...]
    tasks: tuple[str, ...]


@dataclass(frozen=True)
class DateView:
    timer: str
    label: str
    rule: str
    start: date
    due: date
    due_time: time | None
    outer_due: date | None
    status: str
    basis: str
    explanation: tuple[str, ...]
    outcome: str | None


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    summary: str
    actor: str
    occurred_at: datetime
    data: dict[str, Any]
    public: bool


@dataclass(frozen=True)
class DocumentView:
    id: uuid.UUID
    filename: str
    content_type: str
    size_bytes: int
    description: str | None
    public: bool
    uploaded_at: datetime


@dataclass(frozen=True)
class PartyView:
    kind: str
    name: str
    email: str | None
    address: str | None


@dataclass(frozen=True)
class DeliveryView:
    id: uuid.UUID
    parties: tuple[str, ...]  # every capacity the one email served the recipient in
    recipient: str
    subject: str
    channel: str
    status: str
    sent_at: datetime | None
    last_error: str | None
    provider_status: str | None = None  # GOV.UK Notify's word on it: delivered, permanent-failure...
    resent_at: datetime | None = None  # sent again after a try that may have gone (the same Message-ID)
    posted_on: date | None = None  # a letter: the day it was posted (the proof of service)
    arrives_on: date | None = None  # ... and the day it arrives in the ordinary course of post
    step_taken: str | None = None  # ... or the other reasonable step taken instead


@dataclass(frozen=True)
class LinkView:
    kind: str
    reference: str
    title: str
    state_label: str


@dataclass(frozen=True)
class CasePage:
    id: uuid.UUID
    reference: str
    workflow: str
    workflow_title: str
    workflow_version: int
    state: str
    state_label: str
    state_description: str
    terminal: bool
    version: int
    council_id: uuid.UUID
    asset_id: uuid.UUID | None
    asset_name: str | None
    asset_address: str | None
    asset_category: str | None
    asset_ward: str | None
    asset_point: str | None  # WKT, WGS84: where the asset is, for the case page's map
    asset_boundary: str | None
    organisation: str | None
    assigned_to: str | None
    facts: dict[str, Any]
    dates: tuple[DateView, ...]
    timeline: tuple[TimelineEntry, ...]
    documents: tuple[DocumentView, ...]
    parties: tuple[PartyView, ...]
    deliveries: tuple[DeliveryView, ...]
    problems: tuple[Problem, ...]  # what the worker could not do on this case (staff only)
    links: tuple[LinkView, ...]
    actions: tuple[ActionView, ...]
    staff_view: bool
    may_add_documents: bool = False  # a group that only reads the case (a bidder) adds nothing to it

    @property
    def title(self) -> str:
        """What the case is about: the place, or for a challenge the service; the reference only when neither is
        known (a draft not yet named)."""
        return self.asset_name or str(self.facts.get("service_name") or "") or self.reference

    def date(self, timer: str) -> DateView | None:
        found = [d for d in self.dates if d.timer == timer]
        return found[-1] if found else None


def case_page(db: Database, actor: Actor, reference: str) -> CasePage:
    """The case as `actor` may see it; raises CaseNotFound or PermissionDenied.

    Staff see everything; a group member or owner sees the case without
    internal notes, proof of service or the council's own working.
    """
    with db.reader() as session:
        case = _readable(session, actor, reference)
        staff = actor.role in STAFF_ROLES
        defn = registry.get(case.workflow, case.workflow_version)
        asset = session.get(Asset, case.asset_id) if case.asset_id else None
        organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
        assignee = session.get(User, case.assigned_to) if case.assigned_to else None
        state = defn.state(case.state)
        return CasePage(
            id=case.id,
            reference=case.reference,
            workflow=case.workflow,
            workflow_title=defn.title,
            workflow_version=case.workflow_version,
            state=case.state,
            state_label=state.label,
            state_description=state.description,
            terminal=state.terminal,
            version=case.version,
            council_id=case.council_id,
            asset_id=case.asset_id,
            asset_name=asset.name if asset else None,
            asset_address=asset.address if asset else None,
            asset_category=asset.category if asset else None,
            asset_ward=asset.ward if asset else None,
            asset_point=asset.point if asset else None,
            asset_boundary=asset.boundary if asset else None,
            organisation=organisation.name if organisation else None,
            assigned_to=assignee.name if assignee else None,
            facts=dict(case.facts),
            dates=_dates(session, defn, case),
            timeline=_timeline(session, case, staff),
            documents=_documents(session, case, actor),
            parties=_parties(session, asset) if staff else (),
            deliveries=_deliveries(session, case) if staff else (),
            problems=tuple(problems(session, case.council_id, case.id)) if staff else (),
            links=_links(session, case),
            actions=_actions(session, actor, defn, case),
            staff_view=staff,
            may_add_documents=may_act(session, actor, case, None),
        )


@dataclass(frozen=True)
class CaseActions:
    """What taking an action needs of a case, without the rest of its page: the form shown, or the POST's
    transition (building the whole page first cost 1.9 ms of a decision's 5 ms, bench/README.md, B4)."""

    id: uuid.UUID
    reference: str
    workflow: str
    version: int
    asset_name: str | None
    actions: tuple[ActionView, ...]


def case_actions(db: Database, actor: Actor, reference: str) -> CaseActions:
    """The actions `actor` may take on the case, under the same checks as its page; raises CaseNotFound
    or PermissionDenied."""
    with db.reader() as session:
        case = _readable(session, actor, reference)
        defn = registry.get(case.workflow, case.workflow_version)
        asset_name = session.scalar(select(Asset.name).where(Asset.id == case.asset_id)) if case.asset_id else None
        return CaseActions(
            case.id, case.reference, case.workflow, case.version, asset_name, _actions(session, actor, defn, case)
        )


def _readable(session: Session, actor: Actor, reference: str) -> Case:
    case = session.scalars(select(Case).where(Case.reference == reference)).first()
    if case is None:
        raise CaseNotFound(f"There is no case {reference}")
    check_case_read(session, actor, case)
    return case


def _actions(session: Session, actor: Actor, defn: Definition, case: Case) -> tuple[ActionView, ...]:
    return tuple(
        _action(t)
        for t in machines.available_triggers(defn, case.state, actor.role)
        if may_act(session, actor, case, t.trigger)
    )


def _dates(session: Session, defn: Definition, case: Case) -> tuple[DateView, ...]:
    labels = {timer.name: timer.label for timer in defn.timers}
    rows = session.scalars(select(Deadline).where(Deadline.case_id == case.id).order_by(Deadline.created_at)).all()
    return tuple(
        DateView(
            d.timer,
            labels.get(d.timer, d.timer),
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
        for d in rows
    )


def _timeline(session: Session, case: Case, staff: bool) -> tuple[TimelineEntry, ...]:
    events = session.execute(
        select(CaseEvent, User.name)
        .outerjoin(User, User.id == CaseEvent.actor_id)
        .where(CaseEvent.case_id == case.id)
        .order_by(CaseEvent.seq.desc())
    ).all()
    entries = []
    for event, name in events:
        public = (event.kind != "note" or bool(event.data.get("public"))) and event.kind not in PANEL_EVENTS
        if staff or public:
            actor = name or event.actor_role.replace("_", " ").capitalize()
            entries.append(TimelineEntry(event.kind, event.summary, actor, event.occurred_at, dict(event.data), public))
    return tuple(entries)


def case_documents(db: Database, actor: Actor, case_id: uuid.UUID) -> tuple[DocumentView, ...]:
    """The documents on a case the actor may see, for pages that show them outside the case page."""
    with db.reader() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseNotFound("There is no such case")
        check_case_read(session, actor, case)
        return _documents(session, case, actor)


def _documents(session: Session, case: Case, actor: Actor) -> tuple[DocumentView, ...]:
    stmt = select(Document).where(Document.case_id == case.id).order_by(Document.uploaded_at)
    return tuple(
        DocumentView(d.id, d.filename, d.content_type, d.size_bytes, d.description, d.public, d.uploaded_at)
        for d in session.scalars(stmt)
        if document_visible(actor, d)
    )


def document_visible(actor: Actor, document: Document) -> bool:
    """Staff see their council's documents; others see public ones and those they or their group added."""
    if actor.role in STAFF_ROLES:
        return actor.council_id == document.council_id
    return (
        document.public
        or (actor.user_id is not None and document.uploaded_by == actor.user_id)
        or (document.organisation_id is not None and document.organisation_id in actor.organisation_ids)
    )


def _parties(session: Session, asset: Asset | None) -> tuple[PartyView, ...]:
    if asset is None:
        return ()
    rows = session.scalars(
        select(AssetParty)
        .where(AssetParty.asset_id == asset.id, AssetParty.current.is_(True))
        .order_by(AssetParty.created_at)
    )
    return _one_per_person(PartyView(p.kind, p.name, p.email, p.address) for p in rows)


def _one_per_person(parties: Iterable[PartyView]) -> tuple[PartyView, ...]:
    """The owner the nomination named and the owner's account an officer recorded are one person when they share
    an email address: listed once, under both names ("Borchester Brewery plc (Oscar Owner)")."""
    merged: dict[tuple[str, str], PartyView] = {}
    others: list[PartyView] = []
    for party in parties:
        if not party.email:
            others.append(party)
            continue
        key = (party.kind, party.email.strip().lower())
        first = merged.get(key)
        if first is None:
            merged[key] = party
        elif party.name.casefold() not in first.name.casefold():
            merged[key] = PartyView(
                first.kind, f"{first.name} ({party.name})", first.email, first.address or party.address
            )
    return (*merged.values(), *others)


def _deliveries(session: Session, case: Case) -> tuple[DeliveryView, ...]:
    rows = session.scalars(select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.created_at.desc()))
    posted = {
        row.delivery_id: row
        for row in session.execute(
            select(Letter.delivery_id, Letter.posted_on, Letter.arrives_on, Letter.step_taken).where(
                Letter.case_id == case.id
            )
        )
    }
    return tuple(
        DeliveryView(
            d.id, tuple(d.parties), d.recipient, d.subject, d.channel, d.status, d.sent_at, d.last_error,
            d.provider_status, d.resent_at, *((posted[d.id].posted_on, posted[d.id].arrives_on, posted[d.id].step_taken)
                                 if d.id in posted else (None, None, None)),
        )
        for d in rows
    )  # fmt: skip


def _links(session: Session, case: Case) -> tuple[LinkView, ...]:
    outgoing = session.execute(
        select(CaseLink.kind, Case).join(Case, Case.id == CaseLink.related_case_id).where(CaseLink.case_id == case.id)
    ).all()
    incoming = session.execute(
        select(CaseLink.kind, Case).join(Case, Case.id == CaseLink.case_id).where(CaseLink.related_case_id == case.id)
    ).all()
    views = []
    for kind, other in [*outgoing, *incoming]:
        defn = registry.get(other.workflow, other.workflow_version)
        views.append(LinkView(kind, other.reference, defn.title, defn.state(other.state).label))
    return tuple(views)


def _action(transition: Transition) -> ActionView:
    return ActionView(
        trigger=transition.trigger,
        label=transition.label,
        basis=transition.basis,
        fields=tuple(
            FieldView(f.name, f.kind.value, f.label, f.required, f.choices, f.hint, f.stamped, f.staff_only)
            for f in transition.fields
        ),
        tasks=transition.tasks,
    )
