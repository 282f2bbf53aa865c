"""Council policies as data: the periods, windows, criteria and weights a council sets for itself.

Community asset transfer in England is policy, not statute (STATUTE.md §4.1): each council sets its own stages,
target times, criteria, weights and gates. The right to challenge leaves the submission windows, the maximum time
to a decision and the gap before procurement to the council too (LA 2011 s.82(2), s.83(4), s.84(3)). A policy is
a versioned document; a case pins the version it started under, so a new version never changes a running case.

What a policy holds: `periods` (a period it sets), `transfer` and `challenge` (each kind's terms; the right to
challenge's windows with it), `kinds` (which periods each kind sets, and from when a version may apply).
`parsing` reads a document and says everything wrong with it at once. Pure package.
"""

from workflows.policies.challenge import ChallengePolicy, ServiceWindow, WindowCheck, check_window
from workflows.policies.kinds import KINDS, OPTIONAL_PERIODS, Policy, first_day_refusal
from workflows.policies.parsing import InvalidPolicy, parse_policy
from workflows.policies.periods import PolicyPeriod
from workflows.policies.transfer import MAX_EOI_CRITERIA, TENURES, Criterion, Rubric, Tenure, TransferPolicy

__all__ = [
    "KINDS",
    "MAX_EOI_CRITERIA",
    "OPTIONAL_PERIODS",
    "TENURES",
    "ChallengePolicy",
    "Criterion",
    "InvalidPolicy",
    "Policy",
    "PolicyPeriod",
    "Rubric",
    "ServiceWindow",
    "Tenure",
    "TransferPolicy",
    "WindowCheck",
    "check_window",
    "first_day_refusal",
    "parse_policy",
]
