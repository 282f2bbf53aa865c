"""Asset transfer requests in Scotland: the statutory process, for a local authority as the relevant authority.

STATUTE.md §4.4, transitions S1-S14 and S17 (CE(S)A 2015 Part 5, ss.79-93;
the ATR Procedure, Review, Appeals and No-Contract Regulations 2016). Every
working-day period uses Scotland's asset transfer calendar, in which Good
Friday and Easter Monday are working days. Pure module: data only; the guards are in
workflows.scotland_atr_guards.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows import scotland_atr_guards as checks
from workflows.definition import (
    SAME,
    Definition,
    Field,
    FieldKind,
    Notice,
    State,
    Timer,
    TimerVariant,
    Transition,
)
from workflows.disposal_bar import BAR_EXCEPTIONS
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


BAR_EXCEPTION = "bar_exception"
BAR_EXCEPTION_ON = "bar_exception_on"
# Where another body's request is open, the disposal may still be one the bar excepts (s.84(12)-(13)).
BAR_EXCEPTION_FIELDS = (
    Field(BAR_EXCEPTION, FieldKind.CHOICE, "exception to the disposal bar that applies",
          choices=tuple((item.id, item.text) for item in BAR_EXCEPTIONS), required=False),
    Field(BAR_EXCEPTION_ON, FieldKind.DATE, "date the land was advertised, negotiations began, the transfer was "
          "initiated or the Ministers directed", required=False),
)  # fmt: skip


def _date(name: str, label: str, *, allow_future: bool = False, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, required=required, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True) -> Field:
    return Field(name, FieldKind.TEXT, label, required=required)


_NONE_MADE = Field("representations_received", FieldKind.BOOL, "answer to whether any representations were made")

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

ATR_RECEIVED = Notice(
    "atr_received", (Party.APPLICANT,), "ATR Procedure Regs reg.4", "Your asset transfer request has been received"
)
ATR_INCOMPLETE = Notice(
    "atr_incomplete",
    (Party.APPLICANT,),
    "ATR Procedure Regs reg.4(1)-(2)",
    "Your asset transfer request is missing information",
)
ATR_VALIDATED = Notice(
    "atr_validated",
    (Party.APPLICANT,),
    "ATR Procedure Regs reg.4(4)-(5)",
    "Your asset transfer request is complete: the validation date",
)
ATR_PUBLISHED = Notice(
    "atr_published",
    (Party.OWNER, Party.OCCUPIER, Party.LEASEHOLDERS, Party.SUBSCRIBERS),
    "ATR Procedure Regs regs 6-7",
    "Asset transfer request: representations invited",
)
ATR_REPRESENTATIONS = Notice(
    "atr_representations",
    (Party.APPLICANT,),
    "ATR Procedure Regs reg.8",
    "Representations on your asset transfer request",
)
ATR_AGREED = Notice(
    "atr_agreed", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.83; reg.11", "Asset transfer request agreed"
)
ATR_REFUSED = Notice(
    "atr_refused", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.82(7); reg.11", "Asset transfer request refused"
)
ATR_AGREED_ON_REVIEW_AGREE = Notice(
    "atr_agreed",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "ATR Review Regs reg.9",
    "Asset transfer request agreed on review",
)
ATR_REVIEW_REFUSED = Notice(
    "atr_review_refused",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "ATR Review Regs reg.9",
    "Asset transfer request refused on review",
)
ATR_CONTRACT_PERIOD_ENDED = Notice(
    "atr_contract_period_ended",
    (Party.APPLICANT,),
    "CE(S)A 2015 s.83(6)",
    "No contract was concluded in the contract period",
)
ATR_LAPSED = Notice(
    "atr_lapsed",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "CE(S)A 2015 s.83",
    "Asset transfer request lapsed: no offer was made",
)
ATR_LAPSED_ON_NO_CONTRACT_APPEAL_MADE = Notice(
    "atr_lapsed",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "CE(S)A 2015 s.83(6)",
    "Asset transfer request lapsed: no contract and no appeal",
)


TRANSITIONS = (
    Transition(
        trigger="ask_for_information",
        source="draft",
        dest=SAME,
        who=GROUP_OR_OFFICER,
        label="Ask the council for information about the land",
        basis="CE(S)A 2015 s.81(3)",
        fields=(
            _date("info_requested_on", "date the council received the request for information", stamped=True),
            _text("information_sought", "information the body asks for about the land"),
        ),
    ),
    Transition(
        trigger="give_information",
        source="draft",
        dest=SAME,
        who=OFFICER,
        label="Record the information given about the land",
        basis="CE(S)A 2015 s.81(3)",
        fields=(
            _date("info_given_on", "date the information was given"),
            _text("information_given", "information given, or why it could not be"),
        ),
        guards=(checks.information_asked,),
    ),
    Transition(
        trigger="submit",
        source="draft",
        dest="received",
        who=GROUP_OR_OFFICER,
        label="Make the asset transfer request",
        basis="CE(S)A 2015 s.79; ATR Procedure Regs reg.3",
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
        guards=(checks.is_ctb, checks.may_own),
        tasks=(
            (
                "Do not dispose of the land to anyone else while the request is open: such a contract is void "
                "(s.84(2)-(4), (11))"
            ),
        ),
        facts=("transfer_body_eligibility",),
        notices=(ATR_RECEIVED,),
    ),
    Transition(
        trigger="decline_repeat",
        source="received",
        dest="declined_repeat",
        who=OFFICER,
        label="Decline as a repeat request",
        basis="CE(S)A 2015 s.93",
        fields=(_date("declined_on", "date the request was declined"), _text("reasons", "reasons")),
        guards=(checks.repeat,),
        facts=("repeat_request",),
    ),
    Transition(
        trigger="request_missing",
        source="received",
        dest="incomplete",
        who=OFFICER,
        label="Tell the body what is missing",
        basis="ATR Procedure Regs reg.4(1)-(2)",
        fields=(_date("incomplete_notice_on", "date the notice was sent"), _text("missing_items", "what is missing")),
        notices=(ATR_INCOMPLETE,),
    ),
    Transition(
        trigger="validate",
        source=("received", "incomplete"),
        dest="validated",
        who=OFFICER,
        label="Record the validation date",
        basis="ATR Procedure Regs regs 4(4)-(5), 5",
        fields=(
            _date("validation_date", "validation date (the day the last required item was received)"),
            _date("acknowledged_on", "date the acknowledgement was sent"),
        ),
        guards=(checks.not_before_request, checks.acknowledged_after),
        tasks=(
            (
                "The acknowledgement states the validation date, the decision period, review and appeal rights and "
                "any competing request (reg.4(4)-(5))"
            ),
        ),
        facts=("decision_period_end",),
        notices=(ATR_VALIDATED,),
    ),
    Transition(
        trigger="agree_longer_decision_period",
        source=_DECIDING_STATES,
        dest=SAME,
        who=OFFICER,
        label="Record a longer decision period agreed",
        basis="CE(S)A 2015 s.82(8); ATR Procedure Regs reg.10",
        fields=(
            _date("longer_period_agreed_on", "date the longer period was agreed with the body"),
            _date("decision_due_by", "last day of the longer period agreed", allow_future=True),
        ),
        guards=(checks.longer_decision_period,),
        facts=("decision_period_agreed",),
    ),
    Transition(
        trigger="publish",
        source="validated",
        dest="representations",
        who=OFFICER,
        label="Give notice and publish the request",
        basis="ATR Procedure Regs regs 6-7, 9",
        fields=(
            _date("notice_published_on", "date notice was given or first published"),
            _date("representations_close_on", "last day for representations", allow_future=True),
        ),
        guards=(checks.representations_long_enough,),
        tasks=(
            "Notify owners, tenants and occupiers, display a notice near the land and publish online (regs 6-7)",
            "Keep the request documents online until it is decided (reg.9)",
        ),
        notices=(ATR_PUBLISHED,),
    ),
    Transition(
        trigger="send_representations",
        source="representations",
        dest="comments",
        who=OFFICER,
        label="Send the representations to the body for comment",
        basis="ATR Procedure Regs reg.8",
        fields=(
            _date("representations_sent_on", "date copies were sent to the body"),
            _text("representations_summary", "summary of the representations received"),
        ),
        guards=(checks.representations_closed,),
        notices=(ATR_REPRESENTATIONS,),
    ),
    Transition(
        trigger="agree",
        source="representations",
        dest="agreed",
        who=OFFICER,
        label="Agree the request",
        basis="CE(S)A 2015 s.82(5), s.83; reg.10",
        fields=(*_DECIDED, *_TERMS, _text("reasons", "reasons", required=False), _NONE_MADE),
        guards=(checks.representations_closed, checks.none_made, checks.offer_period_long_enough),
        decision=True,
        tasks=_DECISION_TASKS,
        notices=(ATR_AGREED,),
    ),
    Transition(
        trigger="agree",
        source="comments",
        dest="agreed",
        who=OFFICER,
        label="Agree the request",
        basis="CE(S)A 2015 s.82(5), s.83; reg.10",
        fields=(
            *_DECIDED,
            *_TERMS,
            _text("reasons", "reasons", required=False),
            Field("applicant_commented", FieldKind.BOOL, "answer to whether the body has commented", required=False),
        ),
        guards=(checks.comments_over, checks.offer_period_long_enough),
        decision=True,
        tasks=_DECISION_TASKS,
        notices=(ATR_AGREED,),
    ),
    Transition(
        trigger="refuse",
        source="representations",
        dest="refused",
        who=OFFICER,
        label="Refuse the request",
        basis="CE(S)A 2015 s.82(5), (7); reg.10",
        fields=(*_DECIDED, _text("reasons", "reasonable grounds for refusing"), _NONE_MADE),
        guards=(checks.representations_closed, checks.none_made),
        decision=True,
        tasks=_DECISION_TASKS,
        notices=(ATR_REFUSED,),
    ),
    Transition(
        trigger="refuse",
        source="comments",
        dest="refused",
        who=OFFICER,
        label="Refuse the request",
        basis="CE(S)A 2015 s.82(5), (7); reg.10",
        fields=(
            *_DECIDED,
            _text("reasons", "reasonable grounds for refusing"),
            Field("applicant_commented", FieldKind.BOOL, "answer to whether the body has commented", required=False),
        ),
        guards=(checks.comments_over,),
        decision=True,
        tasks=_DECISION_TASKS,
        notices=(ATR_REFUSED,),
    ),
    Transition(
        trigger="request_review",
        source="refused",
        dest="review",
        who=GROUP_OR_OFFICER,
        label="Record a request for review",
        basis="CE(S)A 2015 s.86; ATR Review Regs reg.3",
        fields=(_date("review_requested_on", "date the council received the request for review", stamped=True),),
        guards=(checks.review_in_time, checks.not_reviewed_before),
        tasks=("Acknowledge it and tell interested parties within 10 working days (Review Regs reg.4)",),
        facts=("review_period_end",),
    ),
    Transition(
        trigger="request_review",
        source="agreed",
        dest="review",
        who=GROUP_OR_OFFICER,
        label="Record a request for review of the terms",
        basis="CE(S)A 2015 s.85(2)(a), s.86; ATR Review Regs reg.3",
        fields=(_date("review_requested_on", "date the council received the request for review", stamped=True),),
        guards=(checks.review_terms_in_time, checks.not_reviewed_before),
        facts=("review_period_end",),
    ),
    Transition(
        trigger="request_review",
        source=("validated", "representations", "comments"),
        dest="review",
        who=GROUP_OR_OFFICER,
        label="Record a request for review: no decision in time",
        basis="CE(S)A 2015 s.85(2)(b), s.86",
        fields=(_date("review_requested_on", "date the council received the request for review", stamped=True),),
        guards=(checks.decision_overdue, checks.not_reviewed_before),
        facts=("review_period_end",),
    ),
    Transition(
        trigger="agree_longer_review_period",
        source="review",
        dest=SAME,
        who=OFFICER,
        label="Record a longer review period agreed",
        basis="CE(S)A 2015 s.86(7); ATR Review Regs reg.9",
        fields=(
            _date("review_longer_period_agreed_on", "date the longer period was agreed with the body"),
            _date("review_due_by", "last day of the longer period agreed", allow_future=True),
        ),
        guards=(checks.longer_review_period,),
        facts=("review_period_agreed",),
    ),
    Transition(
        trigger="review_agree",
        source="review",
        dest="agreed",
        who=OFFICER,
        label="Agree the request on review",
        basis="CE(S)A 2015 s.86; LG(S)A 1973 s.56(6B); ATR Review Regs reg.9",
        fields=(*_REVIEW, _date("decision_notice_on", "date the review decision notice was given"), *_TERMS),
        guards=(checks.offer_period_long_enough,),
        notices=(ATR_AGREED_ON_REVIEW_AGREE,),
    ),
    Transition(
        trigger="review_refuse",
        source="review",
        dest="review_refused",
        who=OFFICER,
        label="Refuse the request on review",
        basis="CE(S)A 2015 s.86; LG(S)A 1973 s.56(6B); ATR Review Regs reg.9",
        fields=(*_REVIEW, _text("reasons", "reasons")),
        notices=(ATR_REVIEW_REFUSED,),
    ),
    Transition(
        trigger="appeal",
        source="review_refused",
        dest="appeal",
        who=GROUP_OR_OFFICER,
        label="Record an appeal to the Scottish Ministers",
        basis="CE(S)A 2015 s.88; ATR Appeals Regs reg.11",
        fields=(_date("appeal_lodged_on", "date the appeal was made", stamped=True),),
        guards=(checks.appeal_in_time,),
    ),
    Transition(
        trigger="appeal",
        source="review",
        dest="appeal",
        who=GROUP_OR_OFFICER,
        label="Record an appeal: no review decision in time",
        basis="CE(S)A 2015 s.88; ATR Appeals Regs reg.11",
        fields=(_date("appeal_lodged_on", "date the appeal was made", stamped=True),),
        guards=(checks.review_overdue,),
    ),
    Transition(
        trigger="ministers_allow",
        source=("appeal", "no_contract_appeal"),
        dest="agreed",
        who=OFFICER,
        label="Record that the Ministers allowed it",
        basis="CE(S)A 2015 s.85(5)-(10), s.90",
        fields=(
            _date("ministers_decided_on", "date of the Ministers' decision"),
            _date("decision_notice_on", "date the further decision notice was given"),
            *_TERMS,
        ),
        guards=(checks.offer_period_long_enough,),
    ),
    Transition(
        trigger="ministers_dismiss",
        source=("appeal", "no_contract_appeal"),
        dest="closed_refused",
        who=OFFICER,
        label="Record that the Ministers dismissed it",
        basis="CE(S)A 2015 s.85(5), s.90",
        fields=(_date("ministers_decided_on", "date of the Ministers' decision"), _text("reasons", "reasons")),
    ),
    Transition(
        trigger="no_review_sought",
        source="refused",
        dest="closed_refused",
        who=SYSTEM,
        label="Close: no review was asked for",
        basis="ATR Review Regs reg.3(2)",
    ),
    Transition(
        trigger="no_appeal",
        source="review_refused",
        dest="closed_refused",
        who=SYSTEM,
        label="Close: no appeal was made",
        basis="ATR Appeals Regs reg.11",
    ),
    Transition(
        trigger="submit_offer",
        source="agreed",
        dest="contract",
        who=GROUP_OR_OFFICER,
        label="Record the body's offer",
        basis="CE(S)A 2015 s.83(4)",
        fields=(_date("offer_submitted_on", "date the offer was made", stamped=True),),
        guards=(checks.offer_guard,),
        facts=("contract_period_end",),
    ),
    Transition(
        trigger="extend_contract_period",
        source="contract",
        dest=SAME,
        who=OFFICER,
        label="Record a longer contract period",
        basis="CE(S)A 2015 s.83(7)(b), (8)",
        fields=(
            _date("contract_extended_on", "date the longer period was agreed or directed"),
            _date("contract_due_by", "last day of the longer contract period", allow_future=True),
            Field(
                "contract_extension_basis", FieldKind.CHOICE, "way the longer period was set", choices=_EXTENSION_BASES
            ),
        ),
        guards=(checks.longer_contract_period,),
        facts=("contract_period_agreed",),
    ),
    Transition(
        trigger="contract_period_ends",
        source="contract",
        dest="contract_expired",
        who=SYSTEM,
        label="End the contract period: no contract was concluded",
        basis="CE(S)A 2015 s.83(6)-(7)",
        notices=(ATR_CONTRACT_PERIOD_ENDED,),
    ),
    Transition(
        trigger="conclude",
        source=("contract", "contract_expired"),
        dest="transferred",
        who=OFFICER,
        label="Record the concluded contract",
        basis="CE(S)A 2015 s.84(5)",
        fields=(_date("contract_concluded_on", "date the contract was concluded"), *BAR_EXCEPTION_FIELDS),
        guards=(checks.no_other_request,),
        facts=("other_requests_for_land",),
    ),
    Transition(
        trigger="no_contract_appeal",
        source=("contract", "contract_expired"),
        dest="no_contract_appeal",
        who=GROUP_OR_OFFICER,
        label="Record a no-contract appeal",
        basis="CE(S)A 2015 s.83(5)-(6); ATR No-Contract Regs reg.3",
        fields=(_date("appeal_lodged_on", "date the appeal was made", stamped=True),),
        guards=(checks.no_contract_guard,),
    ),
    Transition(
        trigger="no_contract_appeal_made",
        source="contract_expired",
        dest="lapsed",
        who=SYSTEM,
        label="Lapse: no contract, and no appeal within 10 working days",
        basis="CE(S)A 2015 s.83(6); ATR No-Contract Regs reg.3",
        notices=(ATR_LAPSED_ON_NO_CONTRACT_APPEAL_MADE,),
    ),
    Transition(
        trigger="offer_period_ends",
        source="agreed",
        dest="lapsed",
        who=SYSTEM,
        label="Lapse: no offer in the offer period",
        basis="CE(S)A 2015 s.83(2)(b), (4)",
        notices=(ATR_LAPSED,),
    ),
    Transition(
        trigger="lapse",
        source="agreed",
        dest="lapsed",
        who=OFFICER,
        label="Record that no offer was made in time",
        basis="CE(S)A 2015 s.83",
        fields=(_date("lapsed_on", "date recorded"),),
        guards=(checks.lapse_guard,),
    ),
    Transition(
        trigger="withdraw",
        source=("draft", *BARRED),
        dest="withdrawn",
        who=GROUP_OR_OFFICER,
        label="Withdraw the request",
        basis="CE(S)A 2015 s.84(4)",
        fields=(_text("withdrawal_reasons", "reason for withdrawing", required=False),),
    ),
)

# Which recorded dates each supplied date must not precede (validation, acknowledgement and the periods have
# their own guards).
DATE_ORDER = {
    "info_given_on": ("info_requested_on",),
    "declined_on": ("request_received_on",),
    "incomplete_notice_on": ("request_received_on",),
    "longer_period_agreed_on": ("request_received_on",),
    "notice_published_on": ("request_received_on",),
    "representations_sent_on": ("notice_published_on",),
    "decided_on": ("request_received_on", "validation_date"),
    "decision_notice_on": ("decided_on", "review_decided_on", "ministers_decided_on"),
    "review_requested_on": ("decision_notice_on",),
    "review_longer_period_agreed_on": ("review_requested_on",),
    "review_decided_on": ("review_requested_on",),
    "ministers_decided_on": ("appeal_lodged_on",),
    "offer_submitted_on": ("decision_notice_on",),
    "contract_extended_on": ("offer_submitted_on",),
    "contract_concluded_on": ("offer_submitted_on",),
    "lapsed_on": ("request_received_on",),
}

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2017, 1, 23),
    title="Asset transfer request (Scotland)",
    initial="draft",
    states=STATES,
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.SCOTLAND_ATR, after=DATE_ORDER),
    timers=TIMERS,
    reference_prefix="ATR",
    fact_dates=("decision_period_ends_on", "review_period_ends_on", "contract_period_ends_on"),
)
