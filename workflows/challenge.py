"""The community right to challenge: an expression of interest in running a council service.

STATUTE.md §5, transitions RC1-RC9 (LA 2011 ss.81-85; SI 2012/1313 reg.3,
Sch.1; SI 2012/1647 reg.4, Schedule). The windows, the maximum time to a
decision and the gap before procurement are the council's published choices
(s.82(2), s.83(4), s.84(3)), so those periods come from its policy.
Pure module: data and guards only.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds, guards
from workflows.definition import (
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
from workflows.roles import GROUP_OR_OFFICER, OFFICER, Party, Role

NAME = "challenge"

UNDECIDED = ("eoi_received", "decision_period_notified", "modification_proposed")

# SI 2012/1647 Schedule: the only grounds on which an expression of interest may be rejected (s.83(11)).
REJECTION_GROUNDS = (
    ("non_compliant", "It does not comply with s.81 or the regulations on what it must contain (para.1)"),
    ("inadequate_information", "Its information is inadequate or inaccurate in a material particular (para.2)"),
    ("unsuitable_body", "The body, a consortium member or a sub-contractor is not suitable (para.3)"),
    ("service_stopping", "The council has decided, in writing, to stop providing the service (para.4)"),
    ("integrated_nhs", "Users also receive an integrated NHS service critical to their well-being (para.5)"),
    ("already_procuring", "The service is already the subject of a procurement exercise (para.6)"),
    ("negotiations", "The council is negotiating, at least partly in writing, with a third party (para.7)"),
    ("employee_mutual", "The council has published an intention to consider an employee mutual (para.8)"),
    ("frivolous", "It is frivolous or vexatious (para.9)"),
    ("unlawful", "Accepting it would probably breach an enactment, rule of law or statutory duty (para.10)"),
)

STATES = (
    State("draft", "Draft expression of interest", description="Being written by the group; not yet received."),
    State("eoi_received", "Expression of interest received",
          description="The council must say in writing when it expects to decide (s.84(6)-(7))."),
    State("decision_period_notified", "Decision expected", description="The group has been told when to expect it."),
    State("modification_proposed", "Modification proposed",
          description="The council proposed a change it could accept, with the group's agreement (s.84(1)-(2))."),
    State("accepted", "Accepted: procurement to start", public=True,
          description="The council must start a procurement exercise within its published periods (s.83(2), (4))."),
    State("procurement", "Procurement exercise running", public=True,
          description="The group is one bidder among others (s.83(2)-(3))."),
    State("contract_awarded", "Contract awarded", terminal=True, public=True),
    State("no_contract", "Procurement ended without a contract", terminal=True, public=True),
    State("rejected", "Rejected", terminal=True, public=True,
          description="Rejected on a ground in SI 2012/1647, with reasons (s.84(8))."),
    State("withdrawn", "Withdrawn", terminal=True, description="The council may still procure (s.84(10)-(11))."),
)  # fmt: skip


def _date(name: str, label: str, *, allow_future: bool = False, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True, hint: str = "") -> Field:
    return Field(name, FieldKind.TEXT, label, required=required, hint=hint)


_relevant_body = guards.fact_is(
    "relevant_body",
    "relevant_body",
    "Only a relevant body may express an interest",
    basis="LA 2011 s.81(6)",
)
_service_open = guards.fact_is(
    "service_open_to_challenge",
    "service_known",
    "The council has not listed that service as open to challenge",
    basis="LA 2011 s.81(5); SI 2012/1313 reg.4, Sch.2",
)
_outside_window = guards.fact_is(
    "received_when_the_council_accepts_them",
    "window_ok",
    "The expression of interest was received outside the council's published window",
    basis="LA 2011 s.82(4)",
)


def _window_or_choice(ctx: GuardContext) -> bool:
    """s.82(4) lets the council refuse to consider a late one, not forbids it: an officer may record that it will."""
    chosen = ctx.role is Role.OFFICER and ctx.data.get("consider_outside_window") is True
    return chosen or _outside_window.check(ctx)


_in_window = Guard(_outside_window.name, _window_or_choice, _outside_window.refusal, _outside_window.basis)


def _engagement_given(ctx: GuardContext) -> bool:
    return not ctx.facts.get("body_is_employee_group") or bool(ctx.data.get("employee_engagement"))


_employees_engaged = Guard(
    "employee_engagement_described",
    _engagement_given,
    "An employee group must say how it will engage the other employees affected",
    "SI 2012/1313 Sch.1 para.5",
)
_expected_within_maximum = guards.in_time(
    "expected_within_published_maximum",
    when="expected_decision_by",
    timer="decision_due",
    what="the date the decision is expected",
    basis="LA 2011 s.84(3), (6)",
)
_not_before_decision = guards.not_before(
    "notified_not_before_decision", when="decision_notified_on", start="decided_on", what="the notification",
    basis="LA 2011 s.84(8)",
)  # fmt: skip
_body_agreed = guards.data_is(
    "body_agreed_the_modification",
    "body_agreed_modification",
    "The council may modify an expression of interest only with the group's agreement",
    basis="LA 2011 s.84(2)",
)
_procurement_not_too_early = guards.not_before_deadline(
    "procurement_not_before_published_minimum",
    when="procurement_started_on",
    timer="procurement_earliest",
    what="the procurement exercise",
    basis="LA 2011 s.83(4), (7)",
)
_procurement_in_time = guards.in_time(
    "procurement_by_published_maximum",
    when="procurement_started_on",
    timer="procurement_latest",
    what="the start of the procurement exercise",
    basis="LA 2011 s.83(4), (7)",
)

_DECISION = (
    _date("decided_on", "date of the decision"),
    _date("decision_notified_on", "date the group was told in writing"),
)
_PUBLISH = "Publish the decision notice on the council's website (s.84(9))"


TIMERS = (
    Timer(
        "decision_period_notice", "challenge.decision_period_notice", "eoi_received_on", frozenset({"eoi_received"}),
        "Tell the group when the decision is expected", escalate=True, reminders=(7, 1), remind=(Party.OFFICER,),
        variant=TimerVariant("received_in_window", "challenge.decision_period_notice_window", "window_closes_on"),
    ),
    Timer(
        "decision_due", "policy.decision", "eoi_received_on", frozenset(UNDECIDED), "Decision due (published maximum)",
        escalate=True, reminders=(14, 7, 1), remind=(Party.OFFICER,),
    ),
    Timer(
        "procurement_earliest", "policy.procurement_earliest", "decided_on", frozenset({"accepted"}),
        "Earliest start of the procurement exercise",
    ),
    Timer(
        "procurement_latest", "policy.procurement_latest", "decided_on", frozenset({"accepted"}),
        "Latest start of the procurement exercise", escalate=True, reminders=(28, 7), remind=(Party.OFFICER,),
    ),
)  # fmt: skip

CHALLENGE_RECEIVED = Notice(
    "challenge_received", (Party.APPLICANT,), "LA 2011 s.81", "Your expression of interest has been received"
)
CHALLENGE_DECISION_PERIOD = Notice(
    "challenge_decision_period",
    (Party.APPLICANT,),
    "LA 2011 s.84(6)-(7)",
    "When the council expects to decide on your expression of interest",
)
CHALLENGE_MODIFICATION = Notice(
    "challenge_modification",
    (Party.APPLICANT,),
    "LA 2011 s.84(1)-(2)",
    "The council proposes a change to your expression of interest",
)
CHALLENGE_ACCEPTED = Notice(
    "challenge_accepted", (Party.APPLICANT,), "LA 2011 s.84(8)", "Your expression of interest has been accepted"
)
CHALLENGE_ACCEPTED_ON_ACCEPT_MODIFIED = Notice(
    "challenge_accepted",
    (Party.APPLICANT,),
    "LA 2011 s.84(8)",
    "Your expression of interest has been accepted as modified",
)
CHALLENGE_REJECTED = Notice(
    "challenge_rejected", (Party.APPLICANT,), "LA 2011 s.84(8)", "Your expression of interest has been rejected"
)
CHALLENGE_PROCUREMENT = Notice(
    "challenge_procurement", (Party.APPLICANT,), "LA 2011 s.83(2)", "The procurement exercise has started"
)


TRANSITIONS = (
    Transition(
        trigger="submit",
        source="draft",
        dest="eoi_received",
        who=GROUP_OR_OFFICER,
        label="Send the expression of interest",
        basis="LA 2011 s.81(1)-(2); SI 2012/1313 reg.3, Sch.1",
        fields=(
            _date("eoi_received_on", "date the council received the expression of interest", stamped=True),
            _text("service", "service the group wants to run"),
            _text("geographical_area", "area the service would cover (Sch.1 para.3)"),
            _text(
                "financial_resources",
                "financial resources of the group, each consortium member and sub-contractor (Sch.1 para.1)",
            ),
            _text(
                "capability_evidence",
                "evidence the group will be able to provide the service by the time of any procurement (Sch.1 para.2)",
            ),
            _text(
                "outcomes_wellbeing",
                "how it would promote or improve social, economic or environmental "
                "well-being in the area (Sch.1 para.4(a))",
            ),
            _text("outcomes_user_needs", "how it would meet the needs of the service's users (Sch.1 para.4(b))"),
            _text(
                "employee_engagement",
                "how other employees affected will be engaged (Sch.1 para.5)",
                required=False,
                hint="Only for a group of the council's employees",
            ),
            Field(
                "consider_outside_window",
                FieldKind.BOOL,
                "answer to whether the council has decided to consider it although it arrived outside the window",
                required=False,
                hint="LA 2011 s.82(4)",
                staff_only=True,
            ),
        ),
        guards=(_relevant_body, _service_open, _in_window, _employees_engaged),
        facts=("challenge_eligibility",),
        notices=(CHALLENGE_RECEIVED,),
    ),
    Transition(
        trigger="notify_decision_period",
        source="eoi_received",
        dest="decision_period_notified",
        who=OFFICER,
        label="Tell the group when the decision is expected",
        basis="LA 2011 s.84(6)-(7)",
        fields=(
            _date("decision_period_notified_on", "date the group was told"),
            _date("expected_decision_by", "date by which the council expects to decide", allow_future=True),
        ),
        guards=(_expected_within_maximum,),
        notices=(CHALLENGE_DECISION_PERIOD,),
    ),
    Transition(
        trigger="propose_modification",
        source=("eoi_received", "decision_period_notified"),
        dest="modification_proposed",
        who=OFFICER,
        label="Propose a modification",
        basis="LA 2011 s.84(1)-(2)",
        fields=(
            _date("modification_proposed_on", "date the modification was proposed"),
            _text(
                "proposed_modification",
                "modification proposed, and why the expression of interest could not otherwise be accepted",
            ),
        ),
        notices=(CHALLENGE_MODIFICATION,),
    ),
    Transition(
        trigger="accept",
        source=UNDECIDED,
        dest="accepted",
        who=OFFICER,
        label="Accept the expression of interest",
        basis="LA 2011 s.83(1)-(2), (8), s.84(8)",
        fields=(*_DECISION, _text("reasons", "reasons", required=False)),
        guards=(_not_before_decision,),
        decision=True,
        tasks=(_PUBLISH, "Start a procurement exercise between the published minimum and maximum periods (s.83(4))"),
        notices=(CHALLENGE_ACCEPTED,),
    ),
    Transition(
        trigger="accept_modified",
        source="modification_proposed",
        dest="accepted",
        who=OFFICER,
        label="Accept the expression of interest as modified",
        basis="LA 2011 s.84(1)-(2), (8)",
        fields=(
            *_DECISION,
            Field("body_agreed_modification", FieldKind.BOOL, "answer to whether the group agreed the modification"),
            _text("modification", "modification agreed"),
            _text("reasons", "reasons for the modification"),
        ),
        guards=(_body_agreed, _not_before_decision),
        decision=True,
        tasks=(_PUBLISH, "Start a procurement exercise between the published minimum and maximum periods (s.83(4))"),
        notices=(CHALLENGE_ACCEPTED_ON_ACCEPT_MODIFIED,),
    ),
    Transition(
        trigger="reject",
        source=UNDECIDED,
        dest="rejected",
        who=OFFICER,
        label="Reject the expression of interest",
        basis="LA 2011 s.83(11), s.84(8); SI 2012/1647 reg.4, Schedule",
        fields=(
            *_DECISION,
            Field("ground", FieldKind.CHOICE, "ground for rejecting it", choices=REJECTION_GROUNDS),
            _text("reasons", "reasons for the decision"),
        ),
        guards=(_not_before_decision,),
        decision=True,
        tasks=(_PUBLISH,),
        notices=(CHALLENGE_REJECTED,),
    ),
    Transition(
        trigger="start_procurement",
        source="accepted",
        dest="procurement",
        who=OFFICER,
        label="Record the start of the procurement exercise",
        basis="LA 2011 s.83(2)-(4), (7), (9)-(10)",
        fields=(
            _date("procurement_started_on", "date the procurement exercise started"),
            _text("procurement_route", "procurement route, suited to the value and nature of the contract"),
        ),
        guards=(_procurement_not_too_early, _procurement_in_time),
        notices=(CHALLENGE_PROCUREMENT,),
    ),
    Transition(
        trigger="award",
        source="procurement",
        dest="contract_awarded",
        who=OFFICER,
        label="Record the contract award",
        basis="LA 2011 s.83(2)",
        fields=(
            _date("contract_awarded_on", "date the contract was awarded"),
            Field("awarded_to", FieldKind.TEXT, "name of the provider awarded the contract", max_length=300),
            Field("challenger_won", FieldKind.BOOL, "answer to whether the group that challenged won it"),
        ),
    ),
    Transition(
        trigger="no_award",
        source="procurement",
        dest="no_contract",
        who=OFFICER,
        label="Record that no contract was awarded",
        basis="LA 2011 s.83(2)",
        fields=(_date("procurement_ended_on", "date the procurement exercise ended"), _text("reasons", "reasons")),
    ),
    Transition(
        trigger="withdraw",
        source=("draft", *UNDECIDED, "accepted"),
        dest="withdrawn",
        who=GROUP_OR_OFFICER,
        label="Withdraw the expression of interest",
        basis="LA 2011 s.84(10)-(11)",
        fields=(_text("withdrawal_reasons", "reason for withdrawing", required=False),),
        tasks=("The council may still run a procurement exercise if it thinks fit (s.84(11))",),
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
