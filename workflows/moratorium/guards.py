"""The moratorium's guards: each a named check with the sentence an officer or owner reads when it refuses.

Referred to by name from the table in workflows.moratorium.definition. Pure: they read the data supplied with a
trigger, the facts recorded on the case and the case's deadlines.
"""

from __future__ import annotations

from datetime import date

from workflows import guards
from workflows.checklists import DisposalAnswers, DisposalAssessment, assess_disposal
from workflows.definition import Guard, GuardContext
from workflows.moratorium.fields import LISTED_ON, NOTICE_RECEIVED_ON, RIGHT_GRANTED_ON
from workflows.periods import compute, long_date

listed = guards.fact_is(
    "asset_is_listed",
    "asset_listed",
    "The land is not on the list of assets of community value",
    basis="LA 2011 s.95(1)",
)
relevant = Guard(
    "relevant_disposal",
    lambda ctx: ctx.data.get("vacant_possession") is True,
    "Only a disposal with vacant possession (freehold, or a lease of 25 years or more) is a relevant disposal",
    "LA 2011 s.96",
)
no_open_cycle = guards.fact_is(
    "no_protected_period_running",
    "protected_period_running",
    "A protected period from an earlier notice is still running for this land",
    basis="LA 2011 s.95(4)",
    expected=False,
)
is_cig = guards.fact_is(
    "requester_is_a_community_interest_group",
    "requester_is_cig",
    "The group is not a community interest group",
    basis="ACV Regs reg.12",
)
in_interim = guards.in_time(
    "request_in_interim_period",
    when="request_received_on",
    timer="interim_end",
    what="the request to be treated as a potential bidder",
    basis="LA 2011 s.95(3)(a)",
)
request_after_notice = guards.not_before(
    "request_after_notice",
    when="request_received_on",
    start=NOTICE_RECEIVED_ON,
    what="the request",
    basis="LA 2011 s.95(3)(a)",
)
in_protected = guards.in_time(
    "disposal_in_protected_period",
    when="disposal_entered_on",
    timer="protected_end",
    what="the disposal",
    basis="LA 2011 s.95(4) (condition C); ACV Regs reg.13(1)",
)
acquirer_is_cig = guards.data_is(
    "acquirer_is_a_community_interest_group",
    "acquirer_is_cig",
    "During a moratorium the land may only be sold to a community interest group",
    basis="ACV Regs reg.13(1)",
)
not_barred = guards.fact_is(
    "no_asset_transfer_request_bars_disposal",
    "disposal_barred",
    "The land cannot be disposed of while an asset transfer request for it is open",
    basis="CE(S)A 2015 s.84",
    expected=False,
)
disposal_after_notice = guards.not_before(
    "disposal_after_notice",
    when="disposal_entered_on",
    start=NOTICE_RECEIVED_ON,
    what="the disposal",
    basis="LA 2011 s.95",
)


# Exempt disposals (s.95(5), Sch.3), checked when recorded.

_OPTION = "planning_obligation_or_option"


def _day(value: object) -> str:
    return long_date(value) if isinstance(value, date) else "the day recorded"


def _listed_on(ctx: GuardContext) -> date | None:
    listed = ctx.facts.get(LISTED_ON)
    return listed if isinstance(listed, date) else None


def exemption_assessment(ctx: GuardContext) -> DisposalAssessment:
    """The exemption claimed, judged by the checklist the owner's notice page uses (s.95(5), s.96, Sch.3).

    An obligation made or option granted on or after the day the land was entered on the list is not
    exempt (Sch.3 para.4(2)): the land was "already listed" then.
    """
    granted, listed = _disposal_date(ctx, RIGHT_GRANTED_ON), _listed_on(ctx)
    answers = DisposalAnswers(
        disposal_type="freehold",
        vacant_possession=True,
        exemptions=frozenset({str(ctx.data.get("exemption"))}),
        listed_before_obligation=granted is not None and listed is not None and listed <= granted,
    )
    return assess_disposal(answers)


def _not_exempt(ctx: GuardContext) -> str:
    granted, listed = _disposal_date(ctx, RIGHT_GRANTED_ON), _listed_on(ctx)
    when = f"granted on {long_date(granted)}" if granted else "granted"
    since = f" (it was entered on the list on {long_date(listed)})" if listed else ""
    return (
        f"The disposal is not exempt: the obligation or right was {when}, when the land was already listed{since}. "
        "A disposal under it needs the owner's notice and the moratorium"
    )


exemption_holds = Guard(
    "exemption_holds", lambda ctx: exemption_assessment(ctx).exempt, _not_exempt, "ACV Regs Sch.3 para.4(2)"
)
option_dated = Guard(
    "option_or_obligation_dated",
    lambda ctx: ctx.data.get("exemption") != _OPTION or _disposal_date(ctx, RIGHT_GRANTED_ON) is not None,
    "Record the date the planning obligation was made or the option or right was granted: a disposal under it is "
    "not exempt if the land was already listed then",
    "ACV Regs Sch.3 para.4(2)",
)


def _while_listed(ctx: GuardContext) -> bool:
    disposed, listed = _disposal_date(ctx, "disposal_entered_on"), _listed_on(ctx)
    return disposed is None or listed is None or disposed >= listed


