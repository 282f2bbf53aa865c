"""Statutory periods: rules with stable ids and dated versions, the calendars, and compute() with an explanation.

Pure package: standard library and `holidays` only (STATUTE.md §1 and §11).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workflows.periods import compute as _compute
from workflows.periods.calendars import Calendar, CalendarKind, EnteredHolidays, calendar_for
from workflows.periods.commencements import Commencement
from workflows.periods.compute import LONDON, Period, long_date
from workflows.periods.england import (
    ACV_RULES,
    ASSET_TRANSFER_RULES,
    CHALLENGE_RULES,
    COMPENSATION_RULES,
    MORATORIUM_RULES,
    SERVICE_RULES,
)
from workflows.periods.rule import Counting, Process, Rule, Unit, UnknownRule
from workflows.periods.scotland import SCOTLAND_ATR_RULES
from workflows.periods.scotland_crtb import SCOTLAND_CRTB_RULES
from workflows.periods.versions import in_force, which_applies

# Each rule by id, as it stands now: its newest version, which carries the ones it replaced (`Rule.versions`).
RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        *ACV_RULES,
        *MORATORIUM_RULES,
        *COMPENSATION_RULES,
        *CHALLENGE_RULES,
        *ASSET_TRANSFER_RULES,
        *SCOTLAND_ATR_RULES,
        *SCOTLAND_CRTB_RULES,
        *SERVICE_RULES,
    )
}


def get_rule(rule_id: str) -> Rule:
    """The rule with this id, with all its versions; raises UnknownRule (whose message lists where to look)."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise UnknownRule(rule_id) from None


def compute(rule_id: str | Rule, start: date, *, extra_holidays: Iterable[date] | EnteredHolidays = ()) -> Period:
    """When the period `rule_id` that starts with the event on `start` ends, and why.

    The rule's version in force on `start` is used (`versions.in_force` says why that day); a start before
    the rule existed raises RuleNotInForce, whose reason names the day it came into force.
    """
    rule = rule_id if isinstance(rule_id, Rule) else get_rule(rule_id)
    version = in_force(rule, start)
    note = which_applies(rule, version)
    return _compute.compute(version, start, extra_holidays=extra_holidays, version_note=note)


MORATORIUM_TIMELINE = ("moratorium.interim", "moratorium.full", "moratorium.protected")


def moratorium_timeline(
    received: date, *, extra_holidays: Iterable[date] | EnteredHolidays = ()
) -> tuple[Period, Period, Period]:
    """The three s.95 periods that all run from the day the council received the owner's notice."""
    interim, full, protected = (compute(rule, received, extra_holidays=extra_holidays) for rule in MORATORIUM_TIMELINE)
    return interim, full, protected


__all__ = [
    "LONDON",
    "MORATORIUM_TIMELINE",
    "RULES",
    "Calendar",
    "CalendarKind",
    "Commencement",
    "Counting",
    "EnteredHolidays",
    "Period",
    "Process",
    "Rule",
    "Unit",
    "UnknownRule",
    "calendar_for",
    "compute",
    "get_rule",
    "in_force",
    "long_date",
    "moratorium_timeline",
]
