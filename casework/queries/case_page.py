"""Everything the case page shows, for the person looking: summary, dates, timeline, documents, actions."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.actors import Actor
from casework.db import Database
from casework.errors import CaseNotFound
from casework.models import Asset, Case, Document, Organisation, User
from casework.permissions import check_case_read, may_act
from casework.queries import case_record
from casework.queries.case_record import DateView, DeliveryView, LinkView, PartyView, TimelineEntry
from casework.queries.problems import Problem, problems
from workflows import machines, registry
from workflows.definition import Definition, Transition
from workflows.party_words import PartyWords
from workflows.roles import STAFF_ROLES


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
    page: str = ""  # the page of its own the step is taken on, by name (Transition.page), or the generic form
    party_words: PartyWords | None = None  # what the owner or group reads on its form


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
            **_asset_fields(asset),
            organisation=_name(session, Organisation, case.organisation_id),
            assigned_to=_name(session, User, case.assigned_to),
            facts=dict(case.facts),
            dates=case_record.dates(session, defn, case),
            timeline=case_record.timeline(session, case, staff),
            documents=_documents(session, case, actor),
            parties=case_record.parties(session, asset) if staff else (),
            deliveries=case_record.deliveries(session, case) if staff else (),
            problems=tuple(problems(session, case.council_id, case.id)) if staff else (),
            links=case_record.links(session, case),
            actions=_actions(session, actor, defn, case),
            staff_view=staff,
            may_add_documents=may_act(session, actor, case, None),
        )


class _AssetFields(TypedDict):
    """The asset's part of a case page: what and where it is (none for a case about no land, a challenge)."""

    asset_name: str | None
    asset_address: str | None
    asset_category: str | None
    asset_ward: str | None
    asset_point: str | None
    asset_boundary: str | None


def _asset_fields(asset: Asset | None) -> _AssetFields:
    return _AssetFields(
        asset_name=asset.name if asset else None,
        asset_address=asset.address if asset else None,
        asset_category=asset.category if asset else None,
        asset_ward=asset.ward if asset else None,
        asset_point=asset.point if asset else None,
        asset_boundary=asset.boundary if asset else None,
    )


_Named = TypeVar("_Named", Organisation, User)


def _name(session: Session, model: type[_Named], id_: uuid.UUID | None) -> str | None:
    """The name of the group or officer a case names, if it names one."""
    found = session.get(model, id_) if id_ else None
    return found.name if found else None


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
        page=transition.page,
        party_words=transition.party_words,
    )
