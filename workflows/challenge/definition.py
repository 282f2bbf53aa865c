"""The right to challenge as a table: who may move an expression of interest on, from where to where, on what
authority.

Rows follow STATUTE.md §5.3 (RC1-RC9). The windows, the maximum time to a decision and the gap before
procurement are the council's published choices (s.82(2), s.83(4), s.84(3)): those timers run on its policy.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows.challenge import fields, guards, notices
from workflows.definition import Definition, State, Timer, TimerVariant, Transition
from workflows.roles import GROUP_OR_OFFICER, OFFICER, Party

NAME = "challenge"
UNDECIDED = ("eoi_received", "decision_period_notified", "modification_proposed")
PUBLISH = "Publish the decision notice on the council's website (s.84(9))"
PROCURE = "Start a procurement exercise between the published minimum and maximum periods (s.83(4))"

TRANSITIONS = (
    Transition(
        trigger="submit",
        source="draft",
        dest="eoi_received",
        who=GROUP_OR_OFFICER,
        statute="RC1",
        label="Send the expression of interest",
        basis="LA 2011 s.81(1)-(2); SI 2012/1313 reg.3, Sch.1",
        fields=fields.EXPRESSION_OF_INTEREST,
        guards=(guards.relevant_body, guards.service_open, guards.in_window, guards.employees_engaged),
        facts=("challenge_eligibility",),
        notices=(notices.CHALLENGE_RECEIVED,),
    ),
    Transition(
        trigger="notify_decision_period",
        source="eoi_received",
        dest="decision_period_notified",
        who=OFFICER,
        statute="RC2",
        label="Tell the group when the decision is expected",
        basis="LA 2011 s.84(6)-(7)",
        fields=fields.DECISION_PERIOD,
        guards=(guards.expected_within_maximum,),
        notices=(notices.CHALLENGE_DECISION_PERIOD,),
    ),
    Transition(
        trigger="propose_modification",
        source=("eoi_received", "decision_period_notified"),
        dest="modification_proposed",
        who=OFFICER,
        statute="RC4",
        label="Propose a modification",
        basis="LA 2011 s.84(1)-(2)",
        fields=fields.MODIFICATION,
        notices=(notices.CHALLENGE_MODIFICATION,),
    ),
    Transition(
        trigger="accept",
        source=UNDECIDED,
        dest="accepted",
        who=OFFICER,
        statute="RC5",
        label="Accept the expression of interest",
        basis="LA 2011 s.83(1)-(2), (8), s.84(8)",
        fields=fields.ACCEPTANCE,
        guards=(guards.notified_not_before_decision,),
        decision=True,
        tasks=(PUBLISH, PROCURE),
        notices=(notices.CHALLENGE_ACCEPTED,),
    ),
    Transition(
        trigger="accept_modified",
        source="modification_proposed",
        dest="accepted",
        who=OFFICER,
        statute="RC5",
        label="Accept the expression of interest as modified",
        basis="LA 2011 s.84(1)-(2), (8)",
        fields=fields.ACCEPTANCE_AS_MODIFIED,
        guards=(guards.body_agreed, guards.notified_not_before_decision),
        decision=True,
        tasks=(PUBLISH, PROCURE),
        notices=(notices.CHALLENGE_ACCEPTED_ON_ACCEPT_MODIFIED,),
    ),
    Transition(
        trigger="reject",
        source=UNDECIDED,
        dest="rejected",
        who=OFFICER,
        statute="RC5",
        label="Reject the expression of interest",
        basis="LA 2011 s.83(11), s.84(8); SI 2012/1647 reg.4, Schedule",
        fields=fields.REJECTION,
        guards=(guards.notified_not_before_decision,),
        decision=True,
        tasks=(PUBLISH,),
        notices=(notices.CHALLENGE_REJECTED,),
    ),
    Transition(
        trigger="start_procurement",
        source="accepted",
        dest="procurement",
        who=OFFICER,
        statute="RC7",
        label="Record the start of the procurement exercise",
        basis="LA 2011 s.83(2)-(4), (7), (9)-(10)",
        fields=fields.PROCUREMENT,
        guards=(guards.procurement_not_too_early, guards.procurement_in_time),
        notices=(notices.CHALLENGE_PROCUREMENT,),
    ),
    Transition(
        trigger="award",
        source="procurement",
        dest="contract_awarded",
        who=OFFICER,
        statute="RC8",
        label="Record the contract award",
        basis="LA 2011 s.83(2)",
        fields=fields.AWARD,
    ),
    Transition(
        trigger="no_award",
        source="procurement",
        dest="no_contract",
        who=OFFICER,
        statute="RC8",
        label="Record that no contract was awarded",
        basis="LA 2011 s.83(2)",
        fields=fields.NO_AWARD,
    ),
    Transition(
        trigger="withdraw",
        source=("draft", *UNDECIDED, "accepted"),
        dest="withdrawn",
        who=GROUP_OR_OFFICER,
        statute="RC9",
        label="Withdraw the expression of interest",
        basis="LA 2011 s.84(10)-(11)",
        fields=fields.WITHDRAWAL,
        tasks=("The council may still run a procurement exercise if it thinks fit (s.84(11))",),
    ),
)

STATES = (
    State("draft", "Draft expression of interest", description="Being written by the group; not yet received."),
    State(
        "eoi_received",
        "Expression of interest received",
        description="The council must say in writing when it expects to decide (s.84(6)-(7)).",
    ),
    State("decision_period_notified", "Decision expected", description="The group has been told when to expect it."),
    State(
        "modification_proposed",
        "Modification proposed",
        description="The council proposed a change it could accept, with the group's agreement (s.84(1)-(2)).",
    ),
    State(
        "accepted",
        "Accepted: procurement to start",
        public=True,
        description="The council must start a procurement exercise within its published periods (s.83(2), (4)).",
    ),
    State(
        "procurement",
        "Procurement exercise running",
        public=True,
        description="The group is one bidder among others (s.83(2)-(3)).",
    ),
    State("contract_awarded", "Contract awarded", terminal=True, public=True),
    State("no_contract", "Procurement ended without a contract", terminal=True, public=True),
    State(
        "rejected",
        "Rejected",
        terminal=True,
        public=True,
        description="Rejected on a ground in SI 2012/1647, with reasons (s.84(8)).",
    ),
    State("withdrawn", "Withdrawn", terminal=True, description="The council may still procure (s.84(10)-(11))."),
)

TIMERS = (
    Timer(
        "decision_period_notice",
        "challenge.decision_period_notice",
        "eoi_received_on",
        frozenset({"eoi_received"}),
        "Tell the group when the decision is expected",
        escalate=True,
        reminders=(7, 1),
        remind=(Party.OFFICER,),
        variant=TimerVariant("received_in_window", "challenge.decision_period_notice_window", "window_closes_on"),
    ),
    Timer(
        "decision_due",
        "policy.decision",
        "eoi_received_on",
        frozenset(UNDECIDED),
        "Decision due (published maximum)",
        escalate=True,
        reminders=(14, 7, 1),
        remind=(Party.OFFICER,),
    ),
    Timer(
        "procurement_earliest",
        "policy.procurement_earliest",
        "decided_on",
        frozenset({"accepted"}),
        "Earliest start of the procurement exercise",
    ),
    Timer(
        "procurement_latest",
        "policy.procurement_latest",
        "decided_on",
        frozenset({"accepted"}),
        "Latest start of the procurement exercise",
        escalate=True,
        reminders=(28, 7),
        remind=(Party.OFFICER,),
    ),
)

# Which recorded dates each supplied date must not precede (notification and procurement have their own guards).
DATE_ORDER = {
    "decision_period_notified_on": ("eoi_received_on",),
    "expected_decision_by": ("eoi_received_on",),
    "modification_proposed_on": ("eoi_received_on",),
    "decided_on": ("eoi_received_on",),
    "contract_awarded_on": ("procurement_started_on",),
    "procurement_ended_on": ("procurement_started_on",),
}

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 6, 27),
    title="Community right to challenge",
    initial="draft",
    states=STATES,
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.ENGLAND_CHALLENGE, after=DATE_ORDER),
    timers=TIMERS,
    reference_prefix="RTC",
    policy_periods=("decision", "procurement_earliest", "procurement_latest"),
    fact_dates=("window_closes_on",),
)
