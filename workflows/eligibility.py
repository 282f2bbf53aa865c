"""Who may nominate land and who may ask to bid: STATUTE.md §2.2 and §3.1 as predicates.

LA 2011 s.89(2); ACV Regs reg.4 (local connection), reg.5 (voluntary or
community body) and reg.12 (community interest group). Each predicate returns
a Verdict whose reasons cite the provision, pass or fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from workflows.checklists import Verdict

MEMBERS_NEEDED = 21  # regs 4(1)(c) and 5(1)(c); not 12, whatever some council pages say


class BodyType(StrEnum):
    NEIGHBOURHOOD_FORUM = "neighbourhood_forum"
    PARISH_COUNCIL = "parish_council"
    UNINCORPORATED = "unincorporated"
    CHARITY = "charity"
    COMPANY_LIMITED_BY_GUARANTEE = "company_limited_by_guarantee"
    CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY = "co_operative_or_community_benefit_society"
    COMMUNITY_INTEREST_COMPANY = "community_interest_company"
    OTHER = "other"  # a company limited by shares, a public body, an individual's business...


BODY_TYPE_LABELS: dict[BodyType, str] = {
    BodyType.NEIGHBOURHOOD_FORUM: "Designated neighbourhood forum",
    BodyType.PARISH_COUNCIL: "Parish or town council",
    BodyType.UNINCORPORATED: "Unincorporated group (at least 21 individual members)",
    BodyType.CHARITY: "Charity",
    BodyType.COMPANY_LIMITED_BY_GUARANTEE: "Company limited by guarantee",
    BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY: "Co-operative or community benefit society",
    BodyType.COMMUNITY_INTEREST_COMPANY: "Community interest company",
    BodyType.OTHER: "Another kind of organisation",
}

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


@dataclass(frozen=True)
class Body:
    """What the engine knows about an organisation, as it describes itself with evidence."""

    type: BodyType
    distributes_surplus_to_members: bool = False
    is_credit_union: bool = False
    is_public_or_local_authority: bool = False
    individual_members: int = 0
    local_elector_members: int = 0  # members on the electoral register in the area or a neighbouring one
    activity_areas: frozenset[str] = field(default_factory=frozenset)  # council codes its activities concern
    surplus_areas: frozenset[str] = field(default_factory=frozenset)  # council codes its surplus benefits
    parish: str | None = None  # for a parish council: its own parish
    adjoining_parishes: frozenset[str] = field(default_factory=frozenset)
    parish_councils: frozenset[str] = field(default_factory=frozenset)  # councils its parish lies in or adjoins


@dataclass(frozen=True)
class Land:
    council: str  # the responsible local authority's code
    neighbouring_councils: frozenset[str] = field(default_factory=frozenset)
    parishes: frozenset[str] = field(default_factory=frozenset)  # empty when the land is unparished

    @property
    def local_areas(self) -> frozenset[str]:
        return self.neighbouring_councils | {self.council}


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
        return Verdict(False, (f"A {kind} must not distribute any surplus to its members (reg.5(1))",), basis)
    if body.type is BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY and body.is_credit_union:
        return Verdict(False, ("A credit union is not a voluntary or community body (reg.5(1)(f))",), basis)
    return Verdict(True, (f"A {kind} is a voluntary or community body (reg.5(1))",), basis)


def has_local_connection(body: Body, land: Land) -> Verdict:
    """ACV Regs reg.4: a local connection with the land in the responsible council's area."""
    if body.type is BodyType.PARISH_COUNCIL:
        return _parish_connection(body, land)
    basis = ("ACV Regs reg.4(1)",)
    reasons: list[str] = []
    ok = bool(body.activity_areas & land.local_areas)
    reasons.append(
        "Its activities concern the council's area or a neighbouring area (reg.4(1)(a))"
        if ok
        else "Its activities must be wholly or partly concerned with the council's area or a neighbouring area "
        "(reg.4(1)(a))"
    )
    if body.type in _SURPLUS_TESTED:
        surplus_ok = bool(body.surplus_areas & land.local_areas)
        ok = ok and surplus_ok
        reasons.append(
            "Its surplus is applied for the benefit of the area (reg.4(1)(b))"
            if surplus_ok
            else "Any surplus must be applied wholly or partly for the benefit of the council's area or a "
            "neighbouring area (reg.4(1)(b))"
        )
    if body.type is BodyType.UNINCORPORATED:
        electors_ok = body.local_elector_members >= MEMBERS_NEEDED
        ok = ok and electors_ok
        reasons.append(
            f"At least {MEMBERS_NEEDED} members are local government electors in the area (reg.4(1)(c))"
            if electors_ok
            else f"At least {MEMBERS_NEEDED} members must be registered electors in the council's area or a "
            f"neighbouring area (reg.4(1)(c), (3)); {body.local_elector_members} are"
        )
    return Verdict(ok, tuple(reasons), basis)


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
    return Verdict(connection.ok, vcb.reasons + connection.reasons, vcb.basis + connection.basis)


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
        return Verdict(False, (f"A {label} cannot be a community interest group: {_CIG_KINDS}",), basis)
    vcb = is_voluntary_or_community_body(body)
    if not vcb.ok:
        return Verdict(False, vcb.reasons, basis + vcb.basis)
    connection = has_local_connection(body, land)
    return Verdict(connection.ok, vcb.reasons + connection.reasons, basis + connection.basis)
