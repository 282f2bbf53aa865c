"""How a demo case is told: a list of dated steps, applied in order by one helper, in one setting.

Every date in the demo is a number of days before the day it is loaded (Ago), so the demo always
shows live clocks: a decision nearly due, a moratorium running, a nomination overdue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from casework.actors import Actor
from casework.db import Database
from casework.services.case_transitions import apply_transition
from workflows.roles import Role


class Ago(int):
    """A date in a step's fields, written as so many days before the day the demo is loaded."""


@dataclass(frozen=True)
class Step:
    """One transition of a demo case: its trigger, how many days ago it happened, its fields, and who acted."""

    trigger: str
    days_ago: int
    data: Mapping[str, Any] = field(default_factory=dict)
    by: Role = Role.OFFICER


@dataclass(frozen=True)
class Setting:
    """What every demo case is made in: the database, the demo council, the group bidding, its people, and today."""

    db: Database
    council_id: uuid.UUID
    friends: uuid.UUID
    actors: Mapping[Role, Actor]
    today: date

    def day(self, days_ago: int) -> date:
        return self.today - timedelta(days=days_ago)

    def at(self, days_ago: int) -> datetime:
        """The moment a step `days_ago` days back is recorded: ten in the morning, so it falls on that day."""
        return datetime.combine(self.day(days_ago), time(10, 0), tzinfo=UTC)

    def dated(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """`data` with each Ago written as the date it stands for."""
        return {key: self.day(value) if isinstance(value, Ago) else value for key, value in data.items()}

    def apply(self, case_id: uuid.UUID, steps: Iterable[Step]) -> None:
        """Move the case through `steps` in order, each by its actor on its day, each in its own transaction."""
        for step in steps:
            actor = self.actors[step.by]
            apply_transition(self.db, case_id, step.trigger, actor, self.dated(step.data), now=self.at(step.days_ago))
