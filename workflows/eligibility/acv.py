"""Who may nominate land and who may ask to bid for it: STATUTE.md §2.2 and §3.1 as predicates.

LA 2011 s.89(2); ACV Regs reg.4 (local connection), reg.5 (voluntary or community body) and reg.12 (community
interest group). Each predicate returns a Verdict whose reasons cite the provision, pass or fail.
"""

from __future__ import annotations

from workflows.checklists import Verdict
from workflows.eligibility.bodies import BODY_TYPE_LABELS, Body, BodyType, Land

MEMBERS_NEEDED = 21  # regs 4(1)(c) and 5(1)(c); not 12, whatever some council pages say

_SURPLUS_TESTED = frozenset(
    {
        BodyType.UNINCORPORATED,
        BodyType.COMPANY_LIMITED_BY_GUARANTEE,
        BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY,
    }
)
_CIG_TYPES = frozenset(
    {
        BodyType.CHARITY,
        BodyType.COMPANY_LIMITED_BY_GUARANTEE,
        BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY,
        BodyType.COMMUNITY_INTEREST_COMPANY,
    }
)


_NO_PARISH_CONNECTION = (
    "The land is neither in the parish, nor in an adjoining parish, nor in unparished land of a council whose area "
    "the parish lies in or adjoins (reg.4(2))"
)
_PARISH_NOT_CIG = "A parish council is a community interest group only if some of the land is in its area (reg.12(a))"
_CIG_KINDS = (
    "only a parish council, a charity, a company limited by guarantee, a co-operative or community benefit society, "
    "or a community interest company can be one (reg.12, reg.5(1)(d)-(g))"
)


def is_voluntary_or_community_body(body: Body) -> Verdict:
    """ACV Regs reg.5: the seven kinds of voluntary or community body."""
    basis = ("ACV Regs reg.5",)
    if body.is_public_or_local_authority and body.type is not BodyType.PARISH_COUNCIL:
        return Verdict(
            False, ("A public or local authority cannot be a voluntary or community body (reg.5(2))",), basis
        )
    kind = BODY_TYPE_LABELS[body.type].lower()
    if body.type is BodyType.OTHER:
        return Verdict(False, ("Only the kinds of body listed in reg.5(1) can nominate",), basis)
    if body.type is BodyType.UNINCORPORATED and body.individual_members < MEMBERS_NEEDED:
        reason = f"An unincorporated group needs at least {MEMBERS_NEEDED} individual members (reg.5(1)(c))"
        return Verdict(False, (f"{reason}; it has {body.individual_members}",), basis)
    if body.type in _SURPLUS_TESTED and body.distributes_surplus_to_members:
        refusal = f"{_article(kind)} {kind} must not distribute any surplus to its members (reg.5(1))"
        return Verdict(False, (refusal,), basis)
    if body.type is BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY and body.is_credit_union:
        return Verdict(False, ("A credit union is not a voluntary or community body (reg.5(1)(f))",), basis)
    return Verdict(True, (f"{_article(kind)} {kind} is a voluntary or community body (reg.5(1))",), basis)


def has_local_connection(body: Body, land: Land) -> Verdict:
    """ACV Regs reg.4: a local connection with the land in the responsible council's area."""
    if body.type is BodyType.PARISH_COUNCIL:
        return _parish_connection(body, land)
    basis = ("ACV Regs reg.4(1)",)
    reasons: list[str] = []
    unmet: list[str] = []

    def condition(met: bool, yes: str, no: str) -> None:
        reasons.append(yes if met else no)
        if not met:
            unmet.append(no)

    condition(
        bool(body.activity_areas & land.local_areas),
        "Its activities concern the council's area or a neighbouring area (reg.4(1)(a))",
        "Its activities must be wholly or partly concerned with the council's area or a neighbouring area "
        "(reg.4(1)(a))",
    )
    if body.type in _SURPLUS_TESTED:
        condition(
            bool(body.surplus_areas & land.local_areas),
            "Its surplus is applied for the benefit of the area (reg.4(1)(b))",
            "Any surplus must be applied wholly or partly for the benefit of the council's area or a "
            "neighbouring area (reg.4(1)(b))",
        )
    if body.type is BodyType.UNINCORPORATED:
        condition(
            body.local_elector_members >= MEMBERS_NEEDED,
            f"At least {MEMBERS_NEEDED} members are local government electors in the area (reg.4(1)(c))",
            f"At least {MEMBERS_NEEDED} members must be registered electors in the council's area or a "
            f"neighbouring area (reg.4(1)(c), (3)); {body.local_elector_members} are",
        )
    return Verdict(not unmet, tuple(reasons), basis, tuple(unmet))


def _parish_connection(body: Body, land: Land) -> Verdict:
    """reg.4(2): a parish council's connection with land outside its own parish."""
    if body.parish and body.parish in land.parishes:
        return Verdict(True, ("The land is in the parish council's own area (s.89(2)(b)(i))",), ("LA 2011 s.89(2)",))
    basis = ("ACV Regs reg.4(2)",)
    if land.parishes & body.adjoining_parishes:
        return Verdict(True, ("The land is in a parish that shares a boundary with its own (reg.4(2)(a))",), basis)
    if not land.parishes and land.council in body.parish_councils:
        return Verdict(
            True, ("The land is unparished and the parish lies in or adjoins the council's area (reg.4(2)(b))",), basis
        )
    return Verdict(False, (_NO_PARISH_CONNECTION,), basis)


def eligible_nominator(body: Body, land: Land) -> Verdict:
    """LA 2011 s.89(2)(b): may this body make a community nomination of this land?"""
    if body.type is BodyType.PARISH_COUNCIL and body.parish and body.parish in land.parishes:
        return Verdict(True, ("A parish council may nominate land in its own area (s.89(2)(b)(i))",), ("s.89(2)",))
    vcb = is_voluntary_or_community_body(body)
    if not vcb.ok:
        return vcb
    connection = has_local_connection(body, land)
    return Verdict(connection.ok, vcb.reasons + connection.reasons, vcb.basis + connection.basis, connection.failing)


def is_community_interest_group(body: Body, land: Land) -> Verdict:
    """ACV Regs reg.12: may this body trigger the full moratorium by asking to bid?"""
    basis = ("ACV Regs reg.12",)
    if body.type is BodyType.PARISH_COUNCIL:
        if body.parish and body.parish in land.parishes:
            return Verdict(
                True, ("A parish council is a community interest group for land in its area (reg.12(a))",), basis
            )
        return Verdict(False, (_PARISH_NOT_CIG,), basis)
    if body.type not in _CIG_TYPES:
        label = BODY_TYPE_LABELS[body.type].lower()
        return Verdict(False, (f"{_article(label)} {label} cannot be a community interest group: {_CIG_KINDS}",), basis)
    vcb = is_voluntary_or_community_body(body)
    if not vcb.ok:
        return Verdict(False, vcb.reasons, basis + vcb.basis)
    connection = has_local_connection(body, land)
    return Verdict(connection.ok, vcb.reasons + connection.reasons, basis + connection.basis, connection.failing)


def _article(noun: str) -> str:
    """ "An unincorporated group", "A charity": the article a kind of body takes, at the start of a sentence."""
    return "An" if noun[:1].lower() in "aeiou" else "A"
