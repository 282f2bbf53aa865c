"""What a statutory period rule is: its length, unit, counting convention, calendar and basis, and its versions.

Ids are part of the public contract (deadline rows, the CLI, the API): never
rename one. A rule id names a rule; the rule has one or more versions, each in
force from its commencement (`effective_from`) until the next version replaces
it or its `effective_to`. A change in the law that keeps the period's meaning
(a 6-month moratorium becoming 12 months) is a new version of the same id:

    Rule("moratorium.full", ..., 12, Unit.MONTHS, ..., in_force=COMMUNITY_RIGHT_TO_BUY, version=2, replaces=FULL_V1)

and `compute` uses the version in force on the day the period starts, so a
running case keeps the rule that applied when its start event happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from workflows.periods.calendars import CalendarKind
from workflows.periods.commencements import Commencement


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
    in_force: Commencement | None = None  # when this version came into force; None: in force, not recorded here
    notes: str = ""
    effective_to: date | None = None  # the last day a period under this version may start; None: until replaced
    version: int = 1
    replaces: Rule | None = None  # the version this one amends: the rule as it stood before `effective_from`

    def __post_init__(self) -> None:
        """A version follows the one it replaces: same id, the next number, in force after it. Slips fail on import."""
        problems = []
        began, ended = self.effective_from, self.effective_to
        if began is not None and ended is not None and ended < began:
            problems.append("its effective_to is before its effective_from")
        earlier = self.replaces
        if earlier is None and self.version != 1:
            problems.append(f"version {self.version} replaces no earlier version")
        if earlier is not None:
            if (earlier.id, earlier.version + 1) != (self.id, self.version):
                problems.append(f"it does not follow {earlier.id} version {earlier.version}")
            if began is None or (earlier.effective_from or date.min) >= began:
                problems.append("it must come into force after the version it replaces")
            elif earlier.effective_to is not None and earlier.effective_to >= began:
                problems.append("the version it replaces is still in force on its effective_from")
        if problems:
            raise ValueError(f"period rule {self.id} version {self.version}: " + "; ".join(problems))

    @property
    def effective_from(self) -> date | None:
        """The first day a period under this version may start; None: in force, commencement not recorded here."""
        return self.in_force.on if self.in_force is not None else None

    @property
    def versions(self) -> tuple[Rule, ...]:
        """Every version of this rule up to this one, oldest first."""
        earlier = self.replaces.versions if self.replaces is not None else ()
        return (*earlier, self)

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
