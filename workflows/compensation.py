"""Compensation for owners of listed land: claim, decision, review and appeal.

STATUTE.md §3.6, transitions C1-C5 (ACV Regs regs 14-17, Sch.2). There is no
statutory deadline for the council's decision on a claim (reg.14). When the
time for a review or an appeal runs out the case waits, not closes: the
council may still allow a late review request in writing (Sch.2 para.2), and
the Tribunal may extend the time for an appeal (GRC Rules r.5(3)(a)).
Pure module: data and guards only.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds, guards
from workflows.acv_listing import APPEAL_LODGED_AT
from workflows.definition import Definition, Field, FieldKind, Guard, GuardContext, Notice, State, Timer, Transition
from workflows.errors import RuleNotInForce
from workflows.periods import RULES, compute, long_date
from workflows.roles import OFFICER, Party, Role

NAME = "compensation"

CLAIMANT_OR_OFFICER = frozenset({Role.OWNER, Role.OFFICER})

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


def _date(name: str, label: str, *, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, stamped=stamped)


def _claim_deadline(ctx: GuardContext) -> date | None:
    loss_ended = ctx.data.get("loss_ended_on")
    return compute("compensation.claim", loss_ended).due if isinstance(loss_ended, date) else None


def _claim_in_time(ctx: GuardContext) -> bool:
    try:
        due = _claim_deadline(ctx)
    except RuleNotInForce:  # a loss before the regime: the date's own commencement guard refuses it, in one line
        return True
    received = ctx.data.get("claim_received_on")
    return due is not None and isinstance(received, date) and received <= due


def _claim_late(ctx: GuardContext) -> str:
    due = _claim_deadline(ctx)
    when = long_date(due) if due else "13 weeks after the loss ended"
    return f"A claim must be made before the end of 13 weeks after the loss finished being incurred: by {when}"


_in_time = Guard("claim_in_time", _claim_in_time, _claim_late, "ACV Regs reg.14(5)(b)")
# reg.14(1)-(2): an owner, or former owner, of land that is or was listed, for loss while owner and while listed.
_land_listed = guards.fact_is(
    "land_is_or_was_listed",
    "land_was_listed",
    "Compensation can only be claimed for land that is or was on the list of assets of community value",
    basis="ACV Regs reg.14(1)",
)
_claimant_owner = guards.fact_is(
    "claimant_is_or_was_the_owner",
    "claimant_is_owner",
    "Only the owner of the land, or a former owner, can claim compensation",
    basis="ACV Regs reg.14(1)-(2)",
)


def _loss_while_listed(ctx: GuardContext) -> bool:
    loss_ended, listed_from = ctx.data.get("loss_ended_on"), ctx.facts.get("listed_from")
    return not (isinstance(loss_ended, date) and isinstance(listed_from, date)) or loss_ended >= listed_from


def _loss_before_listing(ctx: GuardContext) -> str:
    listed_from = ctx.facts.get("listed_from")
    when = long_date(listed_from) if isinstance(listed_from, date) else "the land was listed"
    return f"The loss must have been incurred while the land was listed, and the land was first listed on {when}"


_while_listed = Guard("loss_while_listed", _loss_while_listed, _loss_before_listing, "ACV Regs reg.14(2)")
_not_excluded = guards.fact_is(
    "claimant_may_claim",
    "claimant_excluded",
    "Public bodies, including councils selling their own land, cannot claim compensation",
    basis="ACV Regs reg.15",
    expected=False,
)
_review_in_time = guards.in_time(
    "review_request_in_time",
    when="review_request_received_on",
    timer="review_request_window",
    what="the review request",
    basis="ACV Regs Sch.2 para.2",
    waiver="late_request_allowed_in_writing",
)
_appeal_in_time = guards.in_time(
    "appeal_in_time",
    when="appeal_lodged_on",
    timer="tribunal_appeal_window",
    what="the appeal",
    basis="GRC Rules r.22(1)(b), r.12(1)",
    waiver="tribunal_extended_time",
    at="appeal_lodged_at",
    cutoff=RULES["compensation.tribunal_appeal"].cutoff,
)
_independent = guards.took_no_part(basis="ACV Regs reg.16; Sch.2 para.4")

_AMOUNT = Field("amount_awarded", FieldKind.MONEY, "amount awarded (0 if nothing)")
_REASONS = Field("reasons", FieldKind.TEXT, "written reasons")


TIMERS = (
    Timer(
        "review_request_window", "compensation.review_request", "reasons_given_on", frozenset({"decided"}),
        "Claimant may ask for a review", on_expiry="close",
    ),
    Timer(
        "review_decision_due", "compensation.review_decision", "review_request_received_on",
        frozenset({"review_requested"}), "Complete the review", escalate=True, reminders=(14, 7, 1),
        remind=(Party.REVIEWER, Party.OFFICER),
    ),
    Timer(
        "tribunal_appeal_window", "compensation.tribunal_appeal", "review_decision_sent_on",
        frozenset({"review_decided"}), "Claimant may appeal to the Tribunal", on_expiry="close",
    ),
)  # fmt: skip

CLAIM_ACKNOWLEDGED = Notice("claim_acknowledged", (Party.CLAIMANT, Party.OFFICER), "Good practice", "Claim received")
CLAIM_DECIDED = Notice("claim_decided", (Party.CLAIMANT,), "ACV Regs reg.14(6)", "Compensation decision and reasons")
CLAIM_REVIEW_PROCEDURE = Notice(
    "claim_review_procedure",
    (Party.CLAIMANT, Party.REVIEWER),
    "ACV Regs Sch.2 para.6",
    "How the review will be carried out",
)
CLAIM_REVIEW_DECIDED = Notice(
    "claim_review_decided", (Party.CLAIMANT,), "ACV Regs reg.16(3)", "Review decision and reasons"
)


TRANSITIONS = (
    Transition(
        trigger="submit",
        source="draft",
        dest="claim_received",
        who=CLAIMANT_OR_OFFICER,
        label="Submit the claim",
        basis="ACV Regs reg.14(5)",
        fields=(
            _date("claim_received_on", "date the council received the claim", stamped=True),
            _date("loss_ended_on", "date the loss or expense was incurred or finished being incurred"),
            Field("amount_claimed", FieldKind.MONEY, "total amount claimed"),
            Field("claim_parts", FieldKind.TEXT, "amount claimed for each part of the claim, with the evidence"),
        ),
        guards=(_land_listed, _claimant_owner, _not_excluded, _while_listed, _in_time),
        notices=(CLAIM_ACKNOWLEDGED,),
    ),
    Transition(
        trigger="decide",
        source="claim_received",
        dest="decided",
        who=OFFICER,
        label="Decide the claim",
        basis="ACV Regs reg.14(1), (6)",
        fields=(
            _date("decided_on", "date of the decision"),
            _date("reasons_given_on", "date written reasons were given"),
            _AMOUNT,
            _REASONS,
        ),
        decision=True,
        notices=(CLAIM_DECIDED,),
    ),
    Transition(
        trigger="request_review",
        source=("decided", "review_time_passed"),
        dest="review_requested",
        who=CLAIMANT_OR_OFFICER,
        label="Record a request for review",
        basis="ACV Regs reg.16; Sch.2 para.2",
        fields=(
            _date("review_request_received_on", "date the council received the request for review", stamped=True),
            Field(
                "late_request_allowed_in_writing",
                FieldKind.BOOL,
                "answer to whether the council allowed a longer period in writing",
                required=False,
                staff_only=True,
            ),
            Field(
                "review_grounds",
                FieldKind.TEXT,
                "grounds for asking for the review",
                required=False,
                hint="The claimant's written representations (Sch.2 paras 2, 8)",
            ),
        ),
        guards=(_review_in_time,),
        notices=(CLAIM_REVIEW_PROCEDURE,),
    ),
    Transition(
        trigger="decide_review",
        source="review_requested",
        dest="review_decided",
        who=frozenset({Role.REVIEWER}),
        label="Decide the review",
        basis="ACV Regs reg.16(2)-(3); Sch.2 paras 3-9",
        fields=(
            _date("review_decided_on", "date of the review decision"),
            _date("review_decision_sent_on", "date the review decision was sent"),
            _AMOUNT,
            _REASONS,
        ),
        guards=(_independent,),
        notices=(CLAIM_REVIEW_DECIDED,),
    ),
    Transition(
        trigger="appeal",
        source=("review_decided", "appeal_time_passed"),
        dest="appeal_pending",
        who=CLAIMANT_OR_OFFICER,
        label="Record an appeal to the Tribunal",
        basis="ACV Regs reg.17; GRC Rules r.5(3)(a), r.12, r.22",
        fields=(
            _date("appeal_lodged_on", "date the appeal was lodged with the Tribunal"),
            APPEAL_LODGED_AT,
            Field(
                "tribunal_extended_time", FieldKind.BOOL, "answer to whether the Tribunal extended time", required=False
            ),
        ),
        guards=(_appeal_in_time,),
    ),
    Transition(
        trigger="record_appeal_outcome",
        source="appeal_pending",
        dest="closed",
        who=OFFICER,
        label="Record the Tribunal's decision",
        basis="ACV Regs reg.17",
        fields=(
            _date("tribunal_decided_on", "date of the Tribunal's decision"),
            Field("amount_awarded", FieldKind.MONEY, "amount awarded after the appeal", required=False),
            Field("outcome", FieldKind.TEXT, "outcome of the appeal"),
        ),
    ),
    Transition(
        trigger="close",
        source="decided",
        dest="review_time_passed",
        who=frozenset({Role.SYSTEM}),
        label="Mark the time for asking for a review as passed",
        basis="ACV Regs Sch.2 para.2",
    ),
    Transition(
        trigger="close",
        source="review_decided",
        dest="appeal_time_passed",
        who=frozenset({Role.SYSTEM}),
        label="Mark the time for appealing to the Tribunal as passed",
        basis="GRC Rules r.22(1)(b)",
    ),
    Transition(
        trigger="withdraw",
        source=("draft", "claim_received", "review_requested"),
        dest="withdrawn",
        who=CLAIMANT_OR_OFFICER,
        label="Withdraw the claim",
        basis="ACV Regs reg.14",
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
