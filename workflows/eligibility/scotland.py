"""Who may ask a Scottish authority for a transfer: STATUTE.md §4.4, community transfer bodies as predicates.

CE(S)A 2015 s.19 (community-controlled body), s.77 (community transfer body) and s.80 (who may ask to buy).
Each predicate returns a Verdict whose reasons cite the provision, pass or fail.
"""

from __future__ import annotations

from workflows.checklists import Verdict
from workflows.eligibility.bodies import Body, BodyType, Constitution

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
