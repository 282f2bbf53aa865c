"""What a statutory period rule is: its length, unit, counting convention, calendar and basis.

Ids are part of the public contract (deadline rows, the CLI, the API): never
rename one. A change in the law gets a new id with its own `effective_from`,
so running cases keep the rule that applied when their start event happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from workflows.periods.calendars import CalendarKind


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    WORKING_DAYS = "working_days"


class Counting(StrEnum):
    BEGINNING_WITH = "beginning_with"  # inclusive: the start day is day 1
    AFTER = "after"  # exclusive: the start day is not counted ("after", "from")
    WITHIN_OF = "within_of"  # "within N of": engine targets the inclusive date, records the exclusive one
    BEGINNING_IMMEDIATELY_AFTER = "beginning_immediately_after"  # day 1 is the day after the start date
    ON_DATE = "on_date"  # a date fixed by agreement, direction or notice: the period ends on that day


class Process(StrEnum):
    ACV = "acv"
    MORATORIUM = "moratorium"
    COMPENSATION = "compensation"
    CHALLENGE = "challenge"
    ASSET_TRANSFER = "asset_transfer"  # the statutory hooks of a council's asset transfer (LGA 1972 s.123(2A))
    SCOTLAND_ATR = "scotland_atr"
    SCOTLAND_CRTB = "scotland_crtb"
    POLICY = "policy"  # set by a council's own policy (asset transfer stages, right to challenge periods)
    SERVICE = "service"  # serving a notice: when a posted letter is taken to arrive


@dataclass(frozen=True)
class Rule:
    """One statutory period: how long, counted how, in which calendar, on what authority."""

    id: str
    process: Process
    title: str
    length: int
    unit: Unit
    counting: Counting
    start_event: str
    basis: str
    calendar: CalendarKind = CalendarKind.CALENDAR_DAYS
    cutoff: time | None = None  # an act due "on or by" a day must be done before this time
    roll_forward: CalendarKind | None = None  # a period ending on a non-working day of this calendar moves on
    minimum: bool = False  # the law sets a floor: the due date is the earliest the period may end
    extension: str | None = None  # how the period may lawfully be made longer, if it may
    effective_from: date | None = None  # None: in force, commencement not recorded here
    notes: str = ""

    @property
    def length_text(self) -> str:
        if self.counting is Counting.ON_DATE:
            return "a date fixed"
        unit = self.unit.value.replace("_", " ")
        return f"{self.length} {unit[:-1] if self.length == 1 else unit}"


class UnknownRule(KeyError):
    """No statutory period has this id."""

    def __init__(self, rule_id: str) -> None:
        super().__init__(rule_id)
        self.rule_id = rule_id

    def __str__(self) -> str:
        return f"no period rule is called {self.rule_id!r}; `casework rules` lists them"
