"""Compensation for owners of listed land: claim, decision, review and appeal.

STATUTE.md §3.6, transitions C1-C5 (ACV Regs regs 14-17, Sch.2). There is no statutory deadline for the
council's decision on a claim (reg.14). When the time for a review or an appeal runs out the case waits, not
closes: the council may still allow a late review request in writing (Sch.2 para.2), and the Tribunal may extend
the time for an appeal (GRC Rules r.5(3)(a)). Read `definition` first: the table of transitions, then the states
and timers. `guards`, `fields` and `notices` hold what its rows name. Pure package: data and guards only.
"""

from workflows.compensation.definition import DATE_ORDER, DEFINITION, NAME

__all__ = ["DATE_ORDER", "DEFINITION", "NAME"]
