"""Who may nominate land, ask to bid, challenge a service or ask for a transfer: STATUTE.md §2.2, §3.1, §4.4
and §5.1 as predicates.

LA 2011 s.89(2); ACV Regs reg.4 (local connection), reg.5 (voluntary or
community body) and reg.12 (community interest group); LA 2011 s.81(6)
(relevant body, right to challenge); CE(S)A 2015 s.19, s.77 and s.80
(community transfer body, ownership requests). Each predicate returns a
Verdict whose reasons cite the provision, pass or fail.
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
    SCIO = "scio"  # Scottish charitable incorporated organisation
    EMPLOYEE_GROUP = "employee_group"  # two or more employees of a council (right to challenge only)
    OTHER = "other"  # a company limited by shares, a public body, an individual's business...


BODY_TYPE_LABELS: dict[BodyType, str] = {
    BodyType.NEIGHBOURHOOD_FORUM: "Designated neighbourhood forum",
    BodyType.PARISH_COUNCIL: "Parish or town council",
    BodyType.UNINCORPORATED: "Unincorporated group (at least 21 individual members)",
    BodyType.CHARITY: "Charity",
    BodyType.COMPANY_LIMITED_BY_GUARANTEE: "Company limited by guarantee",
    BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY: "Co-operative or community benefit society",
    BodyType.COMMUNITY_INTEREST_COMPANY: "Community interest company",
    BodyType.SCIO: "Scottish charitable incorporated organisation (SCIO)",
    BodyType.EMPLOYEE_GROUP: "Group of council employees (right to challenge)",
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
class Constitution:
    """What a Scottish body's written constitution provides (CE(S)A 2015 s.19(2), s.80)."""

    defines_community: bool = False
    majority_of_members_from_community: bool = False
    members_from_community_control: bool = False
    membership_open_to_community: bool = False
    aims_include_community_benefit: bool = False
    surplus_applied_for_community: bool = False
    asset_lock_on_winding_up: bool = False  # s.80(2)(a)(ii): a company's assets go to community purposes
    community_benefit_society: bool = False  # s.80(2)(c): registered as one, not as a co-operative society
    designated_by_order: bool = False  # s.77(1)(b) designated as a community transfer body
    designated_for_ownership: bool = False  # s.80(2)(d) designated for ownership requests


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
    charitable_purposes_only: bool = False  # LA 2011 s.81(6)(b)
    primarily_for_community_benefit: bool = False  # LA 2011 s.81(7): a community body
    employer: str | None = None  # for an employee group: the council code that employs its members
    constitution: Constitution | None = None  # Scottish bodies: what the constitution provides


@dataclass(frozen=True)
class Land:
    council: str  # the responsible local authority's code
    neighbouring_councils: frozenset[str] = field(default_factory=frozenset)
    parishes: frozenset[str] = field(default_factory=frozenset)  # empty when the land is unparished

    @property
    def local_areas(self) -> frozenset[str]:
        return self.neighbouring_councils | {self.council}


def questions_needed(kind: BodyType, *, shares_surplus: bool) -> frozenset[str]:
    """The answers (Body attributes) the tests in this module read for a body of this kind.

    A form must ask for each of them rather than take an unanswered question for "no" or a blank for 0:
    a co-operative's credit-union answer decides reg.5(1)(f), an unincorporated group's members reg.5(1)(c)
    and reg.4(1)(c), an employee group's s.81(6)(d); the charitable-purposes and community-benefit answers
    decide the right to challenge for a body that shares its surplus or is of no listed kind (s.81(6)-(7)).
    """
    needed: set[str] = set()
    if kind is BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY:
        needed.add("is_credit_union")
    if kind is BodyType.UNINCORPORATED:
        needed |= {"individual_members", "local_elector_members"}
    if kind is BodyType.EMPLOYEE_GROUP:
        needed.add("individual_members")
    always_relevant = (BodyType.PARISH_COUNCIL, BodyType.EMPLOYEE_GROUP, BodyType.CHARITY, BodyType.SCIO)
    if kind is BodyType.OTHER or (shares_surplus and kind not in always_relevant):
        needed |= {"charitable_purposes_only", "primarily_for_community_benefit"}
    return frozenset(needed)


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


