"""What every process's fact providers share: the provider's signature, and reading a date or the case's group.

A provider is handed the case and the fields as typed; dates arrive as text from a form or the API, or as a date
from the engine, so each provider reads them the same way here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from casework.facts.gathered import Gathered
from casework.models import Case, Organisation

Provider = Callable[[Session, Case, Mapping[str, Any]], Gathered]


def as_date(value: Any) -> date | None:
    """`value` as a date, or None when it is missing or not an ISO date (a guard then refuses, beside the field)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def organisation_of(session: Session, case: Case) -> Organisation | None:
    """The group the case is made by, if it has one."""
    return session.get(Organisation, case.organisation_id) if case.organisation_id else None
