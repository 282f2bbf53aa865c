"""Asset transfer requests in Scotland: the statutory process, for a local authority as the relevant authority.

STATUTE.md §4.4, transitions S1-S14 and S17 (CE(S)A 2015 Part 5, ss.79-93;
the ATR Procedure, Review, Appeals and No-Contract Regulations 2016). Every
working-day period uses Scotland's asset transfer calendar, in which Good
Friday and Easter Monday are working days. Pure module: data and guards only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from workflows import guards
from workflows.definition import (
    SAME,
    Definition,
    Field,
    FieldKind,
    Guard,
    GuardContext,
    Notice,
    State,
    Timer,
    TimerVariant,
    Transition,
)
from workflows.periods import compute, long_date
from workflows.roles import GROUP_OR_OFFICER, OFFICER, SYSTEM, Party

NAME = "scotland_atr"

UNDECIDED = ("received", "incomplete", "validated", "representations", "comments")
_DECIDING_STATES = ("validated", "representations", "comments")  # the 6-month decision period runs
BARRED = (
    *UNDECIDED, "agreed", "contract", "contract_expired", "refused", "review", "review_refused", "appeal",
    "no_contract_appeal",
)  # fmt: skip  # s.84(2)-(4): open until the request is disposed of, appeals included

REQUEST_TYPES = (
    ("ownership", "Ownership (to buy the land)"),
    ("lease", "A lease"),
    ("other_rights", "Other rights (occupation, management or use)"),
)
REVIEW_BODIES = (
    ("council", "The full council"),
    ("committee", "A committee of the council"),
    ("sub_committee", "A sub-committee of the council"),
)

STATES = (
    State("draft", "Draft request",
          description="Being written by the community transfer body; it may first ask the council about the land."),
    State("received", "Request received", public=True,
          description="The council may not dispose of the land to anyone else while the request is open (s.84)."),
    State("incomplete", "Incomplete: items missing", public=True,
          description="The council has said what is missing; the validation date is when the last item arrives."),
    State("validated", "Validated: decision due within 6 months", public=True),
    State("representations", "Published: representations invited", public=True,
          description="Anyone may make representations for at least 20 working days (regs 6-7)."),
    State("comments", "Applicant commenting on representations", public=True,
          description="The body has at least 20 working days to comment (reg.8)."),
    State("agreed", "Agreed: offer period", public=True,
          description="The body may make an offer on the terms in the decision notice (s.83)."),
    State("contract", "Offer made: contract negotiation", public=True,
          description="The contract is to be concluded within 6 months of the offer (s.83(7))."),
    State("contract_expired", "Contract period ended: no contract", public=True,
          description="The body may appeal to the Scottish Ministers within 10 working days (s.83(6))."),
    State("transferred", "Contract concluded", terminal=True, public=True),
    State("refused", "Refused", public=True, description="The body may ask for a review within 20 working days."),
    State("review", "Review requested", public=True,
          description="Decided by the council or a committee, never an officer (LG(S)A 1973 s.56(6B))."),
    State("review_refused", "Refused on review", public=True,
          description="The body may appeal to the Scottish Ministers within 20 working days (s.88)."),
    State("appeal", "Appeal to the Scottish Ministers", public=True),
    State("no_contract_appeal", "No-contract appeal to the Scottish Ministers", public=True),
    State("closed_refused", "Refused (final)", terminal=True, public=True),
    State("declined_repeat", "Declined as a repeat request", terminal=True, public=True,
          description="Not a refusal: there is no review or appeal (s.93)."),
    State("lapsed", "Lapsed: no offer or contract", terminal=True, public=True),
    State("withdrawn", "Withdrawn", terminal=True, public=True),
)  # fmt: skip


def _date(name: str, label: str, *, allow_future: bool = False, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, required=required, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True) -> Field:
    return Field(name, FieldKind.TEXT, label, required=required)


def _date_in(ctx: GuardContext, name: str) -> date | None:
    value = ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def _at_least(name: str, *, rule: str, start: str, end: str, what: str, basis: str) -> Guard:
    """The date `end` the council set is no earlier than the statutory minimum `rule` from `start`."""

    def earliest(ctx: GuardContext) -> date | None:
        begun = _date_in(ctx, start)
        return compute(rule, begun).due if begun else None

    def check(ctx: GuardContext) -> bool:
        minimum, chosen = earliest(ctx), _date_in(ctx, end)
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


_is_ctb = guards.fact_is(
    "community_transfer_body", "is_ctb", "Only a community transfer body may make a request",
    basis="CE(S)A 2015 s.77, s.79(1)",
)  # fmt: skip
_may_own = _guard(
    "ownership_only_by_qualifying_bodies",
    lambda ctx: ctx.data.get("request_type") != "ownership" or ctx.facts.get("may_own") is True,
    "This body may ask for a lease or other rights, but not to buy",
    "CE(S)A 2015 s.80",
)
_repeat = guards.fact_is(
    "refused_within_two_years", "refused_within_two_years",
    "The council may decline only a request like one it refused within the last 2 years", basis="CE(S)A 2015 s.93",
)  # fmt: skip


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


_not_before_request = Guard(
    "validation_not_before_request", _validated_after_receipt, _validated_before_receipt,
    "ATR Procedure Regs reg.5",
)  # fmt: skip
_information_asked = guards.recorded(
    "information_was_asked_for", "info_requested_on", "Record the body's request for information first",
    basis="CE(S)A 2015 s.81(3)",
)  # fmt: skip
_no_other_request = guards.fact_is(
    "no_other_request_bars_disposal", "other_requests_open",
    "Another asset transfer request for this land is still open, so the council may not transfer it to anyone "
    "else until that request is disposed of", basis="CE(S)A 2015 s.84(2)-(4), (11)", expected=False,
)  # fmt: skip
_acknowledged_after = guards.not_before(
    "acknowledged_after_validation", when="acknowledged_on", start="validation_date", what="the acknowledgement",
    basis="ATR Procedure Regs reg.4(4)-(5)",
)  # fmt: skip
_representations_long_enough = _at_least(
    "representations_period_long_enough", rule="scotland.atr_representations", start="notice_published_on",
    end="representations_close_on", what="the period for representations", basis="ATR Procedure Regs regs 6-7",
)  # fmt: skip


def _closed(ctx: GuardContext) -> bool:
    """Both the legal minimum and the closing date the council published must have passed."""
    minimum, published = ctx.deadlines.get("representations"), _date_in(ctx, "representations_close_on")
    return minimum is not None and ctx.today > minimum and (published is None or ctx.today > published)


def _not_closed(ctx: GuardContext) -> str:
    published = _date_in(ctx, "representations_close_on") or ctx.deadlines.get("representations")
    when = f": they may be made until the end of {long_date(published)}" if published else ""
    return f"The period for representations has not ended yet{when}"


_representations_closed = Guard("representations_closed", _closed, _not_closed, "ATR Procedure Regs reg.7")
_none_made = guards.data_is(
    "no_representations_to_comment_on", "representations_received",
    "Representations were made: send copies to the body for its comments first", basis="ATR Procedure Regs reg.8",
    expected=False,
)  # fmt: skip
_NONE_MADE = Field("representations_received", FieldKind.BOOL, "answer to whether any representations were made")
_comments_over = _guard(
    "applicant_has_commented_or_time_is_up",
    lambda ctx: (
        ctx.data.get("applicant_commented") is True
        or (ctx.deadlines.get("comments") is not None and ctx.today > ctx.deadlines["comments"])
    ),
    "The body has at least 20 working days to comment on the representations, and has not yet done so",
    "ATR Procedure Regs reg.8",
)
_offer_period_long_enough = _at_least(
    "offer_period_at_least_6_months", rule="scotland.atr_offer_period", start="decision_notice_on",
    end="offer_period_ends_on", what="the offer period", basis="CE(S)A 2015 s.83(3)",
)  # fmt: skip
_review_in_time = guards.in_time(
    "review_requested_in_time", when="review_requested_on", timer="review_request", what="the request for review",
    basis="CE(S)A 2015 s.86; ATR Review Regs reg.3(2)",
)  # fmt: skip
_review_terms_in_time = guards.in_time(
    "review_requested_in_time", when="review_requested_on", timer="review_request_terms",
    what="the request for review", basis="CE(S)A 2015 s.86; ATR Review Regs reg.3(2)",
)  # fmt: skip
_not_reviewed_before = guards.not_recorded(
    "not_reviewed_before", "review_decided_on", "The request has already been reviewed: the next step is an appeal",
    basis="CE(S)A 2015 s.86, s.88",
)  # fmt: skip
_review_overdue = _window(
    "appeal_for_want_of_a_review_decision_in_time", when="appeal_lodged_on", expiry="review_period_ends_on",
    timer="appeal_no_review_decision", what="an appeal for want of a review decision",
    basis="CE(S)A 2015 s.88(2)(b); ATR Appeals Regs reg.11",
)  # fmt: skip
_decision_overdue = _window(
    "review_for_want_of_a_decision_in_time", when="review_requested_on", expiry="decision_period_ends_on",
    timer="review_request_no_decision", what="a review for want of a decision",
    basis="CE(S)A 2015 s.86(1)(b)(iii), (2); ATR Review Regs reg.3(2)(b)",
)  # fmt: skip
_longer_decision_period = _later_than(
    "longer_decision_period_ends_later", field="decision_due_by", timer="decision", what="decision period",
    basis="CE(S)A 2015 s.82(8); ATR Procedure Regs reg.10",
)  # fmt: skip
_longer_review_period = _later_than(
    "longer_review_period_ends_later", field="review_due_by", timer="review_decision", what="review period",
    basis="CE(S)A 2015 s.86(7); ATR Review Regs reg.9",
)  # fmt: skip
_longer_contract_period = _later_than(
    "longer_contract_period_ends_later", field="contract_due_by", timer="contract", what="contract period",
    basis="CE(S)A 2015 s.83(7)(b)",
)  # fmt: skip
_appeal_in_time = guards.in_time(
    "appeal_in_time", when="appeal_lodged_on", timer="appeal", what="the appeal",
    basis="CE(S)A 2015 s.88; ATR Appeals Regs reg.11",
)  # fmt: skip
_offer_guard = _guard("offer_in_offer_period", _offer_in_time, "The offer was made after the offer period ended",
                      "CE(S)A 2015 s.83(3)-(4)")  # fmt: skip
_lapse_guard = _guard("offer_period_over", _offer_ended, "The offer period has not ended yet", "CE(S)A 2015 s.83")
_no_contract_guard = _window(
    "no_contract_appeal_in_time", when="appeal_lodged_on", expiry="contract_period_ends_on",
    timer="no_contract_appeal", what="a no-contract appeal", basis="CE(S)A 2015 s.83(6); ATR No-Contract Regs reg.3",
)  # fmt: skip

_DECIDED = (
    _date("decided_on", "date of the decision"),
    _date("decision_notice_on", "date the decision notice was given"),
)
_TERMS = (
    _text("terms", "terms and conditions of the transfer (s.83(2))"),
    _date("offer_period_ends_on", "last day for the body to make its offer", allow_future=True),
)
_REVIEW = (
    _date("review_decided_on", "date of the review decision"),
    Field("review_body", FieldKind.CHOICE, "body that decided the review", choices=REVIEW_BODIES),
)
_DECISION_TASKS = ("Publish the decision notice online and tell everyone who made representations (reg.11)",)

_EXTENSION_BASES = (
    ("agreed", "Agreed by the council and the body (s.83(7)(b)(i))"),
    ("directed", "Directed by the Scottish Ministers on the body's application (s.83(7)(b)(ii), (8))"),
)

TRANSITIONS = (
    Transition(
        "ask_for_information", ("draft",), SAME, GROUP_OR_OFFICER, "Ask the council for information about the land",
        "CE(S)A 2015 s.81(3)",
        fields=(_date("info_requested_on", "date the council received the request for information", stamped=True),
                _text("information_sought", "information the body asks for about the land")),
    ),
    Transition(
        "give_information", ("draft",), SAME, OFFICER, "Record the information given about the land",
        "CE(S)A 2015 s.81(3)",
        fields=(_date("info_given_on", "date the information was given"),
                _text("information_given", "information given, or why it could not be")),
        guards=(_information_asked,),
    ),
    Transition(
        "submit", ("draft",), "received", GROUP_OR_OFFICER, "Make the asset transfer request",
        "CE(S)A 2015 s.79; ATR Procedure Regs reg.3",
        fields=(
            _date("request_received_on", "date the council received the request", stamped=True),
            Field("request_type", FieldKind.CHOICE, "kind of request", choices=REQUEST_TYPES),
            _text("land_description", "land the request is about"),
            _text("reasons", "reasons for the request"),
            _text("benefits", "benefits the body expects"),
            _text("price_or_terms", "price, or the rent, duration and terms of the lease, or the rights sought"),
            _text("proposed_use", "proposed use of the land"),
            _text("funding", "how the acquisition and the use will be funded"),
            _text("community_support", "level and nature of community support"),
        ),
        guards=(_is_ctb, _may_own),
        tasks=(("Do not dispose of the land to anyone else while the request is open: such a contract is void "
               "(s.84(2)-(4), (11))"),),
    ),
    Transition(
        "decline_repeat", ("received",), "declined_repeat", OFFICER, "Decline as a repeat request", "CE(S)A 2015 s.93",
        fields=(_date("declined_on", "date the request was declined"), _text("reasons", "reasons")),
        guards=(_repeat,),
    ),
    Transition(
        "request_missing", ("received",), "incomplete", OFFICER, "Tell the body what is missing",
        "ATR Procedure Regs reg.4(1)-(2)",
        fields=(_date("incomplete_notice_on", "date the notice was sent"), _text("missing_items", "what is missing")),
    ),
    Transition(
        "validate", ("received", "incomplete"), "validated", OFFICER, "Record the validation date",
        "ATR Procedure Regs regs 4(4)-(5), 5",
        fields=(_date("validation_date", "validation date (the day the last required item was received)"),
                _date("acknowledged_on", "date the acknowledgement was sent")),
        guards=(_not_before_request, _acknowledged_after),
        tasks=(("The acknowledgement states the validation date, the decision period, review and appeal rights and "
               "any competing request (reg.4(4)-(5))"),),
    ),
    Transition(
        "agree_longer_decision_period", _DECIDING_STATES, SAME, OFFICER, "Record a longer decision period agreed",
        "CE(S)A 2015 s.82(8); ATR Procedure Regs reg.10",
        fields=(_date("longer_period_agreed_on", "date the longer period was agreed with the body"),
                _date("decision_due_by", "last day of the longer period agreed", allow_future=True)),
        guards=(_longer_decision_period,),
    ),
    Transition(
        "publish", ("validated",), "representations", OFFICER, "Give notice and publish the request",
        "ATR Procedure Regs regs 6-7, 9",
        fields=(_date("notice_published_on", "date notice was given or first published"),
                _date("representations_close_on", "last day for representations", allow_future=True)),
        guards=(_representations_long_enough,),
        tasks=("Notify owners, tenants and occupiers, display a notice near the land and publish online (regs 6-7)",
               "Keep the request documents online until it is decided (reg.9)"),
    ),
    Transition(
        "send_representations", ("representations",), "comments", OFFICER,
        "Send the representations to the body for comment", "ATR Procedure Regs reg.8",
        fields=(_date("representations_sent_on", "date copies were sent to the body"),
                _text("representations_summary", "summary of the representations received")),
        guards=(_representations_closed,),
    ),
    Transition(
        "agree", ("representations",), "agreed", OFFICER, "Agree the request", "CE(S)A 2015 s.82(5), s.83; reg.10",
        fields=(*_DECIDED, *_TERMS, _text("reasons", "reasons", required=False), _NONE_MADE),
        guards=(_representations_closed, _none_made, _offer_period_long_enough), decision=True,
        tasks=_DECISION_TASKS,
    ),
    Transition(
        "agree", ("comments",), "agreed", OFFICER, "Agree the request", "CE(S)A 2015 s.82(5), s.83; reg.10",
        fields=(*_DECIDED, *_TERMS, _text("reasons", "reasons", required=False),
                Field("applicant_commented", FieldKind.BOOL, "answer to whether the body has commented",
                      required=False)),
        guards=(_comments_over, _offer_period_long_enough), decision=True, tasks=_DECISION_TASKS,
    ),
    Transition(
        "refuse", ("representations",), "refused", OFFICER, "Refuse the request", "CE(S)A 2015 s.82(5), (7); reg.10",
        fields=(*_DECIDED, _text("reasons", "reasonable grounds for refusing"), _NONE_MADE),
        guards=(_representations_closed, _none_made), decision=True, tasks=_DECISION_TASKS,
    ),
    Transition(
        "refuse", ("comments",), "refused", OFFICER, "Refuse the request", "CE(S)A 2015 s.82(5), (7); reg.10",
        fields=(*_DECIDED, _text("reasons", "reasonable grounds for refusing"),
                Field("applicant_commented", FieldKind.BOOL, "answer to whether the body has commented",
                      required=False)),
        guards=(_comments_over,), decision=True, tasks=_DECISION_TASKS,
    ),
    Transition(
        "request_review", ("refused",), "review", GROUP_OR_OFFICER, "Record a request for review",
        "CE(S)A 2015 s.86; ATR Review Regs reg.3",
        fields=(_date("review_requested_on", "date the council received the request for review", stamped=True),),
        guards=(_review_in_time, _not_reviewed_before),
        tasks=("Acknowledge it and tell interested parties within 10 working days (Review Regs reg.4)",),
    ),
    Transition(
        "request_review", ("agreed",), "review", GROUP_OR_OFFICER,
        "Record a request for review of the terms", "CE(S)A 2015 s.85(2)(a), s.86; ATR Review Regs reg.3",
        fields=(_date("review_requested_on", "date the council received the request for review", stamped=True),),
        guards=(_review_terms_in_time, _not_reviewed_before),
    ),
    Transition(
        "request_review", ("validated", "representations", "comments"), "review", GROUP_OR_OFFICER,
        "Record a request for review: no decision in time", "CE(S)A 2015 s.85(2)(b), s.86",
        fields=(_date("review_requested_on", "date the council received the request for review", stamped=True),),
        guards=(_decision_overdue, _not_reviewed_before),
    ),
    Transition(
        "agree_longer_review_period", ("review",), SAME, OFFICER, "Record a longer review period agreed",
        "CE(S)A 2015 s.86(7); ATR Review Regs reg.9",
        fields=(_date("review_longer_period_agreed_on", "date the longer period was agreed with the body"),
                _date("review_due_by", "last day of the longer period agreed", allow_future=True)),
        guards=(_longer_review_period,),
    ),
    Transition(
        "review_agree", ("review",), "agreed", OFFICER, "Agree the request on review",
        "CE(S)A 2015 s.86; LG(S)A 1973 s.56(6B); ATR Review Regs reg.9",
        fields=(*_REVIEW, _date("decision_notice_on", "date the review decision notice was given"), *_TERMS),
        guards=(_offer_period_long_enough,),
    ),
    Transition(
        "review_refuse", ("review",), "review_refused", OFFICER, "Refuse the request on review",
        "CE(S)A 2015 s.86; LG(S)A 1973 s.56(6B); ATR Review Regs reg.9",
        fields=(*_REVIEW, _text("reasons", "reasons")),
    ),
    Transition(
        "appeal", ("review_refused",), "appeal", GROUP_OR_OFFICER, "Record an appeal to the Scottish Ministers",
        "CE(S)A 2015 s.88; ATR Appeals Regs reg.11",
        fields=(_date("appeal_lodged_on", "date the appeal was made", stamped=True),), guards=(_appeal_in_time,),
    ),
    Transition(
        "appeal", ("review",), "appeal", GROUP_OR_OFFICER, "Record an appeal: no review decision in time",
        "CE(S)A 2015 s.88; ATR Appeals Regs reg.11",
        fields=(_date("appeal_lodged_on", "date the appeal was made", stamped=True),), guards=(_review_overdue,),
    ),
    Transition(
        "ministers_allow", ("appeal", "no_contract_appeal"), "agreed", OFFICER, "Record that the Ministers allowed it",
        "CE(S)A 2015 s.85(5)-(10), s.90",
        fields=(_date("ministers_decided_on", "date of the Ministers' decision"),
                _date("decision_notice_on", "date the further decision notice was given"), *_TERMS),
        guards=(_offer_period_long_enough,),
    ),
    Transition(
        "ministers_dismiss", ("appeal", "no_contract_appeal"), "closed_refused", OFFICER,
        "Record that the Ministers dismissed it", "CE(S)A 2015 s.85(5), s.90",
        fields=(_date("ministers_decided_on", "date of the Ministers' decision"), _text("reasons", "reasons")),
    ),
    Transition(
        "no_review_sought", ("refused",), "closed_refused", SYSTEM, "Close: no review was asked for",
        "ATR Review Regs reg.3(2)",
    ),
    Transition(
        "no_appeal", ("review_refused",), "closed_refused", SYSTEM, "Close: no appeal was made",
        "ATR Appeals Regs reg.11",
    ),
    Transition(
        "submit_offer", ("agreed",), "contract", GROUP_OR_OFFICER, "Record the body's offer", "CE(S)A 2015 s.83(4)",
        fields=(_date("offer_submitted_on", "date the offer was made", stamped=True),), guards=(_offer_guard,),
    ),
    Transition(
        "extend_contract_period", ("contract",), SAME, OFFICER, "Record a longer contract period",
        "CE(S)A 2015 s.83(7)(b), (8)",
        fields=(_date("contract_extended_on", "date the longer period was agreed or directed"),
                _date("contract_due_by", "last day of the longer contract period", allow_future=True),
                Field("contract_extension_basis", FieldKind.CHOICE, "way the longer period was set",
                      choices=_EXTENSION_BASES)),
        guards=(_longer_contract_period,),
    ),
    Transition(
        "contract_period_ends", ("contract",), "contract_expired", SYSTEM,
        "End the contract period: no contract was concluded", "CE(S)A 2015 s.83(6)-(7)",
    ),
    Transition(
        "conclude", ("contract", "contract_expired"), "transferred", OFFICER, "Record the concluded contract",
        "CE(S)A 2015 s.84(5)",
        fields=(_date("contract_concluded_on", "date the contract was concluded"),), guards=(_no_other_request,),
    ),
    Transition(
        "no_contract_appeal", ("contract", "contract_expired"), "no_contract_appeal", GROUP_OR_OFFICER,
        "Record a no-contract appeal", "CE(S)A 2015 s.83(5)-(6); ATR No-Contract Regs reg.3",
        fields=(_date("appeal_lodged_on", "date the appeal was made", stamped=True),), guards=(_no_contract_guard,),
    ),
    Transition(
        "no_contract_appeal_made", ("contract_expired",), "lapsed", SYSTEM,
        "Lapse: no contract, and no appeal within 10 working days", "CE(S)A 2015 s.83(6); ATR No-Contract Regs reg.3",
    ),
    Transition(
        "offer_period_ends", ("agreed",), "lapsed", SYSTEM, "Lapse: no offer in the offer period",
        "CE(S)A 2015 s.83(2)(b), (4)",
    ),
    Transition(
        "lapse", ("agreed",), "lapsed", OFFICER, "Record that no offer was made in time", "CE(S)A 2015 s.83",
        fields=(_date("lapsed_on", "date recorded"),), guards=(_lapse_guard,),
    ),
    Transition(
        "withdraw", ("draft", *BARRED), "withdrawn", GROUP_OR_OFFICER, "Withdraw the request", "CE(S)A 2015 s.84(4)",
        fields=(_text("withdrawal_reasons", "reason for withdrawing", required=False),),
    ),
)  # fmt: skip

_DECIDING = frozenset(_DECIDING_STATES)
_LONGER = "agree_longer_decision_period"
TIMERS = (
    Timer("decision", "scotland.atr_decision", "validation_date", _DECIDING, "Decision due", escalate=True,
          reminders=(28, 14, 7), remind=(Party.OFFICER,), public=True, armed_by=frozenset({"validate", _LONGER}),
          variant=TimerVariant("decision_due_by", "scotland.atr_decision_agreed", "decision_due_by")),
    Timer("review_request_no_decision", "scotland.atr_review_request_no_decision", "decision_period_ends_on",
          _DECIDING, "Last day to ask for a review if no decision is given", armed_by=frozenset({"validate", _LONGER}),
          reminders=(7,), remind=(Party.APPLICANT,)),
    Timer("representations", "scotland.atr_representations", "notice_published_on", frozenset({"representations"}),
          "Earliest close of representations", public=True),
    Timer("comments", "scotland.atr_ctb_comments", "representations_sent_on", frozenset({"comments"}),
          "Body's comments on representations", reminders=(7,), remind=(Party.APPLICANT,)),
    Timer("review_request", "scotland.atr_review_request", "decision_notice_on", frozenset({"refused"}),
          "Last day to ask for a review", on_expiry="no_review_sought", reminders=(7,), remind=(Party.APPLICANT,)),
    Timer("review_request_terms", "scotland.atr_review_request", "decision_notice_on", frozenset({"agreed"}),
          "Last day to ask for a review of the terms", armed_by=frozenset({"agree"})),
    Timer("offer", "scotland.atr_offer_period_set", "offer_period_ends_on", frozenset({"agreed"}),
          "Last day for the body's offer", on_expiry="offer_period_ends", reminders=(28, 7),
          remind=(Party.APPLICANT,)),
    Timer("review_decision", "scotland.atr_review_decision", "review_requested_on", frozenset({"review"}),
          "Review decision due", escalate=True, reminders=(28, 7), remind=(Party.OFFICER,),
          armed_by=frozenset({"request_review", "agree_longer_review_period"}),
          variant=TimerVariant("review_due_by", "scotland.atr_review_decision_agreed", "review_due_by")),
    Timer("appeal_no_review_decision", "scotland.atr_appeal_no_review_decision", "review_period_ends_on",
          frozenset({"review"}), "Last day to appeal if no review decision is given",
          armed_by=frozenset({"request_review", "agree_longer_review_period"}), reminders=(7,),
          remind=(Party.APPLICANT,)),
    Timer("appeal", "scotland.atr_appeal", "review_decided_on", frozenset({"review_refused"}),
          "Last day to appeal to the Scottish Ministers", on_expiry="no_appeal", reminders=(7,),
          remind=(Party.APPLICANT,)),
    Timer("contract", "scotland.atr_contract", "offer_submitted_on", frozenset({"contract"}),
          "Contract to be concluded", on_expiry="contract_period_ends", reminders=(28, 7),
          remind=(Party.OFFICER, Party.APPLICANT), armed_by=frozenset({"submit_offer", "extend_contract_period"}),
          variant=TimerVariant("contract_due_by", "scotland.atr_contract_extended", "contract_due_by")),
    Timer("no_contract_appeal", "scotland.atr_no_contract_appeal", "contract_period_ends_on",
          frozenset({"contract", "contract_expired"}), "Last day for a no-contract appeal",
          armed_by=frozenset({"submit_offer", "extend_contract_period"}), on_expiry="no_contract_appeal_made",
          reminders=(7,), remind=(Party.APPLICANT,)),
)  # fmt: skip

NOTICES = (
    Notice("submit", "atr_received", (Party.APPLICANT,), "ATR Procedure Regs reg.4",
           "Your asset transfer request has been received"),
    Notice("request_missing", "atr_incomplete", (Party.APPLICANT,), "ATR Procedure Regs reg.4(1)-(2)",
           "Your asset transfer request is missing information"),
    Notice("validate", "atr_validated", (Party.APPLICANT,), "ATR Procedure Regs reg.4(4)-(5)",
           "Your asset transfer request is complete: the validation date"),
    Notice("publish", "atr_published", (Party.OWNER, Party.OCCUPIER, Party.LEASEHOLDERS, Party.SUBSCRIBERS),
           "ATR Procedure Regs regs 6-7", "Asset transfer request: representations invited"),
    Notice("send_representations", "atr_representations", (Party.APPLICANT,), "ATR Procedure Regs reg.8",
           "Representations on your asset transfer request"),
    Notice("agree", "atr_agreed", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.83; reg.11",
           "Asset transfer request agreed"),
    Notice("refuse", "atr_refused", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.82(7); reg.11",
           "Asset transfer request refused"),
    Notice("review_agree", "atr_agreed", (Party.APPLICANT, Party.SUBSCRIBERS), "ATR Review Regs reg.9",
           "Asset transfer request agreed on review"),
    Notice("review_refuse", "atr_review_refused", (Party.APPLICANT, Party.SUBSCRIBERS), "ATR Review Regs reg.9",
           "Asset transfer request refused on review"),
    Notice("contract_period_ends", "atr_contract_period_ended", (Party.APPLICANT,), "CE(S)A 2015 s.83(6)",
           "No contract was concluded in the contract period"),
    Notice("offer_period_ends", "atr_lapsed", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.83",
           "Asset transfer request lapsed: no offer was made"),
    Notice("no_contract_appeal_made", "atr_lapsed", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.83(6)",
           "Asset transfer request lapsed: no contract and no appeal"),
)  # fmt: skip

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2017, 1, 23),
    title="Asset transfer request (Scotland)",
    initial="draft",
    states=STATES,
    transitions=TRANSITIONS,
    timers=TIMERS,
    notices=NOTICES,
    reference_prefix="ATR",
    fact_dates=("decision_period_ends_on", "review_period_ends_on", "contract_period_ends_on"),
)
