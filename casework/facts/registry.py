"""Facts the guards need that only the database knows, gathered before a trigger is fired.

Guards are pure: they look at the data given and the facts recorded. Some
facts live elsewhere: whether the group is a relevant body, whether the
panel has finished scoring, whether a moratorium is running on the land. A
provider per workflow works them out, inside the same transaction, so the
same rules hold whether an officer uses the generic action form, the API,
or a dedicated page. `keep` facts are also recorded on the case.

A transition names the providers its guards need (Transition.facts); each
process's module registers its own, and they are assembled here under their
names (FACTS). A test checks every name a transition uses is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from casework.facts import challenge, listing, moratorium, scotland, transfer
from casework.facts.common import Provider
from casework.facts.gathered import Gathered
from casework.models import Case
from workflows.definition import Definition, Transition

# Every provider a transition may name (Transition.facts), under its name.
FACTS: dict[str, Provider] = {
    **listing.FACTS,  # assets of community value
    **moratorium.FACTS,  # the right to bid
    **challenge.FACTS,  # the community right to challenge
    **scotland.FACTS,  # Scotland: asset transfer requests
    **transfer.FACTS,  # asset transfer (England)
}


def gather(session: Session, case: Case, transition: Transition, raw: Mapping[str, Any]) -> Gathered:
    """What the providers the transition names find, merged in the order named."""
    facts: dict[str, Any] = {}
    keep: dict[str, Any] = {}
    for name in transition.facts:
        found = FACTS[name](session, case, raw)
        facts.update(found.facts)
        keep.update(found.keep)
    return Gathered(facts, keep)


def unknown_facts(defn: Definition) -> list[str]:
    """The fact providers `defn`'s transitions name that casework does not have (a typo, or one not written yet)."""
    return sorted({name for t in defn.transitions for name in t.facts if name not in FACTS})
