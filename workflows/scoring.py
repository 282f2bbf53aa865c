"""Panel scoring of asset transfer applications: weighted totals, gates, a recommendation, and ties.

Each assessor scores each criterion with a comment; the panel then agrees a
moderated score per criterion. The recommendation follows from the moderated
scores alone: every gate must reach its pass mark, and the weighted total
must reach the policy's threshold (STATUTE.md §4.2, "Design"). Pure module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from workflows.policies import Rubric

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class GateResult:
    criterion: str
    label: str
    score: int
    pass_mark: int
    passed: bool


@dataclass(frozen=True)
class ScoreResult:
    """What the moderated scores add up to, and what the policy therefore recommends."""

    weighted_percent: Decimal  # 0-100, two places
    gates: tuple[GateResult, ...]
    threshold: Decimal
    recommend: bool
    reasons: tuple[str, ...]

    @property
    def failed_gates(self) -> tuple[GateResult, ...]:
        return tuple(g for g in self.gates if not g.passed)


class IncompleteScores(ValueError):
    """Not every criterion has a moderated score yet."""

    def __init__(self, missing: Sequence[str]) -> None:
        super().__init__("No moderated score yet for: " + ", ".join(missing))
        self.missing = tuple(missing)


def check_score(rubric: Rubric, criterion_id: str, score: int) -> str | None:
    """Why a score cannot be given for this criterion, or None if it can."""
    try:
        criterion = rubric.criterion(criterion_id)
    except KeyError:
        return f"The policy has no criterion {criterion_id!r}"
    if not 0 <= score <= criterion.max_score:
        return f"A score for {criterion.label.lower()} is from 0 to {criterion.max_score}"
    return None


def suggested_moderation(scores: Sequence[int]) -> int | None:
    """The median of the assessors' scores, rounded half up: a starting point the panel may change."""
    if not scores:
        return None
    return int(Decimal(str(median(scores))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def result(rubric: Rubric, moderated: Mapping[str, int]) -> ScoreResult:
    """The weighted percentage, each gate, and the recommendation; raises IncompleteScores."""
    missing = [c.label for c in rubric.criteria if c.id not in moderated]
    if missing:
        raise IncompleteScores(missing)
    total_weight = sum((c.weight for c in rubric.criteria), Decimal(0))
    achieved = sum((c.weight * Decimal(moderated[c.id]) / Decimal(c.max_score) for c in rubric.criteria), Decimal(0))
    percent = (achieved / total_weight * HUNDRED).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    gates = tuple(
        GateResult(c.id, c.label, moderated[c.id], c.pass_mark, moderated[c.id] >= c.pass_mark)
        for c in rubric.criteria
        if c.gate and c.pass_mark is not None
    )
    reasons = [
        f"Gate not passed: {gate.label} scored {gate.score}, below the pass mark of {gate.pass_mark}"
        for gate in gates
        if not gate.passed
    ]
    if percent < rubric.pass_threshold:
        reasons.append(f"Weighted score {percent}% is below the pass threshold of {rubric.pass_threshold}%")
    if not reasons:
        reasons.append(
            f"Every gate passed and the weighted score {percent}% reaches the {rubric.pass_threshold}% threshold"
        )
    return ScoreResult(
        percent,
        gates,
        rubric.pass_threshold,
        not any(not g.passed for g in gates) and percent >= rubric.pass_threshold,
        tuple(reasons),
    )


@dataclass(frozen=True)
class Ranked:
    reference: str
    result: ScoreResult
    rank: int  # 1 is best; equal totals share a rank
    tied: bool  # shares its rank with another application


def rank(results: Mapping[str, ScoreResult]) -> tuple[Ranked, ...]:
    """Competing applications for one asset, best first: those recommended, then by weighted score.

    Equal scores share a rank and are flagged as tied: the policy cannot choose
    between them, so the decision-maker must, and must say why.
    """
    ordered = sorted(results.items(), key=lambda item: (not item[1].recommend, -item[1].weighted_percent, item[0]))
    ranked: list[Ranked] = []
    for position, (reference, scored) in enumerate(ordered, start=1):
        key = (scored.recommend, scored.weighted_percent)
        same = [r for r in ranked if (r.result.recommend, r.result.weighted_percent) == key]
        ranked.append(Ranked(reference, scored, same[0].rank if same else position, False))
    counts: dict[int, int] = {}
    for item in ranked:
        counts[item.rank] = counts.get(item.rank, 0) + 1
    return tuple(Ranked(r.reference, r.result, r.rank, counts[r.rank] > 1) for r in ranked)
