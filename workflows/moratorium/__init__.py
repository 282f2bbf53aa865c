"""The community right to bid: one disposal cycle of listed land (the moratorium).

STATUTE.md §3.3, transitions M1-M10 (LA 2011 ss.95-98; ACV Regs regs 12-13, 21). Read `definition` first: the
table of transitions, then the states and timers. `guards`, `fields` and `notices` hold what its rows name;
`stages` answers where a cycle of any version stands.
Pure package: data and guards only.
"""

from workflows.moratorium.definition import DEFINITION, LATE_CIG_REQUEST, NAME, OPEN_STATES, request_to_bid
from workflows.moratorium.fields import LISTED_ON, NOTICE_RECEIVED_ON, RIGHT_GRANTED_ON

__all__ = [
    "DEFINITION",
    "LATE_CIG_REQUEST",
    "LISTED_ON",
    "NAME",
    "NOTICE_RECEIVED_ON",
    "OPEN_STATES",
    "RIGHT_GRANTED_ON",
    "request_to_bid",
]
