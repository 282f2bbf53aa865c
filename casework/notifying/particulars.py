"""The particulars a notice states, filled into its words: what every notice about a case says (its council,
land, facts and pending dates) and what one message adds (the reasons given with its action, a reminder's
deadline and the time left).

Worked out once per case however many notices of a batch are about it
(casework.notifying.notifications), and fixed when the notice is planned, so an
email and a letter say the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock
from casework.config import Settings
from casework.models import Asset, Case, CaseEvent, Council, Deadline, Organisation, RegisterEntry
from casework.models.deadline import PENDING as DEADLINE_PENDING
from workflows import registry
from workflows.periods import long_date

_REASON_FIELDS = ("reasons", "proposed_modification", "missing_items", "eoi_reasons", "modification")


def about_case(session: Session, case: Case, asset: Asset | None, settings: Settings) -> dict[str, Any]:
    """What every notice about the case says: its council, land, facts and pending dates."""
    council = session.get_one(Council, case.council_id)
    return {
        "service_name": settings.service_name,
        "council_name": council.name,
        "council_code": council.code,
        "reference": case.reference,
        "asset": asset.name if asset else None,
        "address": asset.address if asset else None,
        "applicant": _applicant_name(session, case),
        **_from_facts(case.facts),
        "case_url": f"{settings.base_url}/cases/{case.reference}",
        "dates": _pending_dates(session, case),
    }


def _from_facts(facts: Mapping[str, Any]) -> dict[str, Any]:
    """The names, dates and sums a notice may quote from the case's facts, dates written out in words."""
    return {
        "nominator": facts.get("nominating_group") or "a community group",
        "service": facts.get("service_name") or facts.get("service") or "the service",
        "expected_decision_by": _long(facts.get("expected_decision_by")),
        "validation_date": _long(facts.get("validation_date")),
        "representations_close_on": _long(facts.get("representations_close_on")),
        "offer_period_ends_on": _long(facts.get("offer_period_ends_on")),
        "amount": facts.get("amount_awarded"),
        "group": (facts.get("interested_groups") or [facts.get("cig_name") or "a community interest group"])[-1],
        "notice_date": long_date(date.fromisoformat(facts["notice_received_on"]))
        if facts.get("notice_received_on")
        else "",
    }


def _pending_dates(session: Session, case: Case) -> list[dict[str, Any]]:
    """The case's deadlines still to come, soonest first, each with its label, day, time and basis."""
    timers = {t.name: t.label for t in registry.get(case.workflow, case.workflow_version).timers}
    pending = session.scalars(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.status == DEADLINE_PENDING)
        .order_by(Deadline.due_date)
    ).all()
    return [
        {
            "label": timers[d.timer],
            "due": long_date(d.due_date),
            "time": d.due_time.strftime("%H:%M") if d.due_time else None,
            "basis": d.basis,
        }
        for d in pending
        if d.timer in timers
    ]


def about_message(session: Session, case: Case, payload: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """What this notice adds: the reasons given with its action, and a reminder's deadline and time left."""
    due = payload.get("due")
    return {
        "reasons": _reasons(session, payload, case.facts),
        "label": payload.get("label", ""),
        "due": long_date(date.fromisoformat(due)) if due else "",
        "due_time": f", before {payload['due_time']}" if payload.get("due_time") else "",
        # Counted when the email is written, not from the reminder's offset: a reminder sent late says so.
        "left": time_left(date.fromisoformat(due), clock.london_date(now)) if due else "",
        "basis": payload.get("basis"),
    }


def _reasons(session: Session, payload: Mapping[str, Any], facts: Mapping[str, Any]) -> str | None:
    """The reasons given with the action that sent this notice, not whatever reasons the case recorded earlier."""
    event = session.get(CaseEvent, uuid.UUID(payload["event_id"])) if payload.get("event_id") else None
    source: Mapping[str, Any] = event.data if event is not None else facts
    return next((str(source[name]) for name in _REASON_FIELDS if source.get(name)), None)


def _long(value: Any) -> str:
    return long_date(date.fromisoformat(value)) if isinstance(value, str) and value else ""


def _applicant_name(session: Session, case: Case) -> str:
    organisation = session.get(Organisation, case.organisation_id) if case.organisation_id else None
    return organisation.name if organisation else "the group"


def time_left(due: date, today: date) -> str:
    """How long until the end of `due`, as a reminder says it: today, tomorrow, in 7 days."""
    days = (due - today).days
    if days < 0:
        return "that day has passed"
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    return f"in {days} days"


def register_url(session: Session, case: Case, settings: Settings, council_code: str) -> str | None:
    """The public register entry for the case's land: the page a resident can open without signing in."""
    if case.asset_id is None:
        return None
    reference = session.scalars(
        select(RegisterEntry.reference)
        .where(RegisterEntry.asset_id == case.asset_id)
        .order_by(RegisterEntry.end_date.is_not(None), RegisterEntry.list_kind, RegisterEntry.entry_date.desc())
    ).first()
    return f"{settings.base_url}/register/{council_code}/{reference}" if reference else None
