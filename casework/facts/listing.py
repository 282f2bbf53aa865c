"""Facts a nomination's guards need that only the database knows: the land nominated, and who nominated it.

Assets of community value (LA 2011 ss.88-90): only a community nomination may be considered and listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from casework.facts import bodies
from casework.facts.common import Provider, organisation_of
from casework.facts.gathered import Gathered
from casework.models import Asset, Case
from workflows.checklists import Verdict
from workflows.eligibility import eligible_nominator


def _nominated_land(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """Only nominations.submit records the land and its owners; a draft sent by the generic action would have none,
    and listing or rejecting it later could not put it on the register. Its missing land is then a missing content.
    """
    if case.asset_id is None:
        return Gathered({"nomination_contents_missing": ["the land, recorded by sending the nomination from its form"]})
    return Gathered()


def _nominator_eligibility(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """Considering and listing need a community nomination (s.89(2), s.90(2)): the nominating body is checked afresh
    against the land as it is recorded now, so a group that has since changed is judged as it is."""
    verdict = _nominator(session, case)
    return Gathered({"nominator_eligible": verdict.ok, "nominator_eligible_reasons": list(verdict.reasons)})


def _nominator(session: Session, case: Case) -> Verdict:
    organisation = organisation_of(session, case)
    asset = session.get(Asset, case.asset_id) if case.asset_id else None
    if organisation is None or asset is None:
        return Verdict(False, ("The nomination was not made by a group (s.89(2))",), ("LA 2011 s.89(2)",))
    verdict = eligible_nominator(bodies.body_of(organisation), bodies.land_of_asset(session, asset))
    if verdict.ok:
        return verdict
    return Verdict(False, tuple(f"{organisation.name}: {reason}" for reason in verdict.reasons), verdict.basis)


# The providers a nomination's transitions name (Transition.facts), under their names (see casework.facts.registry).
FACTS: dict[str, Provider] = {
    "nominated_land": _nominated_land,
    "nominator_eligibility": _nominator_eligibility,
}
