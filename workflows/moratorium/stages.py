"""Where a disposal cycle stands, read from its own version's definition.

Casework asks the same questions of a cycle whatever version of the process it runs under: is the cycle still
running, is a moratorium on, may the owner now sell to anyone, and what are its three dates. The answers come
from the definition's timers and transitions, so a version with other states or periods answers them rightly
without casework naming a state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from workflows.definition import Definition
from workflows.periods import EnteredHolidays, Period, compute

# s.97(2): the three end dates the list entry shows, by the timers that run them.
TIMELINE = ("interim_end", "full_end", "protected_end")


def running(defn: Definition, state: str) -> bool:
    """The cycle runs while its protected period does (s.95(4)): a further sale needs no new notice till then."""
    return state in defn.timer("protected_end").active_in


def owner_free(defn: Definition, state: str) -> bool:
    """The moratorium is over and the owner may sell to anyone: the state a sale after the moratorium leaves."""
    return defn.transition_from(state, "dispose") is not None


def moratorium_on(defn: Definition, state: str) -> bool:
    """A moratorium binds the owner (s.95(1), (3)): the cycle runs and the owner is not yet free to sell."""
    return running(defn, state) and not owner_free(defn, state)


def moratorium_clock(defn: Definition, state: str) -> str:
    """The timer whose end the owner waits for in `state`: the interim period's, or else the full moratorium's."""
    return "interim_end" if state in defn.timer("interim_end").active_in else "full_end"


def timeline(
    defn: Definition, received: date, *, extra_holidays: Iterable[date] | EnteredHolidays = ()
) -> tuple[Period, Period, Period]:
    """The interim, full and protected periods of a cycle under `defn`, all running from the notice's receipt."""
    interim, full, protected = (
        compute(defn.timer(name).rule, received, extra_holidays=extra_holidays) for name in TIMELINE
    )
    return interim, full, protected
