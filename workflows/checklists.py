"""Checklists as data: land that cannot be listed (ACV Regs Sch.1) and exempt disposals (s.95(5), Sch.3).

Each function returns a verdict with its reasons, so a form can tell a user
before they submit, and an officer can see why, citation by citation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: str
    basis: str
    caveat: str = ""


@dataclass(frozen=True)
class Verdict:
    """A yes/no answer with every reason that led to it and the provisions relied on."""

    ok: bool
    reasons: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    unmet: tuple[str, ...] | None = None  # of the reasons, the conditions not met, when the others are met

    @property
    def failing(self) -> tuple[str, ...]:
        """The conditions not met: every reason of a refusal unless it says which of them failed."""
        if self.ok:
            return ()
        return self.reasons if self.unmet is None else self.unmet

    @property
    def passing(self) -> tuple[str, ...]:
        """The conditions met, shown apart from the failing ones so that a "not yet" is not read as a "yes"."""
        failing = self.failing
        return tuple(reason for reason in self.reasons if reason not in failing)


NON_LISTABLE_LAND = (
    ChecklistItem(
        "residence",
        "A residence, together with land connected with it",
        "ACV Regs reg.3, Sch.1 para.1",
        "Listable if the residence is only partly used as a residence, like a pub with a flat above (para.1(5))",
    ),
    ChecklistItem(
        "caravan_site",
        "A caravan site needing a site licence (Caravan Sites and Control of Development Act 1960, Part 1)",
        "ACV Regs Sch.1 para.3",
    ),
    ChecklistItem(
        "operational_land",
        "Operational land of a statutory undertaker (TCPA 1990 s.263)",
        "ACV Regs Sch.1 para.4",
    ),
)


@dataclass(frozen=True)
class LandAnswers:
    """What the nominator or officer knows about the land, in the terms of Sch.1."""

    residence: bool = False  # a residence or land connected with one (para.1), counting para.2(b) cases
    residence_partly_other_use: bool = False  # para.1(5): only partly used as a residence
    residence_not_counted: bool = False  # para.2(c): unbuilt, under construction, or consented change of use
    caravan_site: bool = False
    operational_land: bool = False


def assess_land(answers: LandAnswers) -> Verdict:
    """Whether land looks listable under Sch.1; the council still forms its own view (s.88)."""
    reasons: list[str] = []
    basis: list[str] = []
    if answers.residence and not answers.residence_not_counted:
        if answers.residence_partly_other_use:
            reasons.append("The residence is only partly used as a residence, so it can be listed (Sch.1 para.1(5))")
        else:
            reasons.append("A residence and land connected with it cannot be listed (Sch.1 para.1)")
            basis.append("ACV Regs Sch.1 para.1")
    elif answers.residence:
        reasons.append("The land does not count as a residence (Sch.1 para.2(c))")
    if answers.caravan_site:
        reasons.append("A licensed caravan site cannot be listed (Sch.1 para.3)")
        basis.append("ACV Regs Sch.1 para.3")
    if answers.operational_land:
        reasons.append("Operational land of a statutory undertaker cannot be listed (Sch.1 para.4)")
        basis.append("ACV Regs Sch.1 para.4")
    listable = not basis
    if listable and not reasons:
        reasons.append("None of the descriptions of land that cannot be listed applies (Sch.1)")
    return Verdict(listable, tuple(reasons), tuple(basis) or ("ACV Regs reg.3, Sch.1",))


EXEMPT_DISPOSALS = (
    ChecklistItem("gift", "A gift, including a gift to trustees by way of settlement", "LA 2011 s.95(5)(a)"),
    ChecklistItem(
        "will_or_intestacy",
        "By personal representatives, to satisfy an entitlement under a will or intestacy",
        "LA 2011 s.95(5)(b)",
    ),
    ChecklistItem(
        "estate_debts",
        "By personal representatives, to raise money for the deceased's debts, taxes, administration costs or legacies",
        "LA 2011 s.95(5)(c)",
    ),
    ChecklistItem("family", "Between members of the same family", "LA 2011 s.95(5)(d), (7)-(8)"),
    ChecklistItem(
        "part_listed",
        "Part-listed land that is one holding, reachable without crossing other land",
        "LA 2011 s.95(5)(e); ACV Regs Sch.3 para.11",
    ),
    ChecklistItem(
        "business_going_concern",
        "Land on which a business is carried on, sold at the same time and to "
        "the same person as the business as a going concern",
        "LA 2011 s.95(5)(f)",
    ),
    ChecklistItem("trustee_change", "Occasioned by someone becoming or ceasing to be a trustee", "LA 2011 s.95(5)(g)"),
    ChecklistItem(
        "trust_entitlement",
        "By trustees, to satisfy an entitlement under the trusts or to re-settle trust property",
        "LA 2011 s.95(5)(h)",
    ),
    ChecklistItem("partner_change", "Occasioned by someone becoming or ceasing to be a partner", "LA 2011 s.95(5)(i)"),
    ChecklistItem("court_order", "Under a court or tribunal order", "ACV Regs Sch.3 para.1"),
    ChecklistItem(
        "separation", "Under a separation agreement, or about the care of a dependent child", "ACV Regs Sch.3 para.2"
    ),
    ChecklistItem("incapacity", "Under a statutory provision about incapacity", "ACV Regs Sch.3 para.3"),
    ChecklistItem(
        "planning_obligation_or_option",
        "Required by a s.106 planning obligation, or exercising an option, "
        "nomination right, pre-emption right or right of first refusal",
        "ACV Regs Sch.3 para.4",
        "Not exempt if the land was already listed when the obligation was made or the right granted (para.4(2))",
    ),
    ChecklistItem(
        "crichel_down", "An offer-back to a former owner of land bought compulsorily", "ACV Regs Sch.3 para.5"
    ),
    ChecklistItem(
        "security_power_of_sale", "Exercising a power of sale held as security for a debt", "ACV Regs Sch.3 para.6"
    ),
    ChecklistItem("insolvency", "Under insolvency proceedings", "ACV Regs Sch.3 para.7"),
    ChecklistItem("compulsory_purchase", "To a person acquiring it by compulsory purchase", "ACV Regs Sch.3 para.8"),
    ChecklistItem(
        "agricultural_tenancy",
        "A tenancy granted on succession under Part 4 of the Agricultural Holdings Act 1986",
        "ACV Regs Sch.3 para.9",
    ),
    ChecklistItem("group_undertaking", "Between companies in the same group", "ACV Regs Sch.3 para.10"),
    ChecklistItem(
        "church", "A church disposed of under a Mission and Pastoral Measure 2011 scheme", "ACV Regs Sch.3 para.12"
    ),
    ChecklistItem("nhs", "So that NHS health services can continue on the land", "ACV Regs Sch.3 para.13"),
    ChecklistItem(
        "school", "To be held for a school, 16 to 19 Academy or further education institution", "ACV Regs Sch.3 para.14"
    ),
    ChecklistItem(
        "statutory_requirement",
        "Subject to a statutory requirement that could not be met if the moratorium were complied with",
        "ACV Regs Sch.3 para.15",
    ),
)

_EXEMPT_BY_ID = {item.id: item for item in EXEMPT_DISPOSALS}


@dataclass(frozen=True)
class DisposalAnswers:
    """The owner's description of an intended disposal, in the terms of s.95-96 and Sch.3."""

    disposal_type: str  # "freehold", "lease", or "share_sale"
    vacant_possession: bool
    lease_years: int | None = None
    exemptions: frozenset[str] = field(default_factory=frozenset)
    listed_before_obligation: bool = False  # Sch.3 para.4(2)


