"""The guards of a community asset transfer in England (workflows.asset_transfer): pure predicates over
GuardContext, each with the sentence shown when it refuses and its basis, the council's policy or the statute.

STATUTE.md §4.1-4.3: the policy's own checks (T2-T7), and the law's hooks: open space advertised for two
consecutive weeks with objections considered (LGA 1972 s.123(2A)), the right-to-bid moratorium on listed
land (LA 2011 s.95), and any asset transfer request still open on the land (CE(S)A 2015 s.84).
"""

from __future__ import annotations

from datetime import date, timedelta

from workflows import guards
from workflows.definition import Guard, GuardContext
from workflows.periods import long_date

_WEEK = timedelta(days=7)


def _fact_date(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def _consecutive_weeks(ctx: GuardContext) -> bool:
    """LGA 1972 s.123(2A): the council must advertise its intention "for two consecutive weeks".

    Read as one notice in each of two successive weeks counted from the first publication: the second
    appears 7 to 13 days after the first. Fewer than 7 days apart (a Sunday and the next Monday) both fall in
    the first week, so the advertisement has not run for two weeks; 14 days or more leaves a week between
    them, so the weeks are not consecutive. A weekly paper, publishing the same day a week later, meets it.
    The reading is the cautious one where the Act is silent (STATUTE.md §4.1 gives only the words).
    """
    first, second = _fact_date(ctx, "advert_first_published_on"), _fact_date(ctx, "advert_second_published_on")
    if first is None or second is None:
        return False
    return _WEEK <= second - first < 2 * _WEEK


def _objections_close_late_enough(ctx: GuardContext) -> bool:
    second, closes = _fact_date(ctx, "advert_second_published_on"), _fact_date(ctx, "objections_close_on")
    earliest = _fact_date(ctx, "objections_earliest_close")
    if second is None or closes is None:
        return False
    return closes > second and (earliest is None or closes >= earliest)


def _objections_close_refusal(ctx: GuardContext) -> str:
    earliest = _fact_date(ctx, "objections_earliest_close")
    if earliest is not None:
        return (
            f"The notice must allow objections until at least {long_date(earliest)}, as the council's policy "
            "requires after the second notice"
        )
    return "The closing date for objections must be after the second notice appears"


def _objections_after_close(ctx: GuardContext) -> bool:
    considered, closes = _fact_date(ctx, "objections_considered_on"), _fact_date(ctx, "objections_close_on")
    return considered is not None and closes is not None and considered > closes


def _objections_after_close_refusal(ctx: GuardContext) -> str:
    closes = _fact_date(ctx, "objections_close_on")
    if closes is None:
        return "Record the closing date for objections the notice gave"
    return f"Objections may be made until the end of {long_date(closes)}: consider them after that"


def _open_space_done(ctx: GuardContext) -> bool:
    return not ctx.facts.get("open_space") or _fact_date(ctx, "objections_considered_on") is not None


def _moratorium_done(ctx: GuardContext) -> bool:
    return not ctx.facts.get("moratorium_running")


def _moratorium_refusal(ctx: GuardContext) -> str:
    ends = ctx.facts.get("moratorium_ends_on")
    when = f" It ends on {long_date(ends)}." if isinstance(ends, date) else ""
    return (
        "The land is listed and this is a relevant disposal to a body that is not a community interest group, so "
        f"the transfer must wait for the moratorium ({ctx.facts.get('moratorium_reference', 'see the linked case')})."
        + when
    )


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


def _running_cycle(ctx: GuardContext) -> str | None:
    value = ctx.facts.get("running_cycle")
    return value if isinstance(value, str) and value else None


def _notice_if_needed(ctx: GuardContext) -> bool:
    """s.95(2): listed land going to a non-CIG needs the council's notice, unless a cycle already covers it."""
    if not ctx.facts.get("moratorium_required") or ctx.data.get("moratorium_exemption"):
        return True
    return _running_cycle(ctx) is not None or ctx.data.get("council_notice_on") is not None


def _no_second_notice(ctx: GuardContext) -> bool:
    return _running_cycle(ctx) is None or ctx.data.get("council_notice_on") is None


def _second_notice_refusal(ctx: GuardContext) -> str:
    return (
        f"Leave the notice date empty: {ctx.facts.get('running_cycle_reasons') or 'an earlier notice is running'}. "
        "The disposal waits for that moratorium, or may be made within its protected period without a new notice"
    )


def _notice_needed_now(ctx: GuardContext) -> bool:
    return bool(ctx.facts.get("moratorium_required")) and _running_cycle(ctx) is None


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


surplus = guards.data_is(
    "asset_is_surplus", "surplus", "An asset the council still needs cannot be transferred: decline the enquiry",
    basis="Council policy (T2)",
)  # fmt: skip
eligible = guards.fact_is(
    "applicant_eligible", "applicant_eligible", "The group is not eligible under the council's policy",
    basis="Council policy; LA 2011 s.81(6) used as the test of a voluntary or community body",
)  # fmt: skip
eoi_in_window = guards.in_time(
    "eoi_in_window", when="eoi_received_on", timer="eoi_window", what="the expression of interest",
    basis="Council policy (T3)",
)  # fmt: skip
scored = guards.fact_is(
    "scores_complete", "scores_complete", "The panel has not finished scoring", basis="Council policy (T6)"
)
recommended = guards.fact_is(
    "recommendation_is_to_approve", "recommend_approval", "The policy's assessment does not support approval",
    basis="Council policy (T6-T7)",
)  # fmt: skip
not_already = guards.fact_is(
    "no_other_application_approved", "other_application_approved",
    "Another application for this asset has already been approved", basis="Council policy (T7)", expected=False,
)  # fmt: skip
tenure_offered = guards.fact_is(
    "tenure_offered", "tenure_offered", "The council's policy does not offer that tenure", basis="Council policy"
)
tie = Guard("tie_explained", _tie_explained, _tie_refusal, "Council policy (T7)")
departure = Guard("departure_from_ranking_explained", _departure_explained, _departure_refusal, "Council policy (T7)")
rivals = Guard("rivals_outcome_given", _rivals_answered, _rivals_refusal, "Council policy (T7)")
decide_by = Guard("decide_by_not_in_the_past", _decide_by_ok, _decide_by_refusal, "Council policy (T7)")
council_notice = Guard(
    "council_notice_recorded",
    _notice_if_needed,
    "The land is listed: record the date the council gave itself notice of the intended disposal",
    "LA 2011 s.95(2)",
)
one_notice = Guard("no_second_notice_in_a_running_cycle", _no_second_notice, _second_notice_refusal,
                    "LA 2011 s.95(2)-(4)")  # fmt: skip
notice_needed = Guard(
    "notice_needed",
    _notice_needed_now,
    "No new notice is needed: the land is not listed, the disposal does not need the moratorium, or an earlier "
    "notice's cycle is running",
    "LA 2011 s.95(2)-(4)",
)
advertised_window = Guard("advertised_window_open", _advert_window_open, _advert_window_refusal, "Council policy (T3)")
eoi_passes = Guard(
    "eoi_meets_every_criterion", lambda ctx: _eoi_assessed(ctx, passing=True),
    lambda ctx: _eoi_refusal(ctx, passing=True), "Council policy (T4)",
)  # fmt: skip
eoi_fails = Guard(
    "eoi_misses_a_criterion", lambda ctx: _eoi_assessed(ctx, passing=False),
    lambda ctx: _eoi_refusal(ctx, passing=False), "Council policy (T4)",
)  # fmt: skip
not_barred = guards.fact_is(
    "no_asset_transfer_request_bars_disposal", "disposal_barred",
    "The land cannot be transferred while an asset transfer request for it is open", basis="CE(S)A 2015 s.84",
    expected=False,
)  # fmt: skip
open_space = guards.fact_is(
    "land_is_open_space", "open_space", "The land was not recorded as open space", basis="LGA 1972 s.123(2A)"
)
consecutive = Guard(
    "advertised_in_consecutive_weeks",
    _consecutive_weeks,
    "The notices must appear in two consecutive weeks: the second 7 to 13 days after the first",
    "LGA 1972 s.123(2A)",
)
advertised = guards.recorded(
    "advertisement_recorded", "advert_second_published_on", "Record the newspaper advertisement first",
    basis="LGA 1972 s.123(2A)",
)  # fmt: skip
objections_after_advert = Guard(
    "objections_considered_after_they_close", _objections_after_close, _objections_after_close_refusal,
    "LGA 1972 s.123(2A)",
)  # fmt: skip
objections_period = Guard(
    "objections_period_long_enough", _objections_close_late_enough, _objections_close_refusal, "LGA 1972 s.123(2A)"
)
open_space_steps = Guard(
    "open_space_steps_done",
    _open_space_done,
    "The land is open space: advertise the disposal for two consecutive weeks and consider the objections first",
    "LGA 1972 s.123(2A)",
)
moratorium = Guard("moratorium_over", _moratorium_done, _moratorium_refusal, "LA 2011 s.95(1), (3)")
