"""Assets of community value: nomination, listing, review, appeal, removal and expiry.

STATUTE.md §2.5, transitions L1-L14 (LA 2011 ss.87-93; ACV Regs regs 2-11, Sch.2).
Pure module: data and guards only.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds, guards
from workflows.definition import (
    SAME,
    Definition,
    Field,
    FieldKind,
    Guard,
    Notice,
    State,
    Timer,
    TimerVariant,
    Transition,
)
from workflows.periods import RULES
from workflows.roles import OFFICER, REVIEWER, SYSTEM, Party, Role

NAME = "acv_listing"

LISTED_STATES = ("listed", "review_requested", "appeal_pending")

STATES = (
    State("draft", "Draft nomination", description="Being written by the community group; not yet received."),
    State("nomination_received", "Nomination received", description="Received; the 8-week decision clock runs."),
    State("under_consideration", "Under consideration", description="The council is considering listing (reg.8)."),
    State("listed", "Listed", public=True, description="On the list of assets of community value."),
    State("review_requested", "Listed, review requested", public=True, description="The owner asked for a review."),
    State("appeal_pending", "Listed, appeal pending", public=True, description="The owner appealed to the Tribunal."),
    State("unsuccessful", "Unsuccessful nomination", public=True, description="On the unsuccessful list (s.93)."),
    State("removed", "Removed from the list", terminal=True, public=True),
    State("expired", "Listing expired", terminal=True, public=True, description="Five years passed (s.87(3))."),
    State("withdrawn", "Nomination withdrawn", terminal=True),
    State("unsuccessful_entry_removed", "Removed from the unsuccessful list", terminal=True),
)


def _date(name: str, label: str, *, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, required=required, stamped=stamped)


REASONS = Field("reasons", FieldKind.TEXT, "reasons for the decision")
DECIDED_ON = _date("decided_on", "date of the decision")
LATE_ALLOWED = Field(
    "late_request_allowed_in_writing",
    FieldKind.BOOL,
    "answer to whether the council allowed a longer period in writing",
    required=False,
    staff_only=True,
)

_contents_complete = Guard(
    "nomination_contents_complete",
    lambda ctx: not ctx.facts.get("nomination_contents_missing"),
    lambda ctx: "The nomination is missing: " + "; ".join(ctx.facts.get("nomination_contents_missing") or []),
    "ACV Regs reg.6",
)
_entry_not_before_decision = guards.not_before(
    "entry_not_before_decision",
    when="entry_date",
    start="decided_on",
    what="the date of the entry in the list",
    basis="LA 2011 s.87(3)",
)
_review_in_time = guards.in_time(
    "review_request_in_time",
    when="review_request_received_on",
    timer="review_request_window",
    what="the review request",
    basis="LA 2011 s.92(2)(b); ACV Regs Sch.2 para.1",
    waiver="late_request_allowed_in_writing",
)
_not_reviewed_before = guards.not_recorded(
    "not_reviewed_before", "review_decided_on", "This listing has already been reviewed", basis="LA 2011 s.92"
)
_reviewer_independent = guards.took_no_part(basis="ACV Regs Sch.2 para.4")
_reviewed_first = guards.recorded(
    "reviewed_before_appeal",
    "review_decided_on",
    "An appeal can only be made after the council has reviewed the listing",
    basis="ACV Regs reg.11(1)",
)
_appeal_in_time = guards.in_time(
    "appeal_in_time",
    when="appeal_lodged_on",
    timer="tribunal_appeal_window",
    what="the appeal",
    basis="GRC Rules r.22(1)(b), r.12(1)",
    waiver="tribunal_extended_time",
    at="appeal_lodged_at",
    cutoff=RULES["acv.tribunal_appeal"].cutoff,
)
APPEAL_LODGED_AT = Field(
    "appeal_lodged_at",
    FieldKind.TIME,
    "time the Tribunal received the appeal",
    required=False,
    hint="24-hour clock, like 16:30. Needed if it arrived on the last day: it must arrive before 17:00",
)
# s.89(2), s.90(2): only a community nomination must be considered, and only land it nominates can be listed.
# A nomination from a body that may not nominate is still decided: the officer rejects it on that ground.
_nominator_eligible = guards.fact_is(
    "nominator_is_eligible",
    "nominator_eligible",
    "The nominator may not make a community nomination of this land (LA 2011 s.89(2)); reject the nomination "
    "on that ground instead",
    basis="LA 2011 s.89(2), s.90(2)",
)


_retention_passed = guards.period_has_ended(
    "unsuccessful_entry_five_years_old",
    timer="unsuccessful_retention",
    refusal="An unsuccessful entry may only be removed after it has been on the list for 5 years",
    basis="LA 2011 s.93(3)(a)",
)

_REVIEW_FIELDS = (
    _date("review_decided_on", "date of the review decision"),
    _date("review_decision_sent_on", "date the review decision was sent"),
    REASONS,
)
_DISPOSAL_FIELDS = (
    _date("disposal_entered_on", "date the disposal was entered into"),
    Field("disposal_details", FieldKind.TEXT, "land disposed of and the new owner"),
)
_REG8_TASK = (
    "Take all practicable steps to tell the parish council, owner, freeholder, leaseholders and occupants (reg.8)"
)
_REMOVAL_TASKS = ("Apply to cancel the Form QQ restriction (ACV Regs reg.18)", "Update the local land charge (s.100)")


TIMERS = (
    Timer(
        "decision_due", "acv.nomination_decision", "nomination_received_on",
        frozenset({"nomination_received", "under_consideration"}), "Decide the nomination",
        escalate=True, reminders=(14, 7, 1), remind=(Party.OFFICER,),
    ),
    Timer(
        "review_request_window", "acv.review_request", "inclusion_notice_given_on", frozenset({"listed"}),
        "Owner may ask for a review", armed_by=frozenset({"list"}), public=True,
    ),
    Timer(
        "listing_expiry", "acv.listing_expiry", "entry_date", frozenset(LISTED_STATES), "Listing ends",
        armed_by=frozenset({"list"}), on_expiry="expire", reminders=(90, 30), remind=(Party.OFFICER, Party.NOMINATOR),
        public=True,
    ),
    Timer(
        "review_decision_due", "acv.review_decision", "review_request_received_on", frozenset({"review_requested"}),
        "Complete the review", escalate=True, reminders=(14, 7, 1), remind=(Party.REVIEWER, Party.OFFICER),
    ),
    Timer(
        "tribunal_appeal_window", "acv.tribunal_appeal", "review_decision_sent_on", frozenset({"listed"}),
        "Owner may appeal to the Tribunal", armed_by=frozenset({"uphold_listing"}), public=True,
    ),
    Timer(
        "tribunal_response_due", "acv.tribunal_response", "notice_of_appeal_received_on",
        frozenset({"appeal_pending"}), "File the council's response to the appeal", escalate=True,
        reminders=(7, 2), remind=(Party.OFFICER,),
    ),
    Timer(  # s.93(3)(a): 5 years on the unsuccessful list, from the decision that put it there
        "unsuccessful_retention", "acv.unsuccessful_retention", "decided_on", frozenset({"unsuccessful"}),
        "Unsuccessful entry may be removed",
        variant=TimerVariant("review_decided_on", "acv.unsuccessful_retention", "review_decided_on"),
    ),
)  # fmt: skip

_LISTING_PARTIES = (Party.OWNER, Party.OCCUPIER, Party.FREEHOLDER, Party.LEASEHOLDERS, Party.PARISH_COUNCIL)
_REMOVAL = (*_LISTING_PARTIES, Party.NOMINATOR)

NOMINATION_ACKNOWLEDGED = Notice(
    "nomination_acknowledged", (Party.NOMINATOR, Party.OFFICER), "Good practice", "Nomination received"
)
CONSIDERING_LISTING = Notice(
    "considering_listing", _LISTING_PARTIES, "ACV Regs reg.8", "The council is considering listing"
)
LISTED = Notice(
    "listed",
    (*_LISTING_PARTIES, Party.NOMINATOR, Party.SUBSCRIBERS),
    "LA 2011 s.91(2)-(3); reg.9",
    "Land included in the list of assets of community value",
)
NOT_LISTED = Notice("not_listed", (Party.NOMINATOR, Party.OWNER), "LA 2011 s.90(6)", "Nomination unsuccessful: reasons")
REVIEW_PROCEDURE = Notice(
    "review_procedure", (Party.OWNER, Party.REVIEWER), "ACV Regs Sch.2 para.6", "How the review will be carried out"
)
REVIEW_DECISION = Notice(
    "review_decision", (Party.OWNER, Party.NOMINATOR), "LA 2011 s.92(3)", "Review decision: listing confirmed"
)
REMOVED_ON_REVIEW = Notice(
    "removed_on_review", _REMOVAL, "LA 2011 s.92(4), s.91(4); reg.9", "Review decision: land removed from the list"
)
APPEAL_DISMISSED = Notice(
    "appeal_dismissed", (Party.OWNER, Party.NOMINATOR), "ACV Regs reg.11", "Appeal dismissed: the land stays listed"
)
REMOVED_ON_APPEAL = Notice(
    "removed_on_appeal", _REMOVAL, "ACV Regs reg.2(c)(i); LA 2011 s.91", "Appeal allowed: land removed from the list"
)
REMOVED = Notice("removed", _REMOVAL, "LA 2011 s.91(4); reg.9", "Land removed from the list: reasons")
REMOVED_AFTER_DISPOSAL = Notice(
    "removed_after_disposal",
    _REMOVAL,
    "ACV Regs reg.2(b); LA 2011 s.91",
    "Land removed from the list after its disposal",
)
ENTRY_AMENDED = Notice(
    "entry_amended",
    (Party.OWNER, Party.NOMINATOR),
    "ACV Regs reg.2(b)",
    "List entry amended after a disposal of part of the land",
)
LISTING_EXPIRED = Notice("listing_expired", _REMOVAL, "LA 2011 s.87(3), s.91", "Listing ended after five years")


TRANSITIONS = (
    Transition(
        trigger="submit",
        source="draft",
        dest="nomination_received",
        who=frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER}),
        label="Submit the nomination",
        basis="LA 2011 s.89(1)-(2); ACV Regs reg.6",
        fields=(_date("nomination_received_on", "date the council received the nomination", stamped=True),),
        guards=(_contents_complete,),
        facts=("nominated_land",),
        notices=(NOMINATION_ACKNOWLEDGED,),
    ),
    Transition(
        trigger="withdraw",
        source=("draft", "nomination_received", "under_consideration"),
        dest="withdrawn",
        who=frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER}),
        label="Withdraw the nomination",
        basis="LA 2011 s.89",
        fields=(Field("reasons", FieldKind.TEXT, "reason for withdrawing", required=False),),
    ),
    Transition(
        trigger="consider",
        source="nomination_received",
        dest="under_consideration",
        who=OFFICER,
        label="Start considering the nomination",
        basis="LA 2011 s.90(1)-(2); ACV Regs reg.8",
        guards=(_nominator_eligible,),
        tasks=(_REG8_TASK,),
        facts=("nominator_eligibility",),
        notices=(CONSIDERING_LISTING,),
    ),
    Transition(
        trigger="list",
        source="under_consideration",
        dest="listed",
        who=OFFICER,
        label="List the asset",
        basis="LA 2011 s.90(3)-(4), s.91",
        fields=(
            DECIDED_ON,
            _date("entry_date", "date of the entry in the list"),
            _date("inclusion_notice_given_on", "date written notice of inclusion was given"),
            Field(
                "community_value_basis",
                FieldKind.CHOICE,
                "test of community value that is met",
                choices=(("current_use", "Current use (s.88(1))"), ("recent_past", "Use in the recent past (s.88(2))")),
            ),
            REASONS,
        ),
        guards=(_nominator_eligible, _entry_not_before_decision),
        decision=True,
        tasks=(
            "Register a local land charge (s.100)",
            "Apply for a Form QQ restriction on registered titles (LRR r.94(11))",
            "Publish the updated list (s.94)",
        ),
        effects=("enter_on_list",),
        facts=("nominator_eligibility",),
        notices=(LISTED,),
    ),
    Transition(
        trigger="reject",
        source=("nomination_received", "under_consideration"),
        dest="unsuccessful",
        who=OFFICER,
        label="Decide not to list",
        basis="LA 2011 s.90(5)-(6), s.93",
        fields=(
            DECIDED_ON,
            Field(
                "grounds",
                FieldKind.CHOICE,
                "reason the land cannot be listed",
                choices=(
                    ("not_in_area", "The land is not in the council's area (s.90(3)(a))"),
                    ("not_of_community_value", "The land is not of community value (s.88)"),
                    ("non_listable_land", "The land is of a description that cannot be listed (Sch.1)"),
                    ("not_a_community_nomination", "The nominator is not eligible (s.89(2))"),
                ),
            ),
            REASONS,
        ),
        decision=True,
        effects=("enter_on_unsuccessful_list",),
        notices=(NOT_LISTED,),
    ),
    Transition(
        trigger="request_review",
        source="listed",
        dest="review_requested",
        who=frozenset({Role.OWNER, Role.OFFICER}),
        label="Record a request for review",
        basis="LA 2011 s.92(1)-(2); ACV Regs reg.10, Sch.2 paras 1, 6-7",
        fields=(
            _date("review_request_received_on", "date the council received the request for review", stamped=True),
            Field(
                "oral_hearing_requested",
                FieldKind.BOOL,
                "answer to whether an oral hearing was asked for",
                required=False,
            ),
            LATE_ALLOWED,
            Field(
                "review_grounds",
                FieldKind.TEXT,
                "grounds for asking for the review",
                required=False,
                hint="The owner's written representations (Sch.2 para.8)",
            ),
        ),
        guards=(_not_reviewed_before, _review_in_time),
        tasks=("Tell the owner the review procedure (Sch.2 para.6)",),
        effects=("note_review_requested",),
        notices=(REVIEW_PROCEDURE,),
    ),
    Transition(
        trigger="uphold_listing",
        source="review_requested",
        dest="listed",
        who=REVIEWER,
        label="Confirm the listing on review",
        basis="LA 2011 s.92(3); ACV Regs Sch.2 paras 4, 9",
        fields=_REVIEW_FIELDS,
        guards=(_reviewer_independent,),
        effects=("note_listing_upheld",),
        notices=(REVIEW_DECISION,),
    ),
    Transition(
        trigger="remove_on_review",
        source="review_requested",
        dest="unsuccessful",
        who=REVIEWER,
        label="Remove the listing on review: the nomination becomes unsuccessful",
        basis="LA 2011 s.92(4), s.93",
        fields=_REVIEW_FIELDS,
        guards=(_reviewer_independent,),
        tasks=(*_REMOVAL_TASKS, "Send the nominator a copy of the reasons (s.92(4)(b)(ii))"),
        effects=("remove_on_review",),
        notices=(REMOVED_ON_REVIEW,),
    ),
    Transition(
        trigger="appeal",
        source="listed",
        dest="appeal_pending",
        who=frozenset({Role.OWNER, Role.OFFICER}),
        label="Record an appeal to the First-tier Tribunal",
        basis="ACV Regs reg.11; GRC Rules r.12, r.22",
        fields=(
            _date("appeal_lodged_on", "date the appeal was lodged with the Tribunal"),
            APPEAL_LODGED_AT,
            _date("notice_of_appeal_received_on", "date the council received the notice of appeal", stamped=True),
            Field(
                "tribunal_extended_time", FieldKind.BOOL, "answer to whether the Tribunal extended time", required=False
            ),
        ),
        guards=(_reviewed_first, _appeal_in_time),
        tasks=("File the council's response with the Tribunal (GRC Rules r.23)",),
        effects=("note_appeal_lodged",),
    ),
    Transition(
        trigger="dismiss_appeal",
        source="appeal_pending",
        dest="listed",
        who=OFFICER,
        label="Record that the Tribunal dismissed the appeal",
        basis="ACV Regs reg.11",
        fields=(_date("tribunal_decided_on", "date of the Tribunal's decision"),),
        effects=("note_appeal_dismissed",),
        notices=(APPEAL_DISMISSED,),
    ),
    Transition(
        trigger="allow_appeal",
        source="appeal_pending",
        dest="removed",
        who=OFFICER,
        label="Record that the Tribunal allowed the appeal",
        basis="ACV Regs reg.2(c)(i)",
        fields=(_date("tribunal_decided_on", "date of the Tribunal's decision"),),
        tasks=_REMOVAL_TASKS,
        effects=("remove_after_appeal",),
        notices=(REMOVED_ON_APPEAL,),
    ),
    Transition(
        trigger="remove",
        source="listed",
        dest="removed",
        who=OFFICER,
        label="Remove the listing: no longer of community value",
        basis="ACV Regs reg.2(c)(ii); LA 2011 s.91(4)",
        fields=(DECIDED_ON, REASONS),
        decision=True,
        tasks=_REMOVAL_TASKS,
        effects=("remove_no_longer_of_value",),
        notices=(REMOVED,),
    ),
    Transition(
        trigger="remove_after_disposal",
        source=LISTED_STATES,
        dest="removed",
        who=frozenset({Role.OFFICER, Role.SYSTEM}),
        label="Remove the listing after a relevant disposal of all the land",
        basis="ACV Regs reg.2(b), reg.19(2)",
        fields=_DISPOSAL_FIELDS,
        tasks=_REMOVAL_TASKS,
        effects=("remove_after_disposal",),
        notices=(REMOVED_AFTER_DISPOSAL,),
    ),
    Transition(
        trigger="amend_after_disposal",
        source=LISTED_STATES,
        dest=SAME,
        who=frozenset({Role.OFFICER, Role.SYSTEM}),
        label="Amend the entry after a relevant disposal of part of the land",
        basis="ACV Regs reg.2(b), reg.19(2)",
        fields=_DISPOSAL_FIELDS,
        effects=("amend_after_disposal",),
        notices=(ENTRY_AMENDED,),
    ),
    Transition(
        trigger="expire",
        source=LISTED_STATES,
        dest="expired",
        who=SYSTEM,
        label="End the listing after 5 years",
        basis="LA 2011 s.87(3)",
        tasks=_REMOVAL_TASKS,
        effects=("remove_after_five_years",),
        notices=(LISTING_EXPIRED,),
    ),
    Transition(
        trigger="remove_from_unsuccessful_list",
        source="unsuccessful",
        dest="unsuccessful_entry_removed",
        who=OFFICER,
        label="Remove the entry from the unsuccessful list",
        basis="LA 2011 s.93(3)(a)",
        guards=(_retention_passed,),
        effects=("remove_unsuccessful_entry",),
    ),
)

# Which recorded dates each supplied date must not precede (the entry date's own guard is above).
DATE_ORDER = {
    "decided_on": ("nomination_received_on",),
    "inclusion_notice_given_on": ("decided_on",),
    "review_request_received_on": ("decided_on",),
    "review_decided_on": ("review_request_received_on",),
    "review_decision_sent_on": ("review_decided_on",),
    "appeal_lodged_on": ("review_decision_sent_on",),
    "tribunal_decided_on": ("appeal_lodged_on",),
    "disposal_entered_on": ("entry_date",),
}

DEFINITION = Definition(
    name=NAME,
    version=1,
    effective_from=date(2012, 9, 21),
    title="Asset of community value: nomination and listing",
    initial="draft",
    states=STATES,
    transitions=date_bounds.bound(TRANSITIONS, date_bounds.ENGLAND_ACV, after=DATE_ORDER),
    timers=TIMERS,
    reference_prefix="ACV",
)
