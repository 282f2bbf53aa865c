"""Statutory periods as pages and the API show them: when a period ends, on what authority, and why.

Each answer is a computed period (`workflows.periods.Period`: its due date, basis and the explanation of
every step). A start before a rule existed raises RuleNotInForce; one whose period would end after the year
9999 raises OverflowError or ValueError, which callers turn into a message on the date they were given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workflows import moratorium, periods, registry
from workflows.moratorium import stages
from workflows.periods import Period


def known_rules() -> tuple[str, ...]:
    """Every period rule's id, as the API's /periods/<rule> accepts them."""
    return tuple(periods.RULES)


def period(rule_id: str, start: date) -> Period:
    """The period `rule_id` that starts with an event on `start`, computed with its explanation."""
    return periods.compute(rule_id, start)


def calculate(rule_ids: Iterable[str], start: date) -> list[Period]:
    """Each of the periods an event on `start` begins, in the order asked for (the public date calculator)."""
    return [periods.compute(rule, start) for rule in rule_ids]


def entry_explanations(
    *, listed_on: date | None, notice_received_on: date | None, moratorium_version: int | None = None
) -> dict[str, Period]:
    """Why a register entry's dates are what they are: the listing's end ("expiry") from the day it was listed,
    and the three moratorium periods ("interim", "full", "protected") from the day the owner's notice arrived,
    by the rules of the version its cycle runs under (the one in force that day, for a notice with no cycle)."""
    explanations: dict[str, Period] = {}
    if listed_on is not None:
        explanations["expiry"] = periods.compute("acv.listing_expiry", listed_on)
    if notice_received_on is not None:
        if moratorium_version is not None:
            cycle = registry.get(moratorium.NAME, moratorium_version)
        else:
            cycle = registry.in_force(moratorium.NAME, notice_received_on)
        interim, full, protected = stages.timeline(cycle, notice_received_on)
        explanations.update(interim=interim, full=full, protected=protected)
    return explanations
