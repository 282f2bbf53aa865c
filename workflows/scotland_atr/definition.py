"""Asset transfer requests in Scotland as a table: who may move a request on, from where to where, on what authority.

Rows follow STATUTE.md §4.4 (S1-S17, as they apply to a local authority), in three parts: the request up to the decision
(`request`), review and appeal (`review`), and the offer and contract (`contract`). Every working-day period uses
Scotland's asset transfer calendar, in which Good Friday and Easter Monday are working days.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows.definition import Definition, Timer, TimerVariant
from workflows.roles import Party
from workflows.scotland_atr import contract, request, review
from workflows.scotland_atr.states import DECIDING, STATES

NAME = "scotland_atr"

TRANSITIONS = (*request.TRANSITIONS, *review.TRANSITIONS, *contract.TRANSITIONS)

_DECIDING = frozenset(DECIDING)
_LONGER = "agree_longer_decision_period"
TIMERS = (
    Timer(
        "decision",
        "scotland.atr_decision",
        "validation_date",
        _DECIDING,
        "Decision due",
        escalate=True,
        reminders=(28, 14, 7),
        remind=(Party.OFFICER,),
        public=True,
        armed_by=frozenset({"validate", _LONGER}),
        variant=TimerVariant("decision_due_by", "scotland.atr_decision_agreed", "decision_due_by"),
    ),
    Timer(
        "review_request_no_decision",
        "scotland.atr_review_request_no_decision",
        "decision_period_ends_on",
        _DECIDING,
        "Last day to ask for a review if no decision is given",
        armed_by=frozenset({"validate", _LONGER}),
        reminders=(7,),
        remind=(Party.APPLICANT,),
    ),
    Timer(
        "representations",
        "scotland.atr_representations",
        "notice_published_on",
        frozenset({"representations"}),
        "Earliest close of representations",
        public=True,
    ),
    Timer(
        "comments",
        "scotland.atr_ctb_comments",
        "representations_sent_on",
        frozenset({"comments"}),
        "Body's comments on representations",
        reminders=(7,),
        remind=(Party.APPLICANT,),
    ),
    Timer(
        "review_request",
        "scotland.atr_review_request",
        "decision_notice_on",
        frozenset({"refused"}),
        "Last day to ask for a review",
        on_expiry="no_review_sought",
        reminders=(7,),
        remind=(Party.APPLICANT,),
    ),
    Timer(
        "review_request_terms",
        "scotland.atr_review_request",
        "decision_notice_on",
        frozenset({"agreed"}),
        "Last day to ask for a review of the terms",
        armed_by=frozenset({"agree"}),
    ),
    Timer(
        "offer",
        "scotland.atr_offer_period_set",
        "offer_period_ends_on",
        frozenset({"agreed"}),
        "Last day for the body's offer",
        on_expiry="offer_period_ends",
        reminders=(28, 7),
        remind=(Party.APPLICANT,),
    ),
    Timer(
        "review_decision",
        "scotland.atr_review_decision",
        "review_requested_on",
        frozenset({"review"}),
        "Review decision due",
        escalate=True,
        reminders=(28, 7),
        remind=(Party.OFFICER,),
        armed_by=frozenset({"request_review", "agree_longer_review_period"}),
        variant=TimerVariant("review_due_by", "scotland.atr_review_decision_agreed", "review_due_by"),
    ),
    Timer(
        "appeal_no_review_decision",
        "scotland.atr_appeal_no_review_decision",
        "review_period_ends_on",
        frozenset({"review"}),
        "Last day to appeal if no review decision is given",
        armed_by=frozenset({"request_review", "agree_longer_review_period"}),
        reminders=(7,),
        remind=(Party.APPLICANT,),
    ),
    Timer(
        "appeal",
        "scotland.atr_appeal",
        "review_decided_on",
        frozenset({"review_refused"}),
        "Last day to appeal to the Scottish Ministers",
        on_expiry="no_appeal",
        reminders=(7,),
        remind=(Party.APPLICANT,),
    ),
    Timer(
        "contract",
        "scotland.atr_contract",
        "offer_submitted_on",
        frozenset({"contract"}),
        "Contract to be concluded",
        on_expiry="contract_period_ends",
        reminders=(28, 7),
        remind=(Party.OFFICER, Party.APPLICANT),
        armed_by=frozenset({"submit_offer", "extend_contract_period"}),
        variant=TimerVariant("contract_due_by", "scotland.atr_contract_extended", "contract_due_by"),
    ),
    Timer(
        "no_contract_appeal",
        "scotland.atr_no_contract_appeal",
        "contract_period_ends_on",
        frozenset({"contract", "contract_expired"}),
        "Last day for a no-contract appeal",
        armed_by=frozenset({"submit_offer", "extend_contract_period"}),
        on_expiry="no_contract_appeal_made",
        reminders=(7,),
        remind=(Party.APPLICANT,),
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
