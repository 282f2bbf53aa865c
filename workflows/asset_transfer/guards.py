"""The council's policy checks on a community asset transfer in England, from the asset check to the decision.

STATUTE.md §4.3, T2-T7: the asset is surplus, the group eligible, its expression of interest in time and assessed
against every criterion, the panel's scores complete, and a decision that departs from the ranking, breaks a tie
or leaves other applications open says why. Each a pure predicate over GuardContext with the sentence shown when
it refuses; the law's steps before completion are in workflows.asset_transfer.law.
"""

from __future__ import annotations

from datetime import date

from workflows import guards
from workflows.definition import Guard, GuardContext
from workflows.periods import long_date


def _fact_date(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def _tie_explained(ctx: GuardContext) -> bool:
    return not ctx.facts.get("tied_with") or bool(ctx.data.get("ranking_reasons"))


def _tie_refusal(ctx: GuardContext) -> str:
    return (
        "This application scored the same as " + ", ".join(ctx.facts.get("tied_with") or []) + ": the policy cannot "
        "choose between them, so give the reasons for choosing this one"
    )


def _departure_explained(ctx: GuardContext) -> bool:
    return not ctx.facts.get("ranked_above") or bool(ctx.data.get("ranking_reasons"))


def _departure_refusal(ctx: GuardContext) -> str:
    return (
        "The panel ranked " + ", ".join(ctx.facts.get("ranked_above") or []) + " above this application: approving "
        "it departs from the panel's ranking, so give the reasons for choosing it"
    )


def _rivals_answered(ctx: GuardContext) -> bool:
    return not ctx.facts.get("rivals_open") or ctx.data.get("rivals_outcome") is not None


def _rivals_refusal(ctx: GuardContext) -> str:
    return (
        "Other applications for this asset are still open (" + ", ".join(ctx.facts.get("rivals_open") or []) + "): "
        "say whether they are refused or kept in reserve"
    )


def _advert_window_open(ctx: GuardContext) -> bool:
    closes = _fact_date(ctx, "eoi_window_closes_on")
    return bool(ctx.facts.get("advertised_window")) and closes is not None and ctx.today <= closes


def _advert_window_refusal(ctx: GuardContext) -> str:
    closes = _fact_date(ctx, "eoi_window_closes_on")
    if ctx.facts.get("advertised_window") and closes is not None:
        return (
            f"The window advertised for this asset closed on {long_date(closes)}: check the asset and advertise again"
        )
    return "; ".join(ctx.facts.get("advertised_window_reasons") or ["No window is advertised for this asset"])


def _eoi_assessed(ctx: GuardContext, *, passing: bool) -> bool:
    criteria = list(ctx.facts.get("eoi_criteria") or [])
    assessed = {row.get("criterion"): row for row in ctx.facts.get("eoi_assessment") or [] if isinstance(row, dict)}
    if not criteria or any(c not in assessed for c in criteria):
        return False
    all_met = all(assessed[c].get("met") is True for c in criteria)
    return all_met if passing else not all_met


def _eoi_refusal(ctx: GuardContext, *, passing: bool) -> str:
    assessed = {row.get("criterion"): row for row in ctx.facts.get("eoi_assessment") or [] if isinstance(row, dict)}
    missing = [c for c in ctx.facts.get("eoi_criteria") or [] if c not in assessed]
    if missing:
        return "Assess the expression of interest against each of the policy's criteria first: " + "; ".join(missing)
    if passing:
        failed = [c for c, row in assessed.items() if row.get("met") is not True]
        return "It cannot pass: these criteria are not met: " + "; ".join(str(c) for c in failed)
    return "Every one of the policy's criteria is met, so it cannot fail on them"


def _decide_by_ok(ctx: GuardContext) -> bool:
    decide_by, deferred = _fact_date(ctx, "decide_by"), _fact_date(ctx, "deferred_on")
    return decide_by is not None and decide_by >= ctx.today and (deferred is None or decide_by >= deferred)


def _decide_by_refusal(ctx: GuardContext) -> str:
    deferred = _fact_date(ctx, "deferred_on")
    after = f" or before the deferral on {long_date(deferred)}" if deferred else ""
    return f"The date the decision is now expected cannot be in the past{after}"


# T2: the asset check.
surplus = guards.data_is(
    "asset_is_surplus",
    "surplus",
    "An asset the council still needs cannot be transferred: decline the enquiry",
    basis="Council policy (T2)",
)

# T3-T4: the window and the expression of interest.
advertised_window = Guard("advertised_window_open", _advert_window_open, _advert_window_refusal, "Council policy (T3)")
eoi_in_window = guards.in_time(
    "eoi_in_window",
    when="eoi_received_on",
    timer="eoi_window",
    what="the expression of interest",
    basis="Council policy (T3)",
)
eligible = guards.fact_is(
    "applicant_eligible",
    "applicant_eligible",
    "The group is not eligible under the council's policy",
    basis="Council policy; LA 2011 s.81(6) used as the test of a voluntary or community body",
)
eoi_passes = Guard(
    "eoi_meets_every_criterion",
    lambda ctx: _eoi_assessed(ctx, passing=True),
    lambda ctx: _eoi_refusal(ctx, passing=True),
    "Council policy (T4)",
)
eoi_fails = Guard(
    "eoi_misses_a_criterion",
    lambda ctx: _eoi_assessed(ctx, passing=False),
    lambda ctx: _eoi_refusal(ctx, passing=False),
    "Council policy (T4)",
)

# T6-T7: the panel's scores and the decision.
scored = guards.fact_is(
    "scores_complete", "scores_complete", "The panel has not finished scoring", basis="Council policy (T6)"
)
recommended = guards.fact_is(
    "recommendation_is_to_approve",
    "recommend_approval",
    "The policy's assessment does not support approval",
    basis="Council policy (T6-T7)",
)
not_already = guards.fact_is(
    "no_other_application_approved",
    "other_application_approved",
    "Another application for this asset has already been approved",
    basis="Council policy (T7)",
    expected=False,
)
tenure_offered = guards.fact_is(
    "tenure_offered", "tenure_offered", "The council's policy does not offer that tenure", basis="Council policy"
)
tie = Guard("tie_explained", _tie_explained, _tie_refusal, "Council policy (T7)")
departure = Guard("departure_from_ranking_explained", _departure_explained, _departure_refusal, "Council policy (T7)")
rivals = Guard("rivals_outcome_given", _rivals_answered, _rivals_refusal, "Council policy (T7)")
decide_by = Guard("decide_by_not_in_the_past", _decide_by_ok, _decide_by_refusal, "Council policy (T7)")
