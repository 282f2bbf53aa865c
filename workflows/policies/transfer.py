"""A council's community asset transfer policy (England): its criteria and weights, gates and tenures.

Community asset transfer in England is policy, not statute (STATUTE.md §4.1): each council sets its own stages,
target times, criteria, weights and gates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from workflows.policies.periods import PolicyPeriod

MAX_EOI_CRITERIA = 60  # the assessment's reasons, all together, fit the transition's field


@dataclass(frozen=True)
class Criterion:
    """One thing applications are scored on. A gate must reach its pass mark whatever the total."""

    id: str
    label: str
    weight: Decimal
    max_score: int = 5
    gate: bool = False
    pass_mark: int | None = None  # for a gate: the lowest moderated score that passes
    guidance: str = ""


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    pass_threshold: Decimal  # percentage of the maximum weighted score needed to recommend approval

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


@dataclass(frozen=True)
class Tenure:
    id: str
    label: str
    qualifying_for_moratorium: bool  # freehold, or a lease of 25 years or more (LA 2011 s.96)


TENURES = (
    Tenure("licence", "Licence or management agreement", qualifying_for_moratorium=False),
    Tenure("short_lease", "Short lease (up to 7 years)", qualifying_for_moratorium=False),
    Tenure("lease", "Lease of 7 to 24 years", qualifying_for_moratorium=False),
    Tenure("long_lease", "Long lease (25 years or more)", qualifying_for_moratorium=True),
    Tenure("freehold", "Freehold", qualifying_for_moratorium=True),
)
TENURE_IDS = frozenset(t.id for t in TENURES)


@dataclass(frozen=True)
class TransferPolicy:
    """A council's community asset transfer policy (England): stages, target times, criteria and gates."""

    title: str
    periods: Mapping[str, PolicyPeriod]
    eoi_criteria: tuple[str, ...]  # what an expression of interest is checked against, pass or fail
    rubric: Rubric
    decision_body: str
    tenures: tuple[str, ...]
    example: bool = False  # weights chosen for illustration, not the council's own
    source: str = ""
    eoi_advert_per_asset: bool = True  # one advertised window per asset, open to every group, after one check
