"""What a case page shows of the case's record besides its actions: its dates, its timeline (without the
panel's working or internal notes for those outside the council), the parties told and the emails and letters
sent to them, and the cases linked to it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import Asset, AssetParty, Case, CaseEvent, CaseLink, Deadline, Delivery, Letter, User
from workflows import registry
from workflows.definition import Definition

PANEL_EVENTS = frozenset({"score", "moderation", "conflict"})  # the panel's working: staff only


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


def dates(session: Session, defn: Definition, case: Case) -> tuple[DateView, ...]:
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


def timeline(session: Session, case: Case, staff: bool) -> tuple[TimelineEntry, ...]:
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


def parties(session: Session, asset: Asset | None) -> tuple[PartyView, ...]:
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


def deliveries(session: Session, case: Case) -> tuple[DeliveryView, ...]:
    rows = session.scalars(select(Delivery).where(Delivery.case_id == case.id).order_by(Delivery.created_at.desc()))
    posted = {
        row.delivery_id: row
        for row in session.execute(
            select(Letter.delivery_id, Letter.posted_on, Letter.arrives_on, Letter.step_taken).where(
                Letter.case_id == case.id
            )
        )
    }
    return tuple(_delivery(d, posted.get(d.id)) for d in rows)


def _delivery(d: Delivery, posted: Any) -> DeliveryView:
    """One email or letter; a letter with the day it was posted and arrives, or the step taken instead."""
    return DeliveryView(
        d.id,
        tuple(d.parties),
        d.recipient,
        d.subject,
        d.channel,
        d.status,
        d.sent_at,
        d.last_error,
        d.provider_status,
        d.resent_at,
        posted.posted_on if posted else None,
        posted.arrives_on if posted else None,
        posted.step_taken if posted else None,
    )


def links(session: Session, case: Case) -> tuple[LinkView, ...]:
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
