"""Compensation as a table: who may move a claim on, from where to where, on what authority.

Rows follow STATUTE.md §3.6 (C1-C5). There is no statutory deadline for the council's decision on a claim
(reg.14); when the time for a review or an appeal runs out the case waits, not closes.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows.compensation import fields, guards, notices
from workflows.definition import Definition, State, Timer, Transition
from workflows.roles import OFFICER, OWNER_OR_OFFICER, REVIEWER, SYSTEM, Party

NAME = "compensation"
CLAIMANT_OR_OFFICER = OWNER_OR_OFFICER

TRANSITIONS = (
    Transition(
        trigger="submit",
        source="draft",
        dest="claim_received",
        who=CLAIMANT_OR_OFFICER,
        statute="C1",
        label="Submit the claim",
        basis="ACV Regs reg.14(5)",
        fields=fields.CLAIM,
        guards=(
            guards.land_listed,
            guards.claimant_owner,
            guards.not_excluded,
            guards.loss_while_listed,
            guards.claim_in_time,
        ),
        notices=(notices.CLAIM_ACKNOWLEDGED,),
    ),
    Transition(
        trigger="decide",
        source="claim_received",
        dest="decided",
        who=OFFICER,
        statute="C2",
        label="Decide the claim",
        basis="ACV Regs reg.14(1), (6)",
        fields=fields.DECISION,
        decision=True,
        notices=(notices.CLAIM_DECIDED,),
    ),
    Transition(
        trigger="request_review",
        source=("decided", "review_time_passed"),
        dest="review_requested",
        who=CLAIMANT_OR_OFFICER,
        statute="C3",
        label="Record a request for review",
        basis="ACV Regs reg.16; Sch.2 para.2",
        fields=fields.REVIEW_REQUEST,
        guards=(guards.review_in_time,),
        notices=(notices.CLAIM_REVIEW_PROCEDURE,),
    ),
    Transition(
        trigger="decide_review",
        source="review_requested",
        dest="review_decided",
        who=REVIEWER,
        statute="C4",
        label="Decide the review",
        basis="ACV Regs reg.16(2)-(3); Sch.2 paras 3-9",
        fields=fields.REVIEW_DECISION,
        guards=(guards.reviewer_independent,),
        notices=(notices.CLAIM_REVIEW_DECIDED,),
    ),
    Transition(
        trigger="appeal",
        source=("review_decided", "appeal_time_passed"),
        dest="appeal_pending",
        who=CLAIMANT_OR_OFFICER,
        statute="C5",
        label="Record an appeal to the Tribunal",
        basis="ACV Regs reg.17; GRC Rules r.5(3)(a), r.12, r.22",
        fields=fields.APPEAL,
        guards=(guards.appeal_in_time,),
    ),
    Transition(
        trigger="record_appeal_outcome",
        source="appeal_pending",
        dest="closed",
        who=OFFICER,
        statute="§3.6",
        label="Record the Tribunal's decision",
        basis="ACV Regs reg.17",
        fields=fields.APPEAL_OUTCOME,
    ),
    Transition(
        trigger="close",
        source="decided",
        dest="review_time_passed",
        who=SYSTEM,
        statute="§3.6",
        label="Mark the time for asking for a review as passed",
        basis="ACV Regs Sch.2 para.2",
    ),
    Transition(
        trigger="close",
        source="review_decided",
        dest="appeal_time_passed",
        who=SYSTEM,
        statute="§3.6",
        label="Mark the time for appealing to the Tribunal as passed",
        basis="GRC Rules r.22(1)(b)",
    ),
    Transition(
        trigger="withdraw",
        source=("draft", "claim_received", "review_requested"),
        dest="withdrawn",
        who=CLAIMANT_OR_OFFICER,
        statute="§3.6",
        label="Withdraw the claim",
        basis="ACV Regs reg.14",
    ),
)

STATES = (
    State("draft", "Draft claim"),
    State(
        "claim_received", "Claim received", description="Waiting for the council's decision (no statutory deadline)."
    ),
    State("decided", "Claim decided", description="The claimant may ask for a review within 8 weeks."),
    State("review_requested", "Review requested"),
    State(
        "review_time_passed",
        "Claim decided: no review asked for in time",
        description="A late request for review can still be recorded if the council allows it in writing.",
        dormant=True,
    ),
    State("review_decided", "Review decided", description="The claimant may appeal to the Tribunal within 28 days."),
    State(
        "appeal_time_passed",
        "Review decided: no appeal in time",
        description="An appeal can still be recorded if the Tribunal extends the time for it.",
        dormant=True,
    ),
    State("appeal_pending", "Appeal pending"),
    State("closed", "Closed", terminal=True),
    State("withdrawn", "Withdrawn", terminal=True),
)

TIMERS = (
    Timer(
        "review_request_window",
        "compensation.review_request",
        "reasons_given_on",
        frozenset({"decided"}),
        "Claimant may ask for a review",
        on_expiry="close",
    ),
    Timer(
        "review_decision_due",
        "compensation.review_decision",
        "review_request_received_on",
        frozenset({"review_requested"}),
        "Complete the review",
        escalate=True,
        reminders=(14, 7, 1),
        remind=(Party.REVIEWER, Party.OFFICER),
    ),
    Timer(
        "tribunal_appeal_window",
        "compensation.tribunal_appeal",
        "review_decision_sent_on",
        frozenset({"review_decided"}),
        "Claimant may appeal to the Tribunal",
        on_expiry="close",
    ),
)

# Which recorded dates each supplied date must not precede.
DATE_ORDER = {
    "decided_on": ("claim_received_on",),
    "reasons_given_on": ("decided_on",),
    "review_request_received_on": ("decided_on",),
    "review_decided_on": ("review_request_received_on",),
    "review_decision_sent_on": ("review_decided_on",),
    "appeal_lodged_on": ("review_decision_sent_on",),
    "tribunal_decided_on": ("appeal_lodged_on",),
}

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 9, 21),
    title="Compensation claim",
    initial="draft",
    states=STATES,
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.ENGLAND_ACV, after=DATE_ORDER),
    timers=TIMERS,
    reference_prefix="CMP",
)
