"""A period a council's policy sets: a target time for a stage, or a published maximum, run like a statutory one."""

from __future__ import annotations

from dataclasses import dataclass

from workflows.definition import POLICY
from workflows.periods import Counting, Process, Rule, Unit
from workflows.periods.calendars import CalendarKind


@dataclass(frozen=True)
class PolicyPeriod:
    """A period the council's policy sets: a target time for a stage, or a published maximum."""

    key: str
    label: str
    length: int
    unit: Unit
    basis: str  # where the council says so, and any statute that makes it publish the period

    def rule(self, policy_title: str, start_event: str = "") -> Rule:
        """The period as an engine rule, so it is computed, explained, swept and reminded like a statutory one.

        `policy_title` names the policy and its version; `start_event` says what the period runs from on the
        case (the date a timer starts with), so the explanation reads as the policy does.
        """
        return Rule(
            id=POLICY + self.key,
            process=Process.POLICY,
            title=self.label,
            length=self.length,
            unit=self.unit,
            counting=Counting.AFTER,
            start_event=start_event or "the date the stage started",
            basis=f"{policy_title}: {self.basis}" if policy_title else self.basis,
            calendar=CalendarKind.COUNCIL_WORKING_DAYS  # the council's period: its closure days count
            if self.unit is Unit.WORKING_DAYS
            else CalendarKind.CALENDAR_DAYS,
        )