def _before_listing(ctx: GuardContext) -> str:
    disposed, listed = _disposal_date(ctx, "disposal_entered_on"), _listed_on(ctx)
    return (
        f"The disposal on {_day(disposed)} was before the land was listed on {_day(listed)}: the "
        "moratorium, and so its exemptions, apply only to a disposal of listed land"
    )


exempt_while_listed = Guard("exempt_disposal_while_listed", _while_listed, _before_listing, "LA 2011 s.95(1)")


def _in_this_cycle(ctx: GuardContext) -> bool:
    disposed, received = _disposal_date(ctx, "disposal_entered_on"), ctx.facts.get(NOTICE_RECEIVED_ON)
    return disposed is None or not isinstance(received, date) or disposed >= received


def _before_this_cycle(ctx: GuardContext) -> str:
    disposed, received = _disposal_date(ctx, "disposal_entered_on"), ctx.facts.get(NOTICE_RECEIVED_ON)
    return (
        f"The disposal on {_day(disposed)} was before the council received the owner's notice on "
        f"{_day(received)} that began this disposal cycle, so it cannot end it: the notice was given after "
        "the land had changed hands"
    )


exempt_in_this_cycle = Guard("exempt_disposal_in_this_cycle", _in_this_cycle, _before_this_cycle, "LA 2011 s.95(2)")


def moratorium_end(ctx: GuardContext) -> date | None:
    """The last day of the moratorium this cycle ran: the full one if a group asked to bid, else the interim one.

    From the cycle's own deadlines (a fired deadline keeps its date), or worked out from the notice (s.95(6)).
    """
    for timer in ("full_end", "interim_end"):
        if timer in ctx.deadlines:
            return ctx.deadlines[timer]
    received = ctx.facts.get(NOTICE_RECEIVED_ON)
    if not isinstance(received, date):
        return None
    rule = "moratorium.full" if ctx.facts.get("interested_groups") else "moratorium.interim"
    return compute(rule, received).due


def _disposal_date(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name)
    return value if isinstance(value, date) else None


def _sold_after_moratorium(ctx: GuardContext) -> bool:
    sold, ended = _disposal_date(ctx, "disposal_entered_on"), moratorium_end(ctx)
    received = ctx.facts.get(NOTICE_RECEIVED_ON)
    if sold is not None and isinstance(received, date) and sold < received:
        return True  # before the notice: refused by disposal_after_notice, which says so
    return sold is not None and ended is not None and sold > ended


def _sold_during_moratorium(ctx: GuardContext) -> str:
    sold, ended = _disposal_date(ctx, "disposal_entered_on"), moratorium_end(ctx)
    if sold is None or ended is None:
        return "Record the date the disposal was entered into and the date the council received the notice"
    return (
        f"The disposal was entered into on {long_date(sold)}, during the moratorium, which ended on "
        f"{long_date(ended)}: a sale then to anyone but a community interest group breaches s.95(1) and is "
        "ineffective (ACV Regs reg.21). Record it as a disposal in breach, or as an exempt disposal if an "
        "exemption applies"
    )


# Condition B (s.95(3)) must be met when the disposal is entered into (s.96(4)): a binding contract made
# during the moratorium is not made lawful by the moratorium ending before the council hears of it.
after_moratorium = Guard(
    "disposal_after_moratorium", _sold_after_moratorium, _sold_during_moratorium, "LA 2011 s.95(1), (3); reg.21"
)


def _breach_in_moratorium(ctx: GuardContext) -> bool:
    breach, ended = _disposal_date(ctx, "breach_disposal_entered_on"), moratorium_end(ctx)
    return breach is not None and (ended is None or breach <= ended)


def _breach_after_moratorium(ctx: GuardContext) -> str:
    breach, ended = _disposal_date(ctx, "breach_disposal_entered_on"), moratorium_end(ctx)
    when = long_date(breach) if breach else "that day"
    until = long_date(ended) if ended else "the end of the moratorium"
    return (
        f"A disposal on {when} was after the moratorium ended on {until}, so it did not breach it: "
        "record it as a sale after the moratorium"
    )


breach_during_moratorium = Guard(
    "breach_during_moratorium", _breach_in_moratorium, _breach_after_moratorium, "LA 2011 s.95(1); ACV Regs reg.21"
)
# A request received in the interim period but recorded after the sweep ended it: the full moratorium applied all
# along (s.95(3)(a) counts requests received, not recorded). Only once: a cycle whose full moratorium has run keeps it.
full_not_run_yet = Guard(
    "full_moratorium_not_run_yet",
    lambda ctx: "full_end" not in ctx.deadlines,
    lambda ctx: (
        "A community interest group's request has already been recorded for this notice and the full moratorium "
        f"ended on {long_date(ctx.deadlines['full_end'])}: a further request does not change the dates"
    ),
    "LA 2011 s.95(3)(a), (6)",
)
# One request per group for each notice (s.95(3)(a) needs a request from a group, not a count of them): a second
# from the same group would tell the owner again and be counted again, and changes nothing.
group_not_yet_asking = Guard(
    "request_from_a_group_not_yet_asking",
    lambda ctx: ctx.facts.get("requester_already_asked") is not True,
    "This group has already asked to be treated as a potential bidder on this notice, so the full moratorium "
    "already applies: there is nothing more to send",
    "LA 2011 s.95(3)(a)",
)
