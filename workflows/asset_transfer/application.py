"""An application for a council asset, from the enquiry to the decision: rows T1-T7 of STATUTE.md §4.3.

The first part of the asset transfer's table (workflows.asset_transfer.definition): all of it the council's
policy, bar the best consideration the decision must confirm (LGA 1972 s.123(2)).
"""

from __future__ import annotations

from workflows.asset_transfer import fields, guards, notices
from workflows.asset_transfer.states import BEFORE_DECISION
from workflows.definition import SAME, Transition
from workflows.roles import GROUP_OR_OFFICER, OFFICER, SYSTEM, Role

JOINING = frozenset({Role.COMMUNITY_MEMBER, Role.OFFICER, Role.SYSTEM})  # the system joins groups as they apply
BEST_CONSIDERATION = (
    "Confirm best consideration, a short tenancy, or that the General Disposal Consent covers the undervalue "
    "(LGA 1972 s.123(2))"
)
ADVERTISE_OPEN_SPACE = (
    "If the land is open space, advertise the disposal for two consecutive weeks before completion (LGA 1972 s.123(2A))"
)
MORATORIUM_IF_LISTED = (
    "If the asset is on the list of assets of community value (the register says so above), a freehold or a lease of "
    "25 years or more to a body that is not a community interest group needs the moratorium (LA 2011 s.95)"
)

