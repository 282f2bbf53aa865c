"""Who may nominate land, ask to bid, challenge a service or ask for a transfer: STATUTE.md §2.2, §3.1, §4.4
and §5.1 as predicates.

LA 2011 s.89(2); ACV Regs reg.4 (local connection), reg.5 (voluntary or community body) and reg.12 (community
interest group) in `acv`; LA 2011 s.81(6) (relevant body, right to challenge) in `challenge`; CE(S)A 2015 s.19,
s.77 and s.80 (community transfer body, ownership requests) in `scotland`. The terms they read (a body, the land)
are in `bodies`. Each predicate returns a Verdict whose reasons cite the provision, pass or fail.
"""

from workflows.eligibility.acv import (
    eligible_nominator,
    has_local_connection,
    is_community_interest_group,
    is_voluntary_or_community_body,
)
from workflows.eligibility.bodies import BODY_TYPE_LABELS, Body, BodyType, Constitution, Land, questions_needed
from workflows.eligibility.challenge import is_relevant_body
from workflows.eligibility.scotland import CONSTITUTION_QUESTIONS, is_community_transfer_body, may_request_ownership

__all__ = [
    "BODY_TYPE_LABELS",
    "CONSTITUTION_QUESTIONS",
    "Body",
    "BodyType",
    "Constitution",
    "Land",
    "eligible_nominator",
    "has_local_connection",
    "is_community_interest_group",
    "is_community_transfer_body",
    "is_relevant_body",
    "is_voluntary_or_community_body",
    "may_request_ownership",
    "questions_needed",
]
