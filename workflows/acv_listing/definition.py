"""Listing as a table: who may move a nomination or a listing on, from where to where, on what authority.

Rows follow STATUTE.md §2.5 (L1-L14). A nomination is decided within 8 weeks of its receipt; a listing lasts
five years from its entry date, unless a review, an appeal, the council or a disposal ends it first. The table
comes first; the states it moves between are in `states`, the clocks they start in `timers`.
"""

from __future__ import annotations

from datetime import date

from workflows import date_bounds
from workflows.acv_listing import fields, guards, notices
from workflows.acv_listing.states import LISTED_STATES, STATES
from workflows.acv_listing.timers import TIMERS
from workflows.definition import SAME, Definition, Transition
from workflows.roles import GROUP_OR_OFFICER, OFFICER, OWNER_OR_OFFICER, REVIEWER, SYSTEM, Role

NAME = "acv_listing"
NOMINATOR_OR_OFFICER = GROUP_OR_OFFICER
OFFICER_OR_SYSTEM = frozenset({Role.OFFICER, Role.SYSTEM})
REG8_TASK = (
    "Take all practicable steps to tell the parish council, owner, freeholder, leaseholders and occupants (reg.8)"
)
REMOVAL_TASKS = ("Apply to cancel the Form QQ restriction (ACV Regs reg.18)", "Update the local land charge (s.100)")

