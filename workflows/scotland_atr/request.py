"""An asset transfer request up to the council's decision: rows S1-S7 and S17 of STATUTE.md §4.4.

The first part of the process's table (workflows.scotland_atr.definition): information about the land, the request
and its validation, notice and representations, the body's comments, and the decision (CE(S)A 2015 ss.79-82, 93;
ATR Procedure Regs regs 3-11).
"""

from __future__ import annotations

from workflows.definition import SAME, Transition
from workflows.roles import GROUP_OR_OFFICER, OFFICER
from workflows.scotland_atr import fields, guards, notices
from workflows.scotland_atr.states import DECIDING

DISPOSAL_BARRED = (  # S4
    "Do not dispose of the land to anyone else while the request is open: such a contract is void (s.84(2)-(4), (11))"
)
ACKNOWLEDGE = (
    "The acknowledgement states the validation date, the decision period, review and appeal rights and any competing "
    "request (reg.4(4)-(5))"
)
DECISION_TASKS = ("Publish the decision notice online and tell everyone who made representations (reg.11)",)

TRANSITIONS = (
    Transition(
        trigger="ask_for_information",
        source="draft",
        dest=SAME,
        who=GROUP_OR_OFFICER,
        statute="S1",
        label="Ask the council for information about the land",
        basis="CE(S)A 2015 s.81(3)",
        fields=fields.INFORMATION_REQUEST,
    ),
    Transition(
        trigger="give_information",
        source="draft",
        dest=SAME,
        who=OFFICER,
        statute="S1",
        label="Record the information given about the land",
        basis="CE(S)A 2015 s.81(3)",
        fields=fields.INFORMATION_GIVEN,
        guards=(guards.information_asked,),
    ),
    Transition(
        trigger="submit",
        source="draft",
        dest="received",
        who=GROUP_OR_OFFICER,
        statute="S2",
        label="Make the asset transfer request",
        basis="CE(S)A 2015 s.79; ATR Procedure Regs reg.3",
        fields=fields.REQUEST,
        guards=(guards.is_ctb, guards.may_own),
        tasks=(DISPOSAL_BARRED,),
        facts=("transfer_body_eligibility",),
        notices=(notices.RECEIVED,),
    ),
    Transition(
        trigger="decline_repeat",
        source="received",
        dest="declined_repeat",
        who=OFFICER,
        statute="S17",
        label="Decline as a repeat request",
        basis="CE(S)A 2015 s.93",
        fields=fields.DECLINED_AS_REPEAT,
        guards=(guards.repeat,),
        facts=("repeat_request",),
    ),
    Transition(
        trigger="request_missing",
        source="received",
        dest="incomplete",
        who=OFFICER,
        statute="S2",
        label="Tell the body what is missing",
        basis="ATR Procedure Regs reg.4(1)-(2)",
        fields=fields.MISSING_ITEMS,
        notices=(notices.INCOMPLETE,),
    ),
    Transition(
        trigger="validate",
        source=("received", "incomplete"),
        dest="validated",
        who=OFFICER,
        statute="S3",
        label="Record the validation date",
        basis="ATR Procedure Regs regs 4(4)-(5), 5",
        fields=fields.VALIDATION,
        guards=(guards.not_before_request, guards.acknowledged_after),
        tasks=(ACKNOWLEDGE,),
        facts=("decision_period_end",),
        notices=(notices.VALIDATED,),
    ),
    Transition(
        trigger="agree_longer_decision_period",
        source=DECIDING,
        dest=SAME,
        who=OFFICER,
        statute="S7",
        label="Record a longer decision period agreed",
        basis="CE(S)A 2015 s.82(8); ATR Procedure Regs reg.10",
        fields=fields.LONGER_DECISION_PERIOD,
        guards=(guards.longer_decision_period,),
        facts=("decision_period_agreed",),
    ),
    Transition(
        trigger="publish",
        source="validated",
        dest="representations",
        who=OFFICER,
        statute="S5",
        label="Give notice and publish the request",
        basis="ATR Procedure Regs regs 6-7, 9",
        fields=fields.PUBLICATION,
        guards=(guards.representations_long_enough,),
        tasks=(
            "Notify owners, tenants and occupiers, display a notice near the land and publish online (regs 6-7)",
            "Keep the request documents online until it is decided (reg.9)",
        ),
        notices=(notices.PUBLISHED,),
    ),
    Transition(
        trigger="send_representations",
        source="representations",
        dest="comments",
        who=OFFICER,
        statute="S6",
        label="Send the representations to the body for comment",
        basis="ATR Procedure Regs reg.8",
        fields=fields.REPRESENTATIONS_SENT,
        guards=(guards.representations_closed,),
        notices=(notices.REPRESENTATIONS_SENT,),
    ),
    Transition(
        trigger="agree",
        source="representations",
        dest="agreed",
        who=OFFICER,
        statute="S7",
        label="Agree the request",
        basis="CE(S)A 2015 s.82(5), s.83; reg.10",
        fields=fields.AGREED_WITHOUT_COMMENTS,
        guards=(guards.representations_closed, guards.none_made, guards.offer_period_long_enough),
        decision=True,
        tasks=DECISION_TASKS,
        notices=(notices.AGREED,),
    ),
    Transition(
        trigger="agree",
        source="comments",
        dest="agreed",
        who=OFFICER,
        statute="S7",
        label="Agree the request",
        basis="CE(S)A 2015 s.82(5), s.83; reg.10",
        fields=fields.AGREED_AFTER_COMMENTS,
        guards=(guards.comments_over, guards.offer_period_long_enough),
        decision=True,
        tasks=DECISION_TASKS,
        notices=(notices.AGREED,),
    ),
    Transition(
        trigger="refuse",
        source="representations",
        dest="refused",
        who=OFFICER,
        statute="S7",
        label="Refuse the request",
        basis="CE(S)A 2015 s.82(5), (7); reg.10",
        fields=fields.REFUSED_WITHOUT_COMMENTS,
        guards=(guards.representations_closed, guards.none_made),
        decision=True,
        tasks=DECISION_TASKS,
        notices=(notices.REFUSED,),
    ),
    Transition(
        trigger="refuse",
        source="comments",
        dest="refused",
        who=OFFICER,
        statute="S7",
        label="Refuse the request",
        basis="CE(S)A 2015 s.82(5), (7); reg.10",
        fields=fields.REFUSED_AFTER_COMMENTS,
        guards=(guards.comments_over,),
        decision=True,
        tasks=DECISION_TASKS,
        notices=(notices.REFUSED,),
    ),
)