# Right to challenge (LA 2011 s.81(6)-(9)) ------------------------------------------------------------------------

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


# Scotland: community transfer bodies (CE(S)A 2015 s.19, s.77, s.80) ---------------------------------------------

OWNERSHIP_MEMBERS_NEEDED = 20  # s.80(2): at least 20 members
_CO_OPERATIVE = "A co-operative society cannot ask to buy; a community benefit society can (s.80(2)(c))"
_NO_ASSET_LOCK = "A company's articles must lock its assets to community purposes on winding up (s.80(2)(a)(ii))"
_OWNERSHIP_KINDS = (
    "Only a company, a SCIO or a community benefit society with at least 20 members, or a designated body, may ask "
    "to buy; any community transfer body may ask for a lease or other rights (s.80, s.79(2)-(3))"
)
CONSTITUTION_QUESTIONS = (
    ("defines_community", "define the community it relates to (s.19(2)(a))"),
    ("majority_of_members_from_community", "make a majority of its members members of that community (s.19(2)(b))"),
    ("members_from_community_control", "give those members control of the body (s.19(2)(c))"),
    ("membership_open_to_community", "open membership to any member of the community (s.19(2)(d))"),
    ("aims_include_community_benefit", "state aims that include benefit to the community (s.19(2)(e))"),
    ("surplus_applied_for_community", "apply any surplus funds and assets for the community's benefit (s.19(2)(f))"),
)


def is_community_transfer_body(body: Body) -> Verdict:
    """CE(S)A 2015 s.77: a community-controlled body (s.19) or a body designated by order."""
    basis = ("CE(S)A 2015 s.77, s.19",)
    constitution = body.constitution or Constitution()
    if constitution.designated_by_order:
        return Verdict(True, ("It is designated as a community transfer body by order (s.77(1)(b))",), basis)
    if body.is_public_or_local_authority:
        return Verdict(False, ("A public authority cannot be a community transfer body (s.19)",), basis)
    missing = [text for name, text in CONSTITUTION_QUESTIONS if not getattr(constitution, name)]
    if missing:
        return Verdict(False, tuple(f"Its written constitution must {text}" for text in missing), basis)
    return Verdict(True, ("Its written constitution makes it a community-controlled body (s.19)",), basis)


def may_request_ownership(body: Body) -> Verdict:
    """CE(S)A 2015 s.80: only some community transfer bodies may ask to buy; any may ask to lease (s.79(2)-(3))."""
    basis = ("CE(S)A 2015 s.80",)
    ctb = is_community_transfer_body(body)
    if not ctb.ok:
        return Verdict(False, ctb.reasons, basis + ctb.basis)
    constitution = body.constitution or Constitution()
    if constitution.designated_for_ownership:
        return Verdict(True, ("It is designated by order for ownership requests (s.80(2)(d))",), basis)
    enough = body.individual_members >= OWNERSHIP_MEMBERS_NEEDED
    members = f"at least {OWNERSHIP_MEMBERS_NEEDED} members; it has {body.individual_members}"
    if body.type is BodyType.COMPANY_LIMITED_BY_GUARANTEE:
        if not constitution.asset_lock_on_winding_up:
            return Verdict(False, (_NO_ASSET_LOCK,), basis)
        return Verdict(enough, (f"A company may ask to buy if its articles require {members} (s.80(2)(a)(i))",), basis)
    if body.type is BodyType.SCIO:
        return Verdict(enough, (f"A SCIO may ask to buy if it has {members} (s.80(2)(b))",), basis)
    if body.type is BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY:
        if not constitution.community_benefit_society:
            return Verdict(False, (_CO_OPERATIVE,), basis)
        return Verdict(enough, (f"A community benefit society may ask to buy if it has {members} (s.80(2)(c))",), basis)
    return Verdict(False, (_OWNERSHIP_KINDS,), basis)


def _article(noun: str) -> str:
    """ "An unincorporated group", "A charity": the article a kind of body takes, at the start of a sentence."""
    return "An" if noun[:1].lower() in "aeiou" else "A"
