"""The terms the eligibility rules speak: kinds of body, what a body says of itself, the land, a constitution.

Each regime's tests read these (`acv`, `challenge`, `scotland`); `questions_needed` says which answers a form must
ask for, so an unanswered question is never taken for "no".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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
