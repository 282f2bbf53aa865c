"""The guards of an asset transfer request in Scotland (workflows.scotland_atr): pure predicates over
GuardContext, each with the sentence shown when it refuses and the provision it applies.

STATUTE.md §4.4 (CE(S)A 2015 Part 5; the ATR Procedure, Review, Appeals and No-Contract Regulations 2016):
who may ask, the least periods the council must allow, and the windows that begin with the date a period
expires, counted in Scotland's asset transfer working days.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from workflows import guards
from workflows.definition import Guard, GuardContext
from workflows.errors import RuleNotInForce
from workflows.periods import compute, long_date


def _date_in(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def _at_least(name: str, *, rule: str, start: str, end: str, what: str, basis: str) -> Guard:
    """The date `end` the council set is no earlier than the statutory minimum `rule` from `start`."""

    def earliest(ctx: GuardContext) -> date | None:
        begun = _date_in(ctx, start)
        return compute(rule, begun).due if begun else None

    def check(ctx: GuardContext) -> bool:
        try:
            minimum = earliest(ctx)
        except RuleNotInForce:  # a start before the Act: the date's own commencement guard refuses it, in one line
            return True
        chosen = _date_in(ctx, end)
        return minimum is not None and chosen is not None and chosen >= minimum

    def refusal(ctx: GuardContext) -> str:
        minimum = earliest(ctx)
        return f"{what.capitalize()} must end no earlier than {long_date(minimum) if minimum else 'the legal minimum'}"

    return Guard(name, check, refusal, basis)


def _window(name: str, *, when: str, expiry: str, timer: str, what: str, basis: str) -> Guard:
    """`when` falls in a window that begins with the date a period expires (`expiry`) and ends with `timer`.

    The regulations count these windows "beginning with the date of expiry" of the period (ATR Review Regs
    reg.3(2)(b), Appeals Regs regs 3(2)(b) and 11, No-Contract Regs reg.3): the last day of the period is
    day 1, so something done on that day is in time, as it is on the window's last day.
    """

    def bounds(ctx: GuardContext) -> tuple[date | None, date | None]:
        return _date_in(ctx, expiry), ctx.deadlines.get(timer)

    def check(ctx: GuardContext) -> bool:
        done, (first, last) = _date_in(ctx, when), bounds(ctx)
        return done is not None and first is not None and last is not None and first <= done <= last

    def refusal(ctx: GuardContext) -> str:
        first, last = bounds(ctx)
        if first is None or last is None:
            return f"There is no period recorded for {what}"
        return (
            f"{what.capitalize()} can be made from {long_date(first)}, the day the period expires, until the end of "
            f"{long_date(last)}"
        )

    return Guard(name, check, refusal, basis)


def _later_than(name: str, *, field: str, timer: str, what: str, basis: str) -> Guard:
    """A longer period agreed (or directed) must end after the date the period now ends."""

    def check(ctx: GuardContext) -> bool:
        chosen, due = _date_in(ctx, field), ctx.deadlines.get(timer)
        return chosen is not None and due is not None and chosen > due and chosen >= ctx.today

    def refusal(ctx: GuardContext) -> str:
        due = ctx.deadlines.get(timer)
        if due is None:
            return f"There is no {what} running to make longer"
        return f"A longer {what} must end after {long_date(due)}, when it now ends, and not in the past"

    return Guard(name, check, refusal, basis)


def _offer_in_time(ctx: GuardContext) -> bool:
    offered, ends = _date_in(ctx, "offer_submitted_on"), _date_in(ctx, "offer_period_ends_on")
    return offered is not None and ends is not None and offered <= ends


def _offer_ended(ctx: GuardContext) -> bool:
    lapsed, ends = _date_in(ctx, "lapsed_on"), _date_in(ctx, "offer_period_ends_on")
    return lapsed is not None and ends is not None and lapsed > ends


def _guard(name: str, check: Callable[[GuardContext], bool], refusal: str, basis: str) -> Guard:
    return Guard(name, check, refusal, basis)


is_ctb = guards.fact_is(
    "community_transfer_body",
    "is_ctb",
    "Only a community transfer body may make a request",
    basis="CE(S)A 2015 s.77, s.79(1)",
)
may_own = _guard(
    "ownership_only_by_qualifying_bodies",
    lambda ctx: ctx.data.get("request_type") != "ownership" or ctx.facts.get("may_own") is True,
    "This body may ask for a lease or other rights, but not to buy",
    "CE(S)A 2015 s.80",
)
repeat = guards.fact_is(
    "refused_within_two_years",
    "refused_within_two_years",
    "The council may decline only a request like one it refused within the last 2 years",
    basis="CE(S)A 2015 s.93",
)


def _validated_after_receipt(ctx: GuardContext) -> bool:
    validated, received = _date_in(ctx, "validation_date"), _date_in(ctx, "request_received_on")
    return validated is None or received is None or validated >= received


def _validated_before_receipt(ctx: GuardContext) -> str:
    received = _date_in(ctx, "request_received_on")
    when = long_date(received) if received else "the day it was received"
    return (
        f"The validation date cannot be before the request was received on {when}: it is the day the last "
        "required item arrived"
    )


not_before_request = Guard(
    "validation_not_before_request",
    _validated_after_receipt,
    _validated_before_receipt,
    "ATR Procedure Regs reg.5",
)
information_asked = guards.recorded(
    "information_was_asked_for",
    "info_requested_on",
    "Record the body's request for information first",
    basis="CE(S)A 2015 s.81(3)",
)
no_other_request = guards.fact_is(
    "no_other_request_bars_disposal",
    "other_requests_open",
    "Another asset transfer request for this land is still open, so the council may not transfer it to anyone "
    "else until that request is disposed of",
    basis="CE(S)A 2015 s.84(2)-(4), (11)",
    expected=False,
)
acknowledged_after = guards.not_before(
    "acknowledged_after_validation",
    when="acknowledged_on",
    start="validation_date",
    what="the acknowledgement",
    basis="ATR Procedure Regs reg.4(4)-(5)",
)
representations_long_enough = _at_least(
    "representations_period_long_enough",
    rule="scotland.atr_representations",
    start="notice_published_on",
    end="representations_close_on",
    what="the period for representations",
    basis="ATR Procedure Regs regs 6-7",
)


def _closed(ctx: GuardContext) -> bool:
    """Both the legal minimum and the closing date the council published must have passed."""
    minimum, published = ctx.deadlines.get("representations"), _date_in(ctx, "representations_close_on")
    return minimum is not None and ctx.today > minimum and (published is None or ctx.today > published)


def _not_closed(ctx: GuardContext) -> str:
    published = _date_in(ctx, "representations_close_on") or ctx.deadlines.get("representations")
    when = f": they may be made until the end of {long_date(published)}" if published else ""
    return f"The period for representations has not ended yet{when}"


representations_closed = Guard("representations_closed", _closed, _not_closed, "ATR Procedure Regs reg.7")
none_made = guards.data_is(
    "no_representations_to_comment_on",
    "representations_received",
    "Representations were made: send copies to the body for its comments first",
    basis="ATR Procedure Regs reg.8",
    expected=False,
)
comments_over = _guard(
    "applicant_has_commented_or_time_is_up",
    lambda ctx: (
        ctx.data.get("applicant_commented") is True
        or (ctx.deadlines.get("comments") is not None and ctx.today > ctx.deadlines["comments"])
    ),
    "The body has at least 20 working days to comment on the representations, and has not yet done so",
    "ATR Procedure Regs reg.8",
)
offer_period_long_enough = _at_least(
    "offer_period_at_least_6_months",
    rule="scotland.atr_offer_period",
    start="decision_notice_on",
    end="offer_period_ends_on",
    what="the offer period",
    basis="CE(S)A 2015 s.83(3)",
)
review_in_time = guards.in_time(
    "review_requested_in_time",
    when="review_requested_on",
    timer="review_request",
    what="the request for review",
    basis="CE(S)A 2015 s.86; ATR Review Regs reg.3(2)",
)
review_terms_in_time = guards.in_time(
    "review_requested_in_time",
    when="review_requested_on",
    timer="review_request_terms",
    what="the request for review",
    basis="CE(S)A 2015 s.86; ATR Review Regs reg.3(2)",
)
not_reviewed_before = guards.not_recorded(
    "not_reviewed_before",
    "review_decided_on",
    "The request has already been reviewed: the next step is an appeal",
    basis="CE(S)A 2015 s.86, s.88",
)
review_overdue = _window(
    "appeal_for_want_of_a_review_decision_in_time",
    when="appeal_lodged_on",
    expiry="review_period_ends_on",
    timer="appeal_no_review_decision",
    what="an appeal for want of a review decision",
    basis="CE(S)A 2015 s.88(2)(b); ATR Appeals Regs reg.11",
)
decision_overdue = _window(
    "review_for_want_of_a_decision_in_time",
    when="review_requested_on",
    expiry="decision_period_ends_on",
    timer="review_request_no_decision",
    what="a review for want of a decision",
    basis="CE(S)A 2015 s.86(1)(b)(iii), (2); ATR Review Regs reg.3(2)(b)",
)
longer_decision_period = _later_than(
    "longer_decision_period_ends_later",
    field="decision_due_by",
    timer="decision",
    what="decision period",
    basis="CE(S)A 2015 s.82(8); ATR Procedure Regs reg.10",
)
longer_review_period = _later_than(
    "longer_review_period_ends_later",
    field="review_due_by",
    timer="review_decision",
    what="review period",
    basis="CE(S)A 2015 s.86(7); ATR Review Regs reg.9",
)
longer_contract_period = _later_than(
    "longer_contract_period_ends_later",
    field="contract_due_by",
    timer="contract",
    what="contract period",
    basis="CE(S)A 2015 s.83(7)(b)",
)
appeal_in_time = guards.in_time(
    "appeal_in_time",
    when="appeal_lodged_on",
    timer="appeal",
    what="the appeal",
    basis="CE(S)A 2015 s.88; ATR Appeals Regs reg.11",
)
offer_in_time = _guard(
    "offer_in_offer_period",
    _offer_in_time,
    "The offer was made after the offer period ended",
    "CE(S)A 2015 s.83(3)-(4)",
)
offer_period_over = _guard("offer_period_over", _offer_ended, "The offer period has not ended yet", "CE(S)A 2015 s.83")
no_contract_appeal_in_time = _window(
    "no_contract_appeal_in_time",
    when="appeal_lodged_on",
    expiry="contract_period_ends_on",
    timer="no_contract_appeal",
    what="a no-contract appeal",
    basis="CE(S)A 2015 s.83(6); ATR No-Contract Regs reg.3",
)
