"""Community asset transfer in England: one group's application for one council asset, under the council's policy.

STATUTE.md §4.1-4.3, stages T1-T11. Read `definition` first: the table of transitions, in two parts
(`application`, T1-T7, and `completion`, T8-T11), then the timers; `states` holds the stages. The process is the
council's own policy, not statute, so its target times come from the policy the case pinned when it started. The
law's hooks are advertising the disposal of open space for two consecutive weeks and considering objections
(LGA 1972 s.123(2A)), and the right-to-bid moratorium when listed land goes by freehold or a lease of 25 years or
more to a body that is not a community interest group (LA 2011 s.95; ACV Regs reg.13(1)), which a disposal within
an earlier notice's protected period does not need again (s.95(4)). `guards` holds the policy's checks, `law`
those of the statute, `fields` and `notices` what the rows ask for and send. Pure package: data and guards only.
"""

from workflows.asset_transfer.definition import DATE_ORDER, DEFINITION, NAME, after_scores_voided
from workflows.asset_transfer.states import BEFORE_DECISION, OPEN

__all__ = ["BEFORE_DECISION", "DATE_ORDER", "DEFINITION", "NAME", "OPEN", "after_scores_voided"]
