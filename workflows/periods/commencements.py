"""When each regime came into force, and where that is said: one record for the period rules and the date guards.

A period rule version names the commencement it came in with (`Rule.in_force`), so `compute` can refuse a
start before it; `workflows.date_bounds` refuses a supplied date before the same day, in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Commencement:
    """When the law (or the council's scheme) a workflow runs under came into force, and where that is said."""

    on: date
    regime: str  # "the assets of community value regime"
    basis: str  # the citation shown beside a refusal


# STATUTE.md §0.2: ACV Regs SI 2012/2421 in force 21 Sep 2012 (listing, review, appeal, moratorium, compensation).
ENGLAND_ACV = Commencement(
    date(2012, 9, 21),
    "the assets of community value regime",
    "ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3",
)
# STATUTE.md §0.2: CRtC EOI Regs SI 2012/1313 in force 27 Jun 2012.
ENGLAND_CHALLENGE = Commencement(
    date(2012, 6, 27),
    "the community right to challenge",
    "SI 2012/1313, in force 27 June 2012; LA 2011 Part 5 Ch.2",
)
# STATUTE.md §4.4: CE(S)A 2015 Part 5 in force 23 Jan 2017.
SCOTLAND_ATR = Commencement(
    date(2017, 1, 23),
    "Scotland's asset transfer requests",
    "CE(S)A 2015 Part 5, in force 23 January 2017",
)
# STATUTE.md §4.1: no statute; the earliest date this service runs a council's transfer policy from.
ENGLAND_CAT = Commencement(
    date(2012, 1, 1),
    "this service's community asset transfer process",
    "council policy: community asset transfer in England is not set by statute",
)
