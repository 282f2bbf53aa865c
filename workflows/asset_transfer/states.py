"""The stages of an asset transfer application in England (STATUTE.md §4.3), and the groups of them its rows name."""

from __future__ import annotations

from workflows.definition import State

BEFORE_DECISION = (
    "enquiry",
    "suitability_checked",
    "eoi_invited",
    "eoi_submitted",
    "business_case_invited",
    "panel_assessment",
    "recommended",
)  # another application's approval closes or reserves these
OPEN = (*BEFORE_DECISION, "approved", "pre_completion", "heads_of_terms")  # the group may still withdraw

STATES = (
    State("draft", "Draft enquiry", description="Being written by the group; not yet sent."),
    State("enquiry", "Enquiry received", description="The council checks whether the asset is available."),
    State("suitability_checked", "Asset checked", description="Surplus, restrictions, listing and open space."),
    State("eoi_invited", "Expressions of interest invited", public=True, description="The window is open."),
    State("eoi_submitted", "Expression of interest received", description="Checked against the criteria."),
    State("business_case_invited", "Business case invited", description="The group prepares its case."),
    State("panel_assessment", "Panel assessment", description="Each assessor scores each criterion."),
    State("recommended", "Recommendation made", description="Waiting for the decision-maker."),
    State("approved", "Approved in principle", public=True),
    State(
        "pre_completion",
        "Statutory steps before completion",
        public=True,
        description="Open-space advertisement and objections; the moratorium on listed land.",
    ),
    State("heads_of_terms", "Heads of terms agreed", public=True, description="Legal completion to follow."),
    State("monitoring", "Transferred: monitoring", public=True, description="Annual reviews of the agreement."),
    State("ended", "Agreement ended", terminal=True, public=True),
    State("refused", "Refused", terminal=True, public=True),
    State("withdrawn", "Withdrawn", terminal=True),
    State(
        "lapsed",
        "Lapsed",
        terminal=True,
        description="No expression of interest, or no business case, arrived in time.",
    ),
)
