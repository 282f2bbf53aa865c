"""Assets of community value: nomination, listing, review, appeal, removal and expiry.

STATUTE.md §2.5, transitions L1-L14 (LA 2011 ss.87-93; ACV Regs regs 2-11, Sch.2). Read `definition` first: the
table of transitions; then `states` and `timers`. `guards`, `fields` and `notices` hold what its rows name.
Pure package: data and guards only.
"""

from workflows.acv_listing.definition import DATE_ORDER, DEFINITION, NAME
from workflows.acv_listing.states import LISTED_STATES

__all__ = ["DATE_ORDER", "DEFINITION", "LISTED_STATES", "NAME"]
