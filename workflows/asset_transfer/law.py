"""The law's steps before an asset transfer in England completes, checked as the council records them.

STATUTE.md §4.1 and §4.3 (T8-T9): open space advertised for two consecutive weeks with objections considered
(LGA 1972 s.123(2A)), the right-to-bid moratorium on listed land and the council's notice that starts it
(LA 2011 s.95), and any asset transfer request still open on the land (CE(S)A 2015 s.84). The council's policy
sets everything else (workflows.asset_transfer.guards). Pure predicates over GuardContext.
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


# Listed land: the council's notice of the disposal (s.95(2)), once per cycle, and the moratorium it starts.
council_notice = Guard(
    "council_notice_recorded",
    _notice_if_needed,
    "The land is listed: record the date the council gave itself notice of the intended disposal",
    "LA 2011 s.95(2)",
)
one_notice = Guard(
    "no_second_notice_in_a_running_cycle", _no_second_notice, _second_notice_refusal, "LA 2011 s.95(2)-(4)"
)
notice_needed = Guard(
    "notice_needed",
    _notice_needed_now,
    "No new notice is needed: the land is not listed, the disposal does not need the moratorium, or an earlier "
    "notice's cycle is running",
    "LA 2011 s.95(2)-(4)",
)
moratorium = Guard("moratorium_over", _moratorium_done, _moratorium_refusal, "LA 2011 s.95(1), (3)")

# Open space: two consecutive weeks' advertisement, then the objections considered (LGA 1972 s.123(2A)).
open_space = guards.fact_is(
    "land_is_open_space", "open_space", "The land was not recorded as open space", basis="LGA 1972 s.123(2A)"
)
consecutive = Guard(
    "advertised_in_consecutive_weeks",
    _consecutive_weeks,
    "The notices must appear in two consecutive weeks: the second 7 to 13 days after the first",
    "LGA 1972 s.123(2A)",
)
objections_period = Guard(
    "objections_period_long_enough", _objections_close_late_enough, _objections_close_refusal, "LGA 1972 s.123(2A)"
)
advertised = guards.recorded(
    "advertisement_recorded",
    "advert_second_published_on",
    "Record the newspaper advertisement first",
    basis="LGA 1972 s.123(2A)",
)
objections_after_advert = Guard(
    "objections_considered_after_they_close",
    _objections_after_close,
    _objections_after_close_refusal,
    "LGA 1972 s.123(2A)",
)
open_space_steps = Guard(
    "open_space_steps_done",
    _open_space_done,
    "The land is open space: advertise the disposal for two consecutive weeks and consider the objections first",
    "LGA 1972 s.123(2A)",
)

# An asset transfer request still open on the land bars its disposal (CE(S)A 2015 s.84).
not_barred = guards.fact_is(
    "no_asset_transfer_request_bars_disposal",
    "disposal_barred",
    "The land cannot be transferred while an asset transfer request for it is open",
    basis="CE(S)A 2015 s.84",
    expected=False,
)
