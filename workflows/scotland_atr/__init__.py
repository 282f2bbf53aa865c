"""Asset transfer requests in Scotland: the statutory process, for a local authority as the relevant authority.

STATUTE.md §4.4, transitions S1-S11, S13-S14, S16 and S17 (CE(S)A 2015 Part 5, ss.79-93; the ATR Procedure,
Review, Appeals and No-Contract Regulations 2016). Read `definition` first: the table of transitions, in three
parts (`request`, `review`, `contract`), then the timers; `states` holds the stages. `guards`, `fields` and
`notices` hold what its rows name. Pure package: data and guards only.
"""

from workflows.scotland_atr.definition import DATE_ORDER, DEFINITION, NAME
from workflows.scotland_atr.fields import BAR_EXCEPTION, BAR_EXCEPTION_ON, REQUEST_TYPES
from workflows.scotland_atr.states import BARRED, UNDECIDED

__all__ = [
    "BARRED",
    "BAR_EXCEPTION",
    "BAR_EXCEPTION_ON",
    "DATE_ORDER",
    "DEFINITION",
    "NAME",
    "REQUEST_TYPES",
    "UNDECIDED",
]
