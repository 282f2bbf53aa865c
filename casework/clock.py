"""The only place that reads the wall clock: services take `now` and default to this."""

from __future__ import annotations

from datetime import UTC, date, datetime

from workflows.periods import LONDON


def utcnow() -> datetime:
    return datetime.now(UTC)


def london_date(moment: datetime) -> date:
    """The calendar date in England at `moment`: statutory days are English days."""
    return moment.astimezone(LONDON).date()
