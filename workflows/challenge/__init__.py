"""The community right to challenge: an expression of interest in running a council service.

STATUTE.md §5.3, transitions RC1-RC9 (LA 2011 ss.81-85; SI 2012/1313 reg.3, Sch.1; SI 2012/1647 reg.4, Schedule).
The windows, the maximum time to a decision and the gap before procurement are the council's published choices
(s.82(2), s.83(4), s.84(3)), so those periods come from its policy. Read `definition` first: the table of
transitions, then the states and timers. `guards`, `fields` and `notices` hold what its rows name.
Pure package: data and guards only.
"""

from workflows.challenge.definition import DATE_ORDER, DEFINITION, NAME

__all__ = ["DATE_ORDER", "DEFINITION", "NAME"]