TRANSITIONS = (
    Transition(
        trigger="enquire",
        source="draft",
        dest="enquiry",
        who=GROUP_OR_OFFICER,
        statute="T1",
        label="Send the enquiry",
        basis="Council policy (T1)",
        fields=fields.ENQUIRY,
        facts=("listing_status",),
        notices=(notices.ENQUIRY_RECEIVED,),
    ),
    Transition(
        trigger="check_suitability",
        source="enquiry",
        dest="suitability_checked",
        who=OFFICER,
        statute="T2",
        label="Record the asset check",
        basis="Council policy (T2); LGA 1972 s.123; LA 2011 s.87",
        fields=fields.SUITABILITY_CHECK,
        guards=(guards.surplus,),
        facts=("listing_status",),
        tasks=(
            ADVERTISE_OPEN_SPACE,
            MORATORIUM_IF_LISTED,
            "Share running costs, servicing and any condition survey with the group",
        ),
    ),
    Transition(
        trigger="decline",
        source=("enquiry", "suitability_checked"),
        dest="refused",
        who=OFFICER,
        statute="T2",
        label="Decline the enquiry",
        basis="Council policy (T2)",
        fields=fields.DECIDED_WITH_REASONS,
        decision=True,
        notices=(notices.DECLINED,),
    ),
    Transition(
        trigger="invite_eoi",
        source="suitability_checked",
        dest="eoi_invited",
        who=OFFICER,
        statute="T3",
        label="Invite expressions of interest",
        basis="Council policy (T3)",
        fields=fields.EOI_INVITATION,
        notices=(notices.EOI_INVITED,),
        tasks=(
            "Advertise the opportunity: website, letters to residents, an open day at the building",
            "Where the policy advertises per asset, every group that applies while the window is open joins it",
        ),
    ),
    Transition(
        trigger="join_eoi_window",
        source="enquiry",
        dest="eoi_invited",
        who=JOINING,
        statute="T3",
        label="Join the advertised window for this asset",
        basis="Council policy (T3)",
        guards=(guards.advertised_window,),
        facts=("eoi_window",),
    ),
    Transition(
        trigger="submit_eoi",
        source="eoi_invited",
        dest="eoi_submitted",
        who=GROUP_OR_OFFICER,
        statute="T4",
        label="Send the expression of interest",
        basis="Council policy (T4)",
        fields=fields.EXPRESSION_OF_INTEREST,
        guards=(guards.eoi_in_window, guards.eligible),
        facts=("applicant_eligibility",),
    ),
    Transition(
        trigger="eoi_window_closes",
        source="eoi_invited",
        dest="lapsed",
        who=SYSTEM,
        statute="T11",
        label="Lapse: no expression of interest in the window",
        basis="Council policy (T3, T11)",
        notices=(notices.NO_EOI_IN_WINDOW,),
    ),
    Transition(
        trigger="pass_eoi",
        source="eoi_submitted",
        dest="business_case_invited",
        who=OFFICER,
        statute="T4",
        label="Pass the expression of interest",
        basis="Council policy (T4-T5)",
        page="eoi_assessment",  # each of the policy's criteria assessed on its own page, then decided
        fields=fields.EOI_PASSED,
        guards=(guards.eoi_passes,),
        facts=("eoi_criteria",),
        notices=(notices.EOI_PASSED,),
    ),
    Transition(
        trigger="fail_eoi",
        source="eoi_submitted",
        dest="refused",
        who=OFFICER,
        statute="T4",
        label="Fail the expression of interest",
        basis="Council policy (T4)",
        page="eoi_assessment",  # each of the policy's criteria assessed on its own page, then decided
        fields=fields.EOI_FAILED,
        guards=(guards.eoi_fails,),
        decision=True,
        facts=("eoi_criteria",),
        notices=(notices.EOI_FAILED,),
    ),
    Transition(
        trigger="submit_business_case",
        source="business_case_invited",
        dest="panel_assessment",
        who=GROUP_OR_OFFICER,
        statute="T5",
        label="Send the business case",
        basis="Council policy (T5)",
        fields=fields.BUSINESS_CASE,
    ),
    Transition(
        trigger="recommend",
        source="panel_assessment",
        dest="recommended",
        who=OFFICER,
        statute="T6",
        label="Record the panel's recommendation",
        basis="Council policy (T6)",
        fields=fields.RECOMMENDATION,
        guards=(guards.scored,),
        facts=("recommendation",),
    ),
    Transition(
        trigger="return_to_panel",
        source="recommended",
        dest="panel_assessment",
        who=SYSTEM,
        statute="T6",
        label="Return to the panel: an assessor's scores were withdrawn",
        basis="Council policy (T6)",
    ),
    Transition(
        trigger="approve",
        source="recommended",
        dest="approved",
        who=OFFICER,
        statute="T7",
        label="Record approval in principle",
        basis="Council policy (T7); LGA 1972 s.123(2); General Disposal Consent (England) 2003",
        fields=fields.APPROVAL,
        guards=(
            guards.recommended,
            guards.not_already,
            guards.tenure_offered,
            guards.tie,
            guards.departure,
            guards.rivals,
        ),
        decision=True,
        facts=("approval",),
        notices=(notices.APPROVED,),
        effects=("decide_rivals",),
        tasks=(BEST_CONSIDERATION,),
    ),
    Transition(
        trigger="refuse",
        source="recommended",
        dest="refused",
        who=OFFICER,
        statute="T7",
        label="Refuse",
        basis="Council policy (T7)",
        fields=fields.REFUSAL,
        decision=True,
        facts=("decision_body",),
        notices=(notices.REFUSED,),
    ),
    Transition(
        trigger="defer",
        source="recommended",
        dest=SAME,
        who=OFFICER,
        statute="T7",
        label="Defer the decision",
        basis="Council policy (T7)",
        fields=fields.DEFERRAL,
        guards=(guards.decide_by,),
        facts=("decision_body",),
    ),
    Transition(
        trigger="close_as_rival",
        source=BEFORE_DECISION,
        dest="refused",
        who=SYSTEM,
        statute="T7",
        label="Refuse: another application was approved",
        basis="Council policy (T7)",
        fields=fields.DECIDED_WITH_REASONS,
        notices=(notices.REFUSED_FOR_RIVAL,),
    ),
    Transition(
        trigger="note_rival_approved",
        source=BEFORE_DECISION,
        dest=SAME,
        who=SYSTEM,
        statute="T7",
        label="Keep in reserve: another application was approved",
        basis="Council policy (T7)",
        fields=fields.RIVAL_APPROVED,
        notices=(notices.RIVAL_APPROVED,),
    ),
)