@dataclass(frozen=True)
class DisposalAssessment:
    relevant: bool  # a relevant disposal (s.96)
    exempt: bool
    grounds: tuple[ChecklistItem, ...]
    reasons: tuple[str, ...]

    @property
    def moratorium_applies(self) -> bool:
        return self.relevant and not self.exempt


def _relevance(answers: DisposalAnswers) -> tuple[bool, str]:
    if answers.disposal_type == "share_sale":
        return False, "A sale of shares in the company that owns the land is not a disposal of the land (s.96)"
    if not answers.vacant_possession:
        return False, "A disposal without vacant possession is not a relevant disposal (s.96(2)-(3))"
    if answers.disposal_type == "lease" and (answers.lease_years or 0) < 25:
        return False, "A lease granted for less than 25 years is not a relevant disposal (s.96(3), s.107)"
    return True, "A disposal of the freehold, or of a lease of 25 years or more, with vacant possession (s.96)"


def assess_disposal(answers: DisposalAnswers) -> DisposalAssessment:
    """Whether the moratorium applies to a disposal, and why (s.95(5), s.96, Sch.3)."""
    unknown = sorted(answers.exemptions - _EXEMPT_BY_ID.keys())
    if unknown:
        raise ValueError(f"unknown exemptions: {', '.join(unknown)}")
    relevant, why = _relevance(answers)
    reasons = [why]
    grounds = []
    for item_id in sorted(answers.exemptions):
        item = _EXEMPT_BY_ID[item_id]
        if item_id == "planning_obligation_or_option" and answers.listed_before_obligation:
            reasons.append(f"Not exempt under {item.basis}: {item.caveat}")
            continue
        grounds.append(item)
        reasons.append(f"Exempt: {item.text} ({item.basis})")
    exempt = bool(grounds)
    if relevant and not exempt:
        reasons.append("No exemption applies: the owner must notify the council and the moratorium applies (s.95)")
    return DisposalAssessment(relevant, exempt, tuple(grounds), tuple(reasons))


def exemption(item_id: str) -> ChecklistItem:
    return _EXEMPT_BY_ID[item_id]


def exemption_ids(items: Iterable[ChecklistItem] = EXEMPT_DISPOSALS) -> tuple[str, ...]:
    return tuple(item.id for item in items)
