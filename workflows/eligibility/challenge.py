"""Who may challenge a council service: STATUTE.md §5.1, the relevant bodies of LA 2011 s.81(6)-(9).

Returns a Verdict whose reasons cite the provision, pass or fail.
"""

from __future__ import annotations

from workflows.checklists import Verdict
from workflows.eligibility.bodies import Body, BodyType

_NOT_VOLUNTARY = (
    "It must be run not for profit, or primarily for the benefit of the community, to be a voluntary or community "
    "body (s.81(7))"
)
_SHARES_PROFITS = (
    "A body that shares its profits with its members is neither a voluntary nor a community body (s.81(7))"
)


def is_relevant_body(body: Body, authority: str) -> Verdict:
    """LA 2011 s.81(6): may this body express an interest in running one of `authority`'s services?"""
    basis = ("LA 2011 s.81(6)",)
    if body.type is BodyType.PARISH_COUNCIL:
        return Verdict(True, ("A parish council is a relevant body (s.81(6)(c))",), basis)
    if body.type is BodyType.EMPLOYEE_GROUP:
        return _employee_group(body, authority)
    if body.is_public_or_local_authority:
        return Verdict(False, ("A public or local authority cannot be a voluntary or community body (s.81(7))",), basis)
    if body.type in (BodyType.CHARITY, BodyType.SCIO) or body.charitable_purposes_only:
        return Verdict(
            True, ("A body established for charitable purposes only is a relevant body (s.81(6)(b))",), basis
        )
    if body.primarily_for_community_benefit:
        return Verdict(True, ("A body run primarily for the community's benefit is a community body (s.81(7))",), basis)
    if body.type is BodyType.OTHER:
        return Verdict(False, (_NOT_VOLUNTARY,), basis)
    if body.distributes_surplus_to_members:
        return Verdict(False, (_SHARES_PROFITS,), basis)
    return Verdict(True, ("A body not run for profit is a voluntary body (s.81(6)(a), (7))",), basis)


def _employee_group(body: Body, authority: str) -> Verdict:
    basis = ("LA 2011 s.81(6)(d)",)
    if body.employer != authority:
        return Verdict(False, ("An employee group must be employees of the council it challenges (s.81(6)(d))",), basis)
    if body.individual_members < 2:
        return Verdict(False, ("An employee group needs two or more employees (s.81(6)(d))",), basis)
    return Verdict(True, ("Two or more of the council's employees are a relevant body (s.81(6)(d))",), basis)