TRANSITIONS = (
    Transition(
        trigger="submit",
        source="draft",
        dest="nomination_received",
        who=NOMINATOR_OR_OFFICER,
        statute="L1",
        label="Submit the nomination",
        basis="LA 2011 s.89(1)-(2); ACV Regs reg.6",
        fields=fields.NOMINATION,
        guards=(guards.contents_complete,),
        facts=("nominated_land",),
        notices=(notices.NOMINATION_ACKNOWLEDGED,),
    ),
    Transition(
        trigger="withdraw",
        source=("draft", "nomination_received", "under_consideration"),
        dest="withdrawn",
        who=NOMINATOR_OR_OFFICER,
        statute="§2.5",
        label="Withdraw the nomination",
        basis="LA 2011 s.89",
        fields=fields.WITHDRAWAL,
    ),
    Transition(
        trigger="consider",
        source="nomination_received",
        dest="under_consideration",
        who=OFFICER,
        statute="L2",
        label="Start considering the nomination",
        basis="LA 2011 s.90(1)-(2); ACV Regs reg.8",
        guards=(guards.nominator_eligible,),
        tasks=(REG8_TASK,),
        facts=("nominator_eligibility",),
        notices=(notices.CONSIDERING_LISTING,),
    ),
    Transition(
        trigger="list",
        source="under_consideration",
        dest="listed",
        who=OFFICER,
        statute="L3",
        label="List the asset",
        basis="LA 2011 s.90(3)-(4), s.91",
        fields=fields.LISTING,
        guards=(guards.nominator_eligible, guards.entry_not_before_decision),
        decision=True,
        tasks=(
            "Register a local land charge (s.100)",
            "Apply for a Form QQ restriction on registered titles (LRR r.94(11))",
            "Publish the updated list (s.94)",
        ),
        effects=("enter_on_list",),
        facts=("nominator_eligibility",),
        notices=(notices.LISTED,),
    ),
    Transition(
        trigger="reject",
        source=("nomination_received", "under_consideration"),
        dest="unsuccessful",
        who=OFFICER,
        statute="L4",
        label="Decide not to list",
        basis="LA 2011 s.90(5)-(6), s.93",
        fields=fields.REJECTION,
        decision=True,
        effects=("enter_on_unsuccessful_list",),
        notices=(notices.NOT_LISTED,),
    ),
    Transition(
        trigger="request_review",
        source="listed",
        dest="review_requested",
        who=OWNER_OR_OFFICER,
        statute="L5",
        label="Record a request for review",
        basis="LA 2011 s.92(1)-(2); ACV Regs reg.10, Sch.2 paras 1, 6-7",
        fields=fields.REVIEW_REQUEST,
        guards=(guards.not_reviewed_before, guards.review_in_time),
        tasks=("Tell the owner the review procedure (Sch.2 para.6)",),
        effects=("note_review_requested",),
        notices=(notices.REVIEW_PROCEDURE,),
    ),
    Transition(
        trigger="uphold_listing",
        source="review_requested",
        dest="listed",
        who=REVIEWER,
        statute="L6",
        label="Confirm the listing on review",
        basis="LA 2011 s.92(3); ACV Regs Sch.2 paras 4, 9",
        fields=fields.REVIEW_DECISION,
        guards=(guards.reviewer_independent,),
        effects=("note_listing_upheld",),
        notices=(notices.REVIEW_DECISION,),
    ),
    Transition(
        trigger="remove_on_review",
        source="review_requested",
        dest="unsuccessful",
        who=REVIEWER,
        statute="L7",
        label="Remove the listing on review: the nomination becomes unsuccessful",
        basis="LA 2011 s.92(4), s.93",
        fields=fields.REVIEW_DECISION,
        guards=(guards.reviewer_independent,),
        tasks=(*REMOVAL_TASKS, "Send the nominator a copy of the reasons (s.92(4)(b)(ii))"),
        effects=("remove_on_review",),
        notices=(notices.REMOVED_ON_REVIEW,),
    ),
    Transition(
        trigger="appeal",
        source="listed",
        dest="appeal_pending",
        who=OWNER_OR_OFFICER,
        statute="L8",
        label="Record an appeal to the First-tier Tribunal",
        basis="ACV Regs reg.11; GRC Rules r.12, r.22",
        fields=fields.APPEAL,
        guards=(guards.reviewed_first, guards.appeal_in_time),
        tasks=("File the council's response with the Tribunal (GRC Rules r.23)",),
        effects=("note_appeal_lodged",),
    ),
    Transition(
        trigger="dismiss_appeal",
        source="appeal_pending",
        dest="listed",
        who=OFFICER,
        statute="L9",
        label="Record that the Tribunal dismissed the appeal",
        basis="ACV Regs reg.11",
        fields=fields.TRIBUNAL_DECISION,
        effects=("note_appeal_dismissed",),
        notices=(notices.APPEAL_DISMISSED,),
    ),
    Transition(
        trigger="allow_appeal",
        source="appeal_pending",
        dest="removed",
        who=OFFICER,
        statute="L9",
        label="Record that the Tribunal allowed the appeal",
        basis="ACV Regs reg.2(c)(i)",
        fields=fields.TRIBUNAL_DECISION,
        tasks=REMOVAL_TASKS,
        effects=("remove_after_appeal",),
        notices=(notices.REMOVED_ON_APPEAL,),
    ),
    Transition(
        trigger="remove",
        source="listed",
        dest="removed",
        who=OFFICER,
        statute="L10",
        label="Remove the listing: no longer of community value",
        basis="ACV Regs reg.2(c)(ii); LA 2011 s.91(4)",
        fields=fields.REMOVAL,
        decision=True,
        tasks=REMOVAL_TASKS,
        effects=("remove_no_longer_of_value",),
        notices=(notices.REMOVED,),
    ),
    Transition(
        trigger="remove_after_disposal",
        source=LISTED_STATES,
        dest="removed",
        who=OFFICER_OR_SYSTEM,
        statute="L11",
        label="Remove the listing after a relevant disposal of all the land",
        basis="ACV Regs reg.2(b), reg.19(2)",
        fields=fields.DISPOSAL,
        tasks=REMOVAL_TASKS,
        effects=("remove_after_disposal",),
        notices=(notices.REMOVED_AFTER_DISPOSAL,),
    ),
    Transition(
        trigger="amend_after_disposal",
        source=LISTED_STATES,
        dest=SAME,
        who=OFFICER_OR_SYSTEM,
        statute="L11",
        label="Amend the entry after a relevant disposal of part of the land",
        basis="ACV Regs reg.2(b), reg.19(2)",
        fields=fields.DISPOSAL,
        effects=("amend_after_disposal",),
        notices=(notices.ENTRY_AMENDED,),
    ),
    Transition(
        trigger="expire",
        source=LISTED_STATES,
        dest="expired",
        who=SYSTEM,
        statute="L12",
        label="End the listing after 5 years",
        basis="LA 2011 s.87(3)",
        tasks=REMOVAL_TASKS,
        effects=("remove_after_five_years",),
        notices=(notices.LISTING_EXPIRED,),
    ),
    Transition(
        trigger="remove_from_unsuccessful_list",
        source="unsuccessful",
        dest="unsuccessful_entry_removed",
        who=OFFICER,
        statute="L14",
        label="Remove the entry from the unsuccessful list",
        basis="LA 2011 s.93(3)(a)",
        guards=(guards.retention_passed,),
        effects=("remove_unsuccessful_entry",),
    ),
)

# Which recorded dates each supplied date must not precede (the entry date's own guard is in the table).
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
