"""Every transition of every definition: allowed for its roles, refused for the others, and refused by each guard.

PASSING gives, per (workflow, trigger), data and facts that satisfy every
guard; FAILING gives, per guard, the change that makes exactly that guard
refuse. A new transition or guard without an entry here fails the suite.
The date bounds every dated transition carries (workflows.date_bounds) are
made to refuse by `_date_bound_failing`: a date from before the regime, or one
before a date the case records as coming first.
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from workflows import registry
from workflows.definition import Definition, FieldKind, Guard, GuardContext, Transition
from workflows.errors import GuardFailed, InvalidData, RoleNotAllowed, TransitionNotAllowed, cited
from workflows.fields import parse_data
from workflows.machines import fire
from workflows.roles import Role

TODAY = date(2026, 6, 1)
D = date.fromisoformat
Case = dict[str, Any]  # {"data": ..., "facts": ..., "deadlines": ..., "actor": ...}

REVIEW = {"review_decided_on": "2026-05-20", "review_decision_sent_on": "2026-05-21", "reasons": "Reasons"}
SALE = {"disposal_entered_on": "2026-05-20", "acquirer_name": "A Buyer", "whole_or_part": "whole"}
NOTICE_FACTS = {"notice_received_on": D("2026-05-01")}
SALE_FACTS = {**NOTICE_FACTS, "disposal_barred": False}
DECISION = {"decided_on": "2026-05-20", "decision_notified_on": "2026-05-21"}
ATR_DECISION = {"decided_on": "2026-05-20", "decision_notice_on": "2026-05-21"}
ATR_TERMS = {"terms": "£1, community use only", "offer_period_ends_on": "2026-12-31"}
ATR_REVIEW = {"review_decided_on": "2026-05-20", "review_body": "committee"}

PASSING: dict[tuple[str, str], Case] = {
    ("acv_listing", "submit"): {
        "data": {"nomination_received_on": "2026-05-01"},
        "facts": {"nomination_contents_missing": []},
    },
    ("acv_listing", "withdraw"): {},
    ("acv_listing", "consider"): {"facts": {"nominator_eligible": True}},
    ("acv_listing", "list"): {
        "data": {
            "decided_on": "2026-05-20",
            "entry_date": "2026-05-20",
            "inclusion_notice_given_on": "2026-05-21",
            "community_value_basis": "current_use",
            "reasons": "Reasons",
        },
        "facts": {"nominator_eligible": True},
    },
    ("acv_listing", "reject"): {"data": {"decided_on": "2026-05-20", "grounds": "not_in_area", "reasons": "Reasons"}},
    ("acv_listing", "request_review"): {
        "data": {"review_request_received_on": "2026-05-25"},
        "deadlines": {"review_request_window": D("2026-07-14")},
    },
    ("acv_listing", "uphold_listing"): {
        "data": REVIEW,
        "facts": {"decision_makers": ["officer-1"]},
        "actor": "reviewer-1",
    },
    ("acv_listing", "remove_on_review"): {
        "data": REVIEW,
        "facts": {"decision_makers": ["officer-1"]},
        "actor": "reviewer-1",
    },
    ("acv_listing", "appeal"): {
        "data": {"appeal_lodged_on": "2026-05-25", "notice_of_appeal_received_on": "2026-05-26"},
        "facts": {"review_decided_on": D("2026-05-01")},
        "deadlines": {"tribunal_appeal_window": D("2026-05-29")},
    },
    ("acv_listing", "dismiss_appeal"): {"data": {"tribunal_decided_on": "2026-05-30"}},
    ("acv_listing", "allow_appeal"): {"data": {"tribunal_decided_on": "2026-05-30"}},
    ("acv_listing", "remove"): {"data": {"decided_on": "2026-05-20", "reasons": "Reasons"}},
    ("acv_listing", "remove_after_disposal"): {"data": {"disposal_entered_on": "2026-05-20", "disposal_details": "x"}},
    ("acv_listing", "amend_after_disposal"): {"data": {"disposal_entered_on": "2026-05-20", "disposal_details": "x"}},
    ("acv_listing", "expire"): {},
    ("acv_listing", "remove_from_unsuccessful_list"): {"deadlines": {"unsuccessful_retention": D("2026-01-01")}},
    ("moratorium", "give_notice"): {
        "data": {
            "notice_received_on": "2026-05-01",
            "notice_method": "email",
            "disposal_type": "freehold",
            "vacant_possession": "yes",
        },
        "facts": {"asset_listed": True, "protected_period_running": False},
    },
    ("moratorium", "cig_request"): {
        "data": {"request_received_on": "2026-05-10", "cig_name": "Friends"},
        "facts": {**NOTICE_FACTS, "requester_is_cig": True},
        "deadlines": {"interim_end": D("2026-06-11")},
    },
    ("moratorium", "cig_request_received_in_interim"): {
        "data": {"request_received_on": "2026-05-10", "cig_name": "Friends"},
        "facts": {**NOTICE_FACTS, "requester_is_cig": True},
        "deadlines": {"interim_end": D("2026-05-12")},
    },
    ("moratorium", "interim_ends"): {},
    ("moratorium", "full_ends"): {},
    ("moratorium", "dispose_to_cig"): {
        "data": {**SALE, "acquirer_is_cig": True},
        "facts": SALE_FACTS,
        "deadlines": {"protected_end": D("2027-10-31")},
    },
    ("moratorium", "dispose"): {
        "data": SALE,
        "facts": {**SALE_FACTS, "notice_received_on": D("2026-03-01")},
        "deadlines": {"interim_end": D("2026-04-11"), "protected_end": D("2027-08-31")},
    },
    ("moratorium", "protected_ends"): {},
    ("moratorium", "record_exempt_disposal"): {
        "data": {
            "disposal_entered_on": "2026-05-20",
            "exemption": "planning_obligation_or_option",
            "disposal_details": "Option exercised",
            "right_granted_on": "2025-01-10",
        },
        "facts": {"listed_on": D("2026-03-20"), "notice_received_on": D("2026-04-01")},
    },
    ("moratorium", "listing_ended"): {},
    ("moratorium", "record_breach"): {
        "data": {"breach_disposal_entered_on": "2026-05-20", "breach_details": "x"},
        "facts": NOTICE_FACTS,
        "deadlines": {"interim_end": D("2026-06-11")},
    },
    ("compensation", "submit"): {
        "data": {
            "claim_received_on": "2026-05-01",
            "loss_ended_on": "2026-04-01",
            "amount_claimed": "£1,250.50",
            "claim_parts": "Legal fees: 1250.50",
        },
        "facts": {
            "claimant_excluded": False,
            "land_was_listed": True,
            "claimant_is_owner": True,
            "listed_from": D("2025-06-01"),
        },
    },
    ("compensation", "decide"): {
        "data": {
            "decided_on": "2026-05-20",
            "reasons_given_on": "2026-05-21",
            "amount_awarded": "0",
            "reasons": "Reasons",
        }
    },
    ("compensation", "request_review"): {
        "data": {"review_request_received_on": "2026-05-20"},
        "deadlines": {"review_request_window": D("2026-06-30")},
    },
    ("compensation", "decide_review"): {
        "data": {**REVIEW, "amount_awarded": "10.00"},
        "facts": {"decision_makers": ["officer-1"]},
        "actor": "reviewer-1",
    },
    ("compensation", "appeal"): {
        "data": {"appeal_lodged_on": "2026-05-25"},
        "deadlines": {"tribunal_appeal_window": D("2026-05-30")},
    },
    ("compensation", "record_appeal_outcome"): {"data": {"tribunal_decided_on": "2026-05-30", "outcome": "Allowed"}},
    ("compensation", "close"): {},
    ("compensation", "withdraw"): {},
    ("challenge", "submit"): {
        "data": {
            "eoi_received_on": "2026-05-01",
            "service": "libraries",
            "geographical_area": "Borchester",
            "financial_resources": "Reserves of £40,000",
            "capability_evidence": "Runs two libraries already",
            "outcomes_wellbeing": "Longer opening hours",
            "outcomes_user_needs": "Home deliveries",
        },
        "facts": {"relevant_body": True, "service_known": True, "window_ok": True},
    },
    ("challenge", "notify_decision_period"): {
        "data": {"decision_period_notified_on": "2026-05-10", "expected_decision_by": "2026-07-01"},
        "deadlines": {"decision_due": D("2026-08-01")},
    },
    ("challenge", "propose_modification"): {
        "data": {"modification_proposed_on": "2026-05-10", "proposed_modification": "Run it jointly"}
    },
    ("challenge", "accept"): {"data": DECISION},
    ("challenge", "accept_modified"): {
        "data": {**DECISION, "body_agreed_modification": "yes", "modification": "Jointly", "reasons": "Reasons"}
    },
    ("challenge", "reject"): {"data": {**DECISION, "ground": "frivolous", "reasons": "Reasons"}},
    ("challenge", "start_procurement"): {
        "data": {"procurement_started_on": "2026-05-25", "procurement_route": "Open procedure"},
        "deadlines": {"procurement_earliest": D("2026-05-20"), "procurement_latest": D("2026-07-01")},
    },
    ("challenge", "award"): {
        "data": {"contract_awarded_on": "2026-05-30", "awarded_to": "Friends", "challenger_won": "yes"}
    },
    ("challenge", "no_award"): {"data": {"procurement_ended_on": "2026-05-30", "reasons": "No compliant bids"}},
    ("challenge", "withdraw"): {},
    ("scotland_atr", "ask_for_information"): {
        "data": {"info_requested_on": "2026-04-20", "information_sought": "The title and any burdens"}
    },
    ("scotland_atr", "give_information"): {
        "data": {"info_given_on": "2026-04-27", "information_given": "Title GLA123; no burdens"},
        "facts": {"info_requested_on": D("2026-04-20")},
    },
    ("scotland_atr", "agree_longer_decision_period"): {
        "data": {"longer_period_agreed_on": "2026-05-20", "decision_due_by": "2026-12-31"},
        "deadlines": {"decision": D("2026-11-04")},
    },
    ("scotland_atr", "agree_longer_review_period"): {
        "data": {"review_longer_period_agreed_on": "2026-05-20", "review_due_by": "2026-12-31"},
        "deadlines": {"review_decision": D("2026-11-04")},
    },
    ("scotland_atr", "extend_contract_period"): {
        "data": {
            "contract_extended_on": "2026-05-20",
            "contract_due_by": "2026-12-31",
            "contract_extension_basis": "agreed",
        },
        "deadlines": {"contract": D("2026-11-04")},
    },
    ("scotland_atr", "contract_period_ends"): {},
    ("scotland_atr", "no_contract_appeal_made"): {},
    ("scotland_atr", "offer_period_ends"): {},
    ("scotland_atr", "submit"): {
        "data": {
            "request_received_on": "2026-05-01",
            "request_type": "ownership",
            "land_description": "The old school",
            "reasons": "Reasons",
            "benefits": "Benefits",
            "price_or_terms": "£1",
            "proposed_use": "Community hub",
            "funding": "Grants",
            "community_support": "A ballot",
        },
        "facts": {"is_ctb": True, "may_own": True},
    },
    ("scotland_atr", "decline_repeat"): {
        "data": {"declined_on": "2026-05-10", "reasons": "Refused in 2025"},
        "facts": {"refused_within_two_years": True},
    },
    ("scotland_atr", "request_missing"): {"data": {"incomplete_notice_on": "2026-05-10", "missing_items": "Funding"}},
    ("scotland_atr", "validate"): {
        "data": {"validation_date": "2026-05-05", "acknowledged_on": "2026-05-06"},
        "facts": {"request_received_on": D("2026-05-01")},
    },
    ("scotland_atr", "publish"): {
        "data": {"notice_published_on": "2026-05-01", "representations_close_on": "2026-06-30"}
    },
    ("scotland_atr", "send_representations"): {
        "data": {"representations_sent_on": "2026-05-30", "representations_summary": "Two letters"},
        "deadlines": {"representations": D("2026-05-29")},
    },
    ("scotland_atr", "agree"): {
        "data": {**ATR_DECISION, **ATR_TERMS},
        "deadlines": {"representations": D("2026-05-29"), "comments": D("2026-05-30")},
    },
    ("scotland_atr", "refuse"): {
        "data": {**ATR_DECISION, "reasons": "Reasons"},
        "deadlines": {"representations": D("2026-05-29"), "comments": D("2026-05-30")},
    },
    ("scotland_atr", "request_review"): {
        "data": {"review_requested_on": "2026-05-25"},
        "facts": {"decision_period_ends_on": D("2026-05-01")},
        "deadlines": {
            "review_request": D("2026-06-20"),
            "review_request_terms": D("2026-06-20"),
            "review_request_no_decision": D("2026-05-28"),
        },
    },
    ("scotland_atr", "review_agree"): {
        "data": {**ATR_REVIEW, "decision_notice_on": "2026-05-21", **ATR_TERMS},
    },
    ("scotland_atr", "review_refuse"): {"data": {**ATR_REVIEW, "reasons": "Reasons"}},
    ("scotland_atr", "appeal"): {
        "data": {"appeal_lodged_on": "2026-05-25"},
        "facts": {"review_period_ends_on": D("2026-05-01")},
        "deadlines": {"appeal": D("2026-06-20"), "appeal_no_review_decision": D("2026-05-28")},
    },
    ("scotland_atr", "ministers_allow"): {
        "data": {"ministers_decided_on": "2026-05-20", "decision_notice_on": "2026-05-21", **ATR_TERMS}
    },
    ("scotland_atr", "ministers_dismiss"): {"data": {"ministers_decided_on": "2026-05-20", "reasons": "Reasons"}},
    ("scotland_atr", "no_review_sought"): {},
    ("scotland_atr", "no_appeal"): {},
    ("scotland_atr", "submit_offer"): {
        "data": {"offer_submitted_on": "2026-05-25"},
        "facts": {"offer_period_ends_on": D("2026-06-30")},
    },
    ("scotland_atr", "conclude"): {
        "data": {"contract_concluded_on": "2026-05-25"},
        "facts": {"other_requests_open": False},
    },
    ("scotland_atr", "no_contract_appeal"): {
        "data": {"appeal_lodged_on": "2026-05-25"},
        "facts": {"contract_period_ends_on": D("2026-05-20")},
        "deadlines": {"no_contract_appeal": D("2026-06-02")},
    },
    ("scotland_atr", "lapse"): {
        "data": {"lapsed_on": "2026-05-25"},
        "facts": {"offer_period_ends_on": D("2026-05-20")},
    },
    ("scotland_atr", "withdraw"): {},
    ("asset_transfer", "enquire"): {
        "data": {"enquiry_received_on": "2026-05-01", "proposed_use": "A library", "tenure_sought": "long_lease"}
    },
    ("asset_transfer", "check_suitability"): {
        "data": {"checked_on": "2026-05-05", "surplus": "yes", "open_space": "no"}
    },
    ("asset_transfer", "decline"): {"data": {"decided_on": "2026-05-05", "reasons": "Still needed"}},
    ("asset_transfer", "invite_eoi"): {"data": {"eoi_invited_on": "2026-05-06"}},
    ("asset_transfer", "submit_eoi"): {
        "data": {
            "eoi_received_on": "2026-05-10",
            "activities": "Reading groups",
            "community_benefit": "Literacy",
            "track_record": "Ten years",
            "running_costs_plan": "Grants and fees",
            "tenure_sought": "long_lease",
        },
        "facts": {"applicant_eligible": True},
        "deadlines": {"eoi_window": D("2026-05-30")},
    },
    ("asset_transfer", "join_eoi_window"): {
        "facts": {"advertised_window": True, "eoi_window_closes_on": D("2026-06-05")}
    },
    ("asset_transfer", "eoi_window_closes"): {},
    ("asset_transfer", "pass_eoi"): {
        "data": {"eoi_assessed_on": "2026-05-20", "eoi_reasons": "Meets each"},
        "facts": {
            "eoi_criteria": ["Activities", "Support"],
            "eoi_assessment": [
                {"criterion": "Activities", "met": True, "reasons": "Clear"},
                {"criterion": "Support", "met": True, "reasons": "A petition"},
            ],
        },
    },
    ("asset_transfer", "fail_eoi"): {
        "data": {"eoi_assessed_on": "2026-05-20", "reasons": "No funding"},
        "facts": {
            "eoi_criteria": ["Activities", "Support"],
            "eoi_assessment": [
                {"criterion": "Activities", "met": True, "reasons": "Clear"},
                {"criterion": "Support", "met": False, "reasons": "None shown"},
            ],
        },
    },
    ("asset_transfer", "submit_business_case"): {
        "data": {
            "business_case_received_on": "2026-05-20",
            "business_plan": "Plan",
            "funding": "Funding",
            "governance": "Board",
        }
    },
    ("asset_transfer", "recommend"): {"data": {"recommended_on": "2026-05-25"}, "facts": {"scores_complete": True}},
    ("asset_transfer", "return_to_panel"): {},
    ("asset_transfer", "approve"): {
        "data": {"decided_on": "2026-05-25", "tenure": "long_lease", "reasons": "Best", "rivals_outcome": "refuse"},
        "facts": {
            "recommend_approval": True,
            "other_application_approved": False,
            "tenure_offered": True,
            "tied_with": [],
            "ranked_above": [],
            "rivals_open": ["BDC-CAT-00002"],
        },
    },
    ("asset_transfer", "refuse"): {"data": {"decided_on": "2026-05-25", "reasons": "Reasons"}},
    ("asset_transfer", "defer"): {
        "data": {"deferred_on": "2026-05-25", "deferral_reasons": "A valuation", "decide_by": "2026-07-01"}
    },
    ("asset_transfer", "close_as_rival"): {"data": {"decided_on": "2026-05-25", "reasons": "Another approved"}},
    ("asset_transfer", "note_rival_approved"): {
        "data": {"rival_approved_on": "2026-05-25", "rival_approved": "BDC-CAT-00002"}
    },
    ("asset_transfer", "begin_pre_completion"): {
        "data": {"pre_completion_started_on": "2026-05-20", "council_notice_on": "2026-05-20"},
        "facts": {"moratorium_required": True, "running_cycle": None},
    },
    ("asset_transfer", "give_council_notice"): {
        "data": {"council_notice_on": "2026-05-20"},
        "facts": {"moratorium_required": True, "running_cycle": None},
    },
    ("asset_transfer", "record_open_space_advert"): {
        "data": {
            "newspaper": "Borchester Echo",
            "advert_first_published_on": "2026-05-06",
            "advert_second_published_on": "2026-05-13",
            "objections_close_on": "2026-06-03",
        },
        "facts": {"open_space": True, "objections_earliest_close": D("2026-06-03")},
    },
    ("asset_transfer", "record_objections"): {
        "data": {"objections_considered_on": "2026-05-25", "objections_summary": "One objection, answered"},
        "facts": {
            "open_space": True,
            "advert_second_published_on": D("2026-05-13"),
            "objections_close_on": D("2026-05-24"),
        },
    },
    ("asset_transfer", "agree_heads_of_terms"): {
        "data": {"heads_agreed_on": "2026-05-26", "heads_summary": "99 years at a peppercorn"},
        "facts": {"open_space": True, "objections_considered_on": D("2026-05-25")},
    },
    ("asset_transfer", "complete"): {
        "data": {"completed_on": "2026-05-30"},
        "facts": {"open_space": False, "moratorium_running": False, "disposal_barred": False},
    },
    ("asset_transfer", "record_annual_review"): {"data": {"reviewed_on": "2026-05-30", "review_notes": "On track"}},
    ("asset_transfer", "end_agreement"): {"data": {"ended_on": "2026-05-30", "reasons": "Lease surrendered"}},
    ("asset_transfer", "withdraw"): {},
    ("asset_transfer", "lapse"): {},
}

# Where one trigger leaves several states with different fields, what the other states' entries lack.
BY_SOURCE: dict[tuple[str, str, str], Case] = {
    ("scotland_atr", "agree", "representations"): {"data": {"representations_received": "no"}},
    ("scotland_atr", "refuse", "representations"): {"data": {"representations_received": "no"}},
}

FAILING: dict[tuple[str, str, str], Case] = {
    ("acv_listing", "submit", "nomination_contents_complete"): {"facts": {"nomination_contents_missing": ["reasons"]}},
    ("acv_listing", "consider", "nominator_is_eligible"): {"facts": {"nominator_eligible": False}},
    ("acv_listing", "list", "nominator_is_eligible"): {"facts": {"nominator_eligible": False}},
    ("acv_listing", "list", "entry_not_before_decision"): {"data": {"entry_date": "2026-05-19"}},
    ("acv_listing", "request_review", "not_reviewed_before"): {"facts": {"review_decided_on": D("2026-05-01")}},
    ("acv_listing", "request_review", "review_request_in_time"): {
        "deadlines": {"review_request_window": D("2026-05-24")}
    },
    ("acv_listing", "uphold_listing", "reviewer_took_no_part"): {"actor": "officer-1"},
    ("acv_listing", "remove_on_review", "reviewer_took_no_part"): {"actor": "officer-1"},
    ("acv_listing", "appeal", "reviewed_before_appeal"): {"facts": {"review_decided_on": None}},
    ("acv_listing", "appeal", "appeal_in_time"): {"deadlines": {"tribunal_appeal_window": D("2026-05-24")}},
    ("acv_listing", "remove_from_unsuccessful_list", "unsuccessful_entry_five_years_old"): {
        "deadlines": {"unsuccessful_retention": D("2026-06-01")}
    },
    ("moratorium", "give_notice", "asset_is_listed"): {"facts": {"asset_listed": False}},
    ("moratorium", "give_notice", "relevant_disposal"): {"data": {"vacant_possession": "no"}},
    ("moratorium", "give_notice", "no_protected_period_running"): {"facts": {"protected_period_running": True}},
    ("moratorium", "cig_request", "requester_is_a_community_interest_group"): {"facts": {"requester_is_cig": False}},
    ("moratorium", "cig_request", "request_from_a_group_not_yet_asking"): {"facts": {"requester_already_asked": True}},
    ("moratorium", "cig_request", "request_after_notice"): {
        "data": {"request_received_on": "2026-04-30"},
        "deadlines": {"interim_end": D("2026-06-11")},
    },
    ("moratorium", "cig_request", "request_in_interim_period"): {"deadlines": {"interim_end": D("2026-05-09")}},
    ("moratorium", "dispose_to_cig", "acquirer_is_a_community_interest_group"): {"data": {"acquirer_is_cig": False}},
    ("moratorium", "dispose_to_cig", "disposal_after_notice"): {"data": {"disposal_entered_on": "2026-04-01"}},
    ("moratorium", "dispose_to_cig", "disposal_in_protected_period"): {"deadlines": {"protected_end": D("2026-05-19")}},
    ("moratorium", "cig_request_received_in_interim", "request_from_a_group_not_yet_asking"): {
        "facts": {"requester_already_asked": True}
    },
    ("moratorium", "cig_request_received_in_interim", "requester_is_a_community_interest_group"): {
        "facts": {"requester_is_cig": False}
    },
    ("moratorium", "cig_request_received_in_interim", "request_after_notice"): {
        "data": {"request_received_on": "2026-04-30"}
    },
    ("moratorium", "cig_request_received_in_interim", "request_in_interim_period"): {
        "data": {"request_received_on": "2026-05-13"}
    },
    ("moratorium", "cig_request_received_in_interim", "full_moratorium_not_run_yet"): {
        "deadlines": {"full_end": D("2026-05-31")}
    },
    ("moratorium", "dispose", "disposal_after_notice"): {"data": {"disposal_entered_on": "2026-02-27"}},
    ("moratorium", "dispose", "disposal_after_moratorium"): {"data": {"disposal_entered_on": "2026-04-11"}},
    ("moratorium", "dispose", "disposal_in_protected_period"): {"deadlines": {"protected_end": D("2026-05-19")}},
    ("moratorium", "record_breach", "breach_during_moratorium"): {"deadlines": {"interim_end": D("2026-05-19")}},
    ("compensation", "submit", "land_is_or_was_listed"): {"facts": {"land_was_listed": False}},
    ("compensation", "submit", "claimant_is_or_was_the_owner"): {"facts": {"claimant_is_owner": False}},
    ("compensation", "submit", "loss_while_listed"): {"facts": {"listed_from": D("2026-04-02")}},
    ("moratorium", "dispose", "no_asset_transfer_request_bars_disposal"): {"facts": {"disposal_barred": True}},
    ("moratorium", "record_exempt_disposal", "exempt_disposal_while_listed"): {
        "data": {"disposal_entered_on": "2026-03-19"},
        "facts": {"notice_received_on": None},
    },
    ("moratorium", "record_exempt_disposal", "exempt_disposal_in_this_cycle"): {
        "data": {"disposal_entered_on": "2026-03-31"}
    },
    ("moratorium", "record_exempt_disposal", "option_or_obligation_dated"): {"data": {"right_granted_on": None}},
    ("moratorium", "record_exempt_disposal", "exemption_holds"): {"data": {"right_granted_on": "2026-03-20"}},
    ("moratorium", "dispose_to_cig", "no_asset_transfer_request_bars_disposal"): {"facts": {"disposal_barred": True}},
    ("compensation", "submit", "claim_in_time"): {"data": {"loss_ended_on": "2025-12-01"}},
    ("compensation", "submit", "claimant_may_claim"): {"facts": {"claimant_excluded": True}},
    ("compensation", "request_review", "review_request_in_time"): {
        "deadlines": {"review_request_window": D("2026-05-19")}
    },
    ("compensation", "decide_review", "reviewer_took_no_part"): {"actor": "officer-1"},
    ("compensation", "appeal", "appeal_in_time"): {"deadlines": {"tribunal_appeal_window": D("2026-05-24")}},
    ("challenge", "submit", "relevant_body"): {"facts": {"relevant_body": False}},
    ("challenge", "submit", "service_open_to_challenge"): {"facts": {"service_known": False}},
    ("challenge", "submit", "received_when_the_council_accepts_them"): {"facts": {"window_ok": False}},
    ("challenge", "submit", "employee_engagement_described"): {"facts": {"body_is_employee_group": True}},
    ("challenge", "notify_decision_period", "expected_within_published_maximum"): {
        "deadlines": {"decision_due": D("2026-06-15")}
    },
    ("challenge", "accept", "notified_not_before_decision"): {"data": {"decision_notified_on": "2026-05-19"}},
    ("challenge", "accept_modified", "notified_not_before_decision"): {"data": {"decision_notified_on": "2026-05-19"}},
    ("challenge", "accept_modified", "body_agreed_the_modification"): {"data": {"body_agreed_modification": "no"}},
    ("challenge", "reject", "notified_not_before_decision"): {"data": {"decision_notified_on": "2026-05-19"}},
    ("challenge", "start_procurement", "procurement_not_before_published_minimum"): {
        "deadlines": {"procurement_earliest": D("2026-05-26")}
    },
    ("challenge", "start_procurement", "procurement_by_published_maximum"): {
        "deadlines": {"procurement_latest": D("2026-05-24")}
    },
    ("scotland_atr", "submit", "community_transfer_body"): {"facts": {"is_ctb": False}},
    ("scotland_atr", "submit", "ownership_only_by_qualifying_bodies"): {"facts": {"may_own": False}},
    ("scotland_atr", "decline_repeat", "refused_within_two_years"): {"facts": {"refused_within_two_years": False}},
    ("scotland_atr", "validate", "acknowledged_after_validation"): {"data": {"acknowledged_on": "2026-05-04"}},
    ("scotland_atr", "validate", "validation_not_before_request"): {"facts": {"request_received_on": D("2026-05-06")}},
    ("scotland_atr", "give_information", "information_was_asked_for"): {"facts": {"info_requested_on": None}},
    ("scotland_atr", "agree_longer_decision_period", "longer_decision_period_ends_later"): {
        "data": {"decision_due_by": "2026-11-04"}
    },
    ("scotland_atr", "agree_longer_review_period", "longer_review_period_ends_later"): {
        "data": {"review_due_by": "2026-11-03"}
    },
    ("scotland_atr", "extend_contract_period", "longer_contract_period_ends_later"): {
        "data": {"contract_due_by": "2026-11-01"}
    },
    ("scotland_atr", "conclude", "no_other_request_bars_disposal"): {"facts": {"other_requests_open": True}},
    ("scotland_atr", "publish", "representations_period_long_enough"): {
        "data": {"representations_close_on": "2026-05-15"}
    },
    ("scotland_atr", "send_representations", "representations_closed"): {
        "deadlines": {"representations": D("2026-06-01")}
    },
    ("scotland_atr", "agree", "representations_closed"): {"deadlines": {"representations": D("2026-06-01")}},
    ("scotland_atr", "agree", "applicant_has_commented_or_time_is_up"): {"deadlines": {"comments": D("2026-06-01")}},
    ("scotland_atr", "agree", "offer_period_at_least_6_months"): {"data": {"offer_period_ends_on": "2026-10-01"}},
    ("scotland_atr", "refuse", "representations_closed"): {"deadlines": {"representations": D("2026-06-01")}},
    ("scotland_atr", "refuse", "applicant_has_commented_or_time_is_up"): {"deadlines": {"comments": D("2026-06-01")}},
    ("scotland_atr", "request_review", "review_requested_in_time"): {
        "deadlines": {"review_request": D("2026-05-24"), "review_request_terms": D("2026-05-24")}
    },
    ("scotland_atr", "request_review", "review_for_want_of_a_decision_in_time"): {
        "deadlines": {"review_request_no_decision": D("2026-05-24")}
    },
    ("scotland_atr", "request_review", "not_reviewed_before"): {"facts": {"review_decided_on": D("2026-05-01")}},
    ("scotland_atr", "appeal", "appeal_for_want_of_a_review_decision_in_time"): {
        "facts": {"review_period_ends_on": D("2026-05-26")}
    },
    ("scotland_atr", "agree", "no_representations_to_comment_on"): {"data": {"representations_received": "yes"}},
    ("scotland_atr", "refuse", "no_representations_to_comment_on"): {"data": {"representations_received": "yes"}},
    ("scotland_atr", "review_agree", "offer_period_at_least_6_months"): {
        "data": {"offer_period_ends_on": "2026-10-01"}
    },
    ("scotland_atr", "appeal", "appeal_in_time"): {"deadlines": {"appeal": D("2026-05-24")}},
    ("scotland_atr", "ministers_allow", "offer_period_at_least_6_months"): {
        "data": {"offer_period_ends_on": "2026-10-01"}
    },
    ("scotland_atr", "submit_offer", "offer_in_offer_period"): {"facts": {"offer_period_ends_on": D("2026-05-24")}},
    ("scotland_atr", "no_contract_appeal", "no_contract_appeal_in_time"): {
        "deadlines": {"no_contract_appeal": D("2026-05-24")}
    },
    ("scotland_atr", "lapse", "offer_period_over"): {"facts": {"offer_period_ends_on": D("2026-05-30")}},
    ("asset_transfer", "check_suitability", "asset_is_surplus"): {"data": {"surplus": "no"}},
    ("asset_transfer", "submit_eoi", "eoi_in_window"): {"deadlines": {"eoi_window": D("2026-05-09")}},
    ("asset_transfer", "submit_eoi", "applicant_eligible"): {"facts": {"applicant_eligible": False}},
    ("asset_transfer", "recommend", "scores_complete"): {"facts": {"scores_complete": False}},
    ("asset_transfer", "approve", "recommendation_is_to_approve"): {"facts": {"recommend_approval": False}},
    ("asset_transfer", "approve", "no_other_application_approved"): {"facts": {"other_application_approved": True}},
    ("asset_transfer", "approve", "tenure_offered"): {"facts": {"tenure_offered": False}},
    ("asset_transfer", "approve", "tie_explained"): {"facts": {"tied_with": ["BDC-CAT-00002"]}},
    ("asset_transfer", "approve", "departure_from_ranking_explained"): {
        "facts": {"ranked_above": ["BDC-CAT-00002 (86.00%)"]}
    },
    ("asset_transfer", "approve", "rivals_outcome_given"): {"data": {"rivals_outcome": None}},
    ("asset_transfer", "defer", "decide_by_not_in_the_past"): {"data": {"decide_by": "2026-05-31"}},
    ("asset_transfer", "join_eoi_window", "advertised_window_open"): {
        "facts": {"eoi_window_closes_on": D("2026-05-31")}
    },
    ("asset_transfer", "pass_eoi", "eoi_meets_every_criterion"): {
        "facts": {"eoi_assessment": [{"criterion": "Activities", "met": True, "reasons": "Clear"}]}
    },
    ("asset_transfer", "fail_eoi", "eoi_misses_a_criterion"): {
        "facts": {
            "eoi_assessment": [
                {"criterion": "Activities", "met": True, "reasons": "Clear"},
                {"criterion": "Support", "met": True, "reasons": "A petition"},
            ]
        }
    },
    ("asset_transfer", "begin_pre_completion", "council_notice_recorded"): {"data": {"council_notice_on": None}},
    ("asset_transfer", "begin_pre_completion", "no_second_notice_in_a_running_cycle"): {
        "facts": {"running_cycle": "BDC-MOR-00001", "running_cycle_reasons": "the interim moratorium runs"}
    },
    ("asset_transfer", "give_council_notice", "notice_needed"): {"facts": {"running_cycle": "BDC-MOR-00001"}},
    ("asset_transfer", "record_open_space_advert", "objections_period_long_enough"): {
        "data": {"objections_close_on": "2026-06-02"}
    },
    ("asset_transfer", "complete", "no_asset_transfer_request_bars_disposal"): {"facts": {"disposal_barred": True}},
    ("asset_transfer", "record_open_space_advert", "land_is_open_space"): {"facts": {"open_space": False}},
    ("asset_transfer", "record_open_space_advert", "advertised_in_consecutive_weeks"): {
        "data": {"advert_second_published_on": "2026-05-20"}
    },
    ("asset_transfer", "record_objections", "land_is_open_space"): {"facts": {"open_space": False}},
    ("asset_transfer", "record_objections", "advertisement_recorded"): {"facts": {"advert_second_published_on": None}},
    ("asset_transfer", "record_objections", "objections_considered_after_they_close"): {
        "data": {"objections_considered_on": "2026-05-24"}
    },
    ("asset_transfer", "agree_heads_of_terms", "open_space_steps_done"): {"facts": {"objections_considered_on": None}},
    ("asset_transfer", "complete", "open_space_steps_done"): {"facts": {"open_space": True}},
    ("asset_transfer", "complete", "moratorium_over"): {"facts": {"moratorium_running": True}},
}

CASES = [
    (defn, transition, source)
    for defn in registry.all_definitions()
    for transition in defn.transitions
    for source in transition.sources
]


def _id(case: tuple[Definition, Transition, str]) -> str:
    defn, transition, source = case
    return f"{defn.name}:{source}:{transition.trigger}"


def _passing(defn: Definition, transition: Transition, source: str) -> Case:
    base = PASSING[(defn.name, transition.trigger)]
    return _merge(base, BY_SOURCE.get((defn.name, transition.trigger, source), {}))


def _merge(base: Case, change: Case) -> Case:
    merged = {key: dict(base.get(key, {})) for key in ("data", "facts", "deadlines")}
    for key in ("data", "facts", "deadlines"):
        merged[key].update(change.get(key, {}))
    merged["actor"] = change.get("actor", base.get("actor", "officer-1"))
    merged["today"] = change.get("today", base.get("today", TODAY))
    return merged


def _context(transition: Transition, role: Role, case: Case) -> GuardContext:
    return GuardContext(
        role=role,
        today=case.get("today", TODAY),
        actor_id=case.get("actor", "officer-1"),
        data=parse_data(transition, case.get("data", {}), today=case.get("today", TODAY)),
        facts=case.get("facts", {}),
        deadlines=case.get("deadlines", {}),
    )


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_role_of_a_transition_may_use_it_when_every_guard_passes(case: tuple[Definition, Transition, str]) -> None:
    defn, transition, source = case
    passing = _passing(defn, transition, source)
    for role in transition.who:
        outcome = fire(defn, source, transition.trigger, _context(transition, role, passing))
        assert outcome.dest == transition.destination(source)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_other_role_is_refused_with_a_reason(case: tuple[Definition, Transition, str]) -> None:
    defn, transition, source = case
    passing = _passing(defn, transition, source)
    for role in set(Role) - transition.who:
        with pytest.raises(RoleNotAllowed, match="cannot") as refused:
            fire(defn, source, transition.trigger, _context(transition, role, passing))
        assert refused.value.reasons[0].endswith(f"({transition.basis})")


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_guard_alone_can_refuse_the_transition(case: tuple[Definition, Transition, str]) -> None:
    defn, transition, source = case
    passing = _passing(defn, transition, source)
    role = sorted(transition.who)[0]
    for guard in transition.guards:
        change = FAILING.get((defn.name, transition.trigger, guard.name))
        alone = change is not None  # a date bound may refuse beside the bounds of the dates it moves with
        if change is None:
            change = _date_bound_failing(defn, transition, source, guard)
        failing = _merge(passing, change)
        ctx = _context(transition, role, failing)
        with pytest.raises(GuardFailed) as refused:
            fire(defn, source, transition.trigger, ctx)
        expected = cited(guard.explain(ctx), guard.basis)
        assert guard.basis and guard.basis in expected  # every refusal cites its rule
        if alone:
            assert refused.value.reasons == (expected,)
            assert refused.value.citations == (guard.basis,)
        else:
            assert expected in refused.value.reasons
            assert guard.basis in refused.value.citations


@pytest.mark.parametrize("defn", registry.all_definitions(), ids=lambda d: d.name)
def test_a_trigger_from_a_state_without_it_is_refused(defn: Definition) -> None:
    for state in defn.state_ids:
        for trigger in defn.triggers:
            if defn.transition_from(state, trigger) is None:
                ctx = GuardContext(role=Role.SYSTEM, today=TODAY)
                with pytest.raises(TransitionNotAllowed, match="You cannot") as refused:
                    fire(defn, state, trigger, ctx)
                bases = {t.basis for t in defn.transitions if t.trigger == trigger}
                assert all(basis in refused.value.reasons[0] for basis in bases)  # it cites its rule


@pytest.mark.parametrize("case", [c for c in CASES if any(f.required for f in c[1].fields)], ids=_id)
def test_missing_required_data_is_refused_field_by_field(case: tuple[Definition, Transition, str]) -> None:
    _, transition, _ = case
    with pytest.raises(InvalidData) as refused:
        parse_data(transition, {}, today=TODAY)
    assert set(refused.value.errors) == {f.name for f in transition.fields if f.required}
    assert all(message.startswith(("Enter the", "Select the")) for message in refused.value.errors.values())


def test_every_transition_and_guard_has_an_entry_in_these_tables() -> None:
    triggers = {(defn.name, t.trigger) for defn in registry.all_definitions() for t in defn.transitions}
    guards = {(d.name, t.trigger, g.name) for d in registry.all_definitions() for t in d.transitions for g in t.guards}
    assert triggers == set(PASSING)
    assert {g for g in guards if not g[2].endswith(DATE_BOUNDS)} == set(FAILING)


DATE_BOUNDS = ("_after_commencement", "_in_order")


def _bounds(guard: Guard) -> str | None:
    """The date a date bound checks, or None for any other guard."""
    return next((guard.name.removesuffix(end) for end in DATE_BOUNDS if guard.name.endswith(end)), None)


def _date_bound_candidates(defn: Definition, transition: Transition, guard: Guard, passing: Case) -> list[Case]:
    dated = [f.name for f in transition.fields if f.kind is FieldKind.DATE]
    name = _bounds(guard)
    if guard.name.endswith("_after_commencement"):
        back = timedelta(days=365 * 120)
        given = {n: D(passing["data"][n]) for n in dated if passing["data"].get(n)}
        whole_case = {  # every date of the case, recorded ones and time limits too, moved back together
            "data": {n: (when - back).isoformat() for n, when in given.items()},
            "facts": {k: v - back for k, v in passing["facts"].items() if isinstance(v, date)},
            "deadlines": {k: v - back for k, v in passing["deadlines"].items()},
            "today": TODAY - back,  # and the day it is done, for dates that must lie ahead of it
        }
        return [{"data": {name: "1900-01-01"}}, whole_case]
    order = importlib.import_module(f"workflows.{defn.name}").DATE_ORDER
    candidates = []
    for first in order.get(name, ()):
        where = "data" if first in dated else "facts"
        recorded = passing[where].get(first)
        if recorded:  # the date given the day before the one it must follow
            candidates.append({"data": {name: (D(str(recorded)) - timedelta(days=1)).isoformat()}})
        given = passing["data"].get(name)
        if given:  # the date it must follow recorded a day after it
            after = D(given) + timedelta(days=1)
            candidates.append({where: {first: after.isoformat() if where == "data" else after}})
        later = TODAY.isoformat() if where == "data" else TODAY
        candidates.append({"data": {name: "2018-01-01", first: later}} if where == "data" else
                          {"data": {name: "2018-01-01"}, "facts": {first: later}})  # fmt: skip
    return candidates


def _date_bound_failing(defn: Definition, transition: Transition, source: str, guard: Guard) -> Case:
    """A change of dates that makes this date bound refuse and no guard but date bounds: when a transition's
    dates depend on each other (two notices a week apart), moving them all back trips each one's bound."""
    assert _bounds(guard), f"no FAILING entry for {defn.name}.{transition.trigger}: {guard.name}"
    passing = _passing(defn, transition, source)
    role = sorted(transition.who)[0]
    for change in _date_bound_candidates(defn, transition, guard, passing):
        ctx = _context(transition, role, _merge(passing, change))
        failed = [g for g in transition.guards if not g.check(ctx)]
        if guard in failed and all(_bounds(g) for g in failed):
            return change
    raise AssertionError(f"no date makes only date bounds, {guard.name} among them, refuse {transition.trigger}")


@pytest.mark.parametrize("case", [c for c in CASES if any(f.kind is FieldKind.DATE for f in c[1].fields)], ids=_id)
def test_every_dated_transition_refuses_a_date_before_its_regime_commenced(
    case: tuple[Definition, Transition, str],
) -> None:
    defn, transition, source = case
    assert {f"{f.name}_after_commencement" for f in transition.fields if f.kind is FieldKind.DATE} <= {
        g.name for g in transition.guards
    }
    ctx = _context(transition, sorted(transition.who)[0], _merge(_passing(defn, transition, source), {}))
    names = [f.name for f in transition.fields if f.kind is FieldKind.DATE]
    old = _context(
        transition,
        sorted(transition.who)[0],
        _merge(_passing(defn, transition, source), {"data": dict.fromkeys(names, "1900-01-01")}),
    )
    with pytest.raises(GuardFailed) as refused:
        fire(defn, source, transition.trigger, old)
    assert any("1 January 1900" in reason and "commenced" in reason for reason in refused.value.reasons)
    assert fire(defn, source, transition.trigger, ctx).dest == transition.destination(source)


def test_a_date_in_the_future_is_refused_unless_the_field_allows_it() -> None:
    transition = registry.get("acv_listing").transition_from("draft", "submit")
    assert transition is not None
    with pytest.raises(InvalidData, match="today or in the past"):
        parse_data(transition, {"nomination_received_on": "2026-06-02"}, today=TODAY)
    with pytest.raises(InvalidData, match="real date"):
        parse_data(transition, {"nomination_received_on": "2026-02-30"}, today=TODAY)


def test_unknown_data_and_bad_money_are_refused() -> None:
    transition = registry.get("compensation").transition_from("draft", "submit")
    assert transition is not None
    good = PASSING[("compensation", "submit")]["data"]
    with pytest.raises(InvalidData) as refused:
        parse_data(transition, {**good, "amount_claimed": "12.345", "colour": "red"}, today=TODAY)
    assert set(refused.value.errors) == {"amount_claimed", "colour"}
    assert parse_data(transition, good, today=TODAY)["amount_claimed"] == "1250.50"


def test_a_second_group_may_ask_to_bid_during_the_full_moratorium_only_within_the_interim_period() -> None:
    defn = registry.get("moratorium")
    transition = defn.transition_from("full_moratorium", "cig_request")
    assert transition is not None
    ok = _context(transition, Role.OFFICER, PASSING[("moratorium", "cig_request")])
    assert fire(defn, "full_moratorium", "cig_request", ok).dest == "full_moratorium"
    late = _context(
        transition,
        Role.OFFICER,
        _merge(PASSING[("moratorium", "cig_request")], {"deadlines": {"interim_end": D("2026-05-09")}}),
    )
    with pytest.raises(GuardFailed, match="after the time limit ended on Saturday 9 May 2026"):
        fire(defn, "full_moratorium", "cig_request", late)


def test_the_reviewer_independence_refusal_names_the_rule() -> None:
    defn = registry.get("acv_listing")
    transition = defn.transition_from("review_requested", "uphold_listing")
    assert transition is not None
    ctx = replace(_context(transition, Role.REVIEWER, PASSING[("acv_listing", "uphold_listing")]), actor_id="officer-1")
    with pytest.raises(GuardFailed, match="took no part in the original decision"):
        fire(defn, "review_requested", "uphold_listing", ctx)


def _fire(workflow: str, source: str, trigger: str, role: Role, case: Case, change: Case | None = None) -> str:
    defn = registry.get(workflow)
    transition = defn.transition_from(source, trigger)
    assert transition is not None
    return fire(defn, source, trigger, _context(transition, role, _merge(case, change or {}))).dest


LATE_CIG = PASSING[("moratorium", "cig_request_received_in_interim")]


def test_a_request_received_in_the_interim_period_but_recorded_after_it_ended_starts_the_full_moratorium() -> None:
    on_the_last_day = {"data": {"request_received_on": "2026-05-12"}}
    assert _fire("moratorium", "owner_free", "cig_request_received_in_interim", Role.OFFICER, LATE_CIG, on_the_last_day)
    assert registry.get("moratorium").transition_from("owner_free", "cig_request_received_in_interim").dest == (  # type: ignore[union-attr]
        "full_moratorium"
    )


def test_a_request_received_after_the_interim_period_is_refused_with_the_date_it_ended() -> None:
    with pytest.raises(GuardFailed, match="on Wednesday 13 May 2026 was after the time limit ended on Tuesday 12 May"):
        _fire("moratorium", "owner_free", "cig_request_received_in_interim", Role.OFFICER, LATE_CIG,
              {"data": {"request_received_on": "2026-05-13"}})  # fmt: skip


SOLD = PASSING[("moratorium", "dispose")]


def test_a_sale_contracted_during_the_interim_moratorium_is_refused_as_a_breach_even_once_it_has_ended() -> None:
    with pytest.raises(GuardFailed, match=r"during the moratorium, which ended on Saturday 11 April 2026.*s\.95\(1\)"):
        _fire("moratorium", "owner_free", "dispose", Role.OWNER, SOLD, {"data": {"disposal_entered_on": "2026-04-10"}})
    assert _fire(
        "moratorium", "owner_free", "dispose", Role.OWNER, SOLD, {"data": {"disposal_entered_on": "2026-04-12"}}
    )


def test_after_a_full_moratorium_a_sale_must_come_after_the_full_moratorium_not_just_the_interim_one() -> None:
    full = {"deadlines": {"full_end": D("2026-05-20")}, "data": {"disposal_entered_on": "2026-05-20"}}
    with pytest.raises(GuardFailed, match="which ended on Wednesday 20 May 2026"):
        _fire("moratorium", "owner_free", "dispose", Role.OWNER, SOLD, full)
    assert _fire("moratorium", "owner_free", "dispose", Role.OWNER, SOLD, {**full, "data": SALE | {
        "disposal_entered_on": "2026-05-21"}}) == "disposed"  # fmt: skip


def test_without_its_deadlines_a_cycle_works_out_which_moratorium_ran_from_the_notice_and_the_groups() -> None:
    imported = {"facts": {"notice_received_on": D("2025-09-05"), "interested_groups": ["Friends"]}}
    sale = {**SOLD, "deadlines": {"protected_end": D("2027-03-04")}}
    with pytest.raises(GuardFailed, match="which ended on Wednesday 4 March 2026"):  # STATUTE §10 example 2
        _fire("moratorium", "owner_free", "dispose", Role.OWNER, sale,
              {**imported, "data": {"disposal_entered_on": "2026-03-04"}})  # fmt: skip


def test_a_breach_can_be_recorded_once_the_owner_is_free_but_not_for_a_sale_after_the_moratorium() -> None:
    breach = {"deadlines": {"interim_end": D("2026-04-11")}, "data": {"breach_disposal_entered_on": "2026-04-01"}}
    case = PASSING[("moratorium", "record_breach")]
    assert _fire("moratorium", "owner_free", "record_breach", Role.OFFICER, case, breach) == "owner_free"
    later = {**breach, "data": {"breach_disposal_entered_on": "2026-04-12"}}
    with pytest.raises(GuardFailed, match="did not breach it: record it as a sale"):
        _fire("moratorium", "owner_free", "record_breach", Role.OFFICER, case, later)


APPEAL = PASSING[("acv_listing", "appeal")]


@pytest.mark.parametrize("workflow", ["acv_listing", "compensation"])
def test_an_appeal_on_the_last_day_counts_only_if_the_tribunal_received_it_before_five_pm(workflow: str) -> None:
    case = _merge(PASSING[(workflow, "appeal")], {"deadlines": {"tribunal_appeal_window": D("2026-05-30")}})
    source = "listed" if workflow == "acv_listing" else "review_decided"
    before = {"data": {"appeal_lodged_on": "2026-05-30", "appeal_lodged_at": "16:59"}}
    assert _fire(workflow, source, "appeal", Role.OFFICER, case, before) == "appeal_pending"
    with pytest.raises(GuardFailed, match="received at 17:00 on the last day, Saturday 30 May 2026"):
        _fire(workflow, source, "appeal", Role.OFFICER, case, {"data": {**before["data"], "appeal_lodged_at": "17:00"}})
    with pytest.raises(GuardFailed, match="arrived on the last day, Saturday 30 May 2026: record the time"):
        _fire(workflow, source, "appeal", Role.OFFICER, case, {"data": {"appeal_lodged_on": "2026-05-30"}})
    extended = {
        "data": {"appeal_lodged_on": "2026-05-30", "appeal_lodged_at": "18:00", "tribunal_extended_time": "yes"}
    }
    assert _fire(workflow, source, "appeal", Role.OFFICER, case, extended) == "appeal_pending"


def test_an_appeal_before_the_last_day_needs_no_time_and_a_time_must_be_a_real_one() -> None:
    assert _fire("acv_listing", "listed", "appeal", Role.OWNER, APPEAL) == "appeal_pending"
    transition = registry.get("acv_listing").transition_from("listed", "appeal")
    assert transition is not None
    for bad in ("5pm", "25:00", "16:5"):
        with pytest.raises(InvalidData, match="time on the 24-hour clock, like 16:30"):
            parse_data(transition, {**APPEAL["data"], "appeal_lodged_at": bad}, today=TODAY)


def test_when_the_time_for_a_compensation_review_passes_a_late_request_allowed_in_writing_can_still_be_made() -> None:
    defn = registry.get("compensation")
    assert _fire("compensation", "decided", "close", Role.SYSTEM, {}) == "review_time_passed"
    assert not defn.state("review_time_passed").terminal
    late = {
        "data": {"review_request_received_on": "2026-05-25"},
        "deadlines": {"review_request_window": D("2026-05-19")},
    }
    case = PASSING[("compensation", "request_review")]
    with pytest.raises(GuardFailed, match="after the time limit ended on Tuesday 19 May 2026"):
        _fire("compensation", "review_time_passed", "request_review", Role.OWNER, case, late)
    allowed = {**late, "data": {**late["data"], "late_request_allowed_in_writing": "yes"}}
    assert _fire("compensation", "review_time_passed", "request_review", Role.OFFICER, case, allowed) == (
        "review_requested"
    )


def test_when_the_time_for_a_compensation_appeal_passes_an_appeal_the_tribunal_let_in_late_can_be_recorded() -> None:
    assert _fire("compensation", "review_decided", "close", Role.SYSTEM, {}) == "appeal_time_passed"
    late = {"data": {"appeal_lodged_on": "2026-05-31"}, "deadlines": {"tribunal_appeal_window": D("2026-05-30")}}
    case = PASSING[("compensation", "appeal")]
    with pytest.raises(GuardFailed, match="after the time limit ended"):
        _fire("compensation", "appeal_time_passed", "appeal", Role.OWNER, case, late)
    extended = {**late, "data": {**late["data"], "tribunal_extended_time": "yes"}}
    assert _fire("compensation", "appeal_time_passed", "appeal", Role.OWNER, case, extended) == "appeal_pending"


def test_a_listing_removed_on_review_becomes_an_unsuccessful_nomination_whose_five_years_run_from_the_review() -> None:
    defn = registry.get("acv_listing")
    case = PASSING[("acv_listing", "remove_on_review")]
    assert _fire("acv_listing", "review_requested", "remove_on_review", Role.REVIEWER, case) == "unsuccessful"
    retention = defn.timer("unsuccessful_retention")
    assert retention.rule_and_start({"decided_on": D("2026-03-20")}) == ("acv.unsuccessful_retention", "decided_on")
    reviewed = {"decided_on": D("2026-03-20"), "review_decided_on": D("2026-05-20")}
    assert retention.rule_and_start(reviewed) == ("acv.unsuccessful_retention", "review_decided_on")


@pytest.mark.parametrize("trigger", ["consider", "list"])
def test_land_nominated_by_a_body_that_may_not_nominate_is_neither_considered_nor_listed(trigger: str) -> None:
    source = "nomination_received" if trigger == "consider" else "under_consideration"
    ineligible = {"facts": {"nominator_eligible": False, "nominator_eligible_reasons": ["Only the kinds of body"]}}
    with pytest.raises(GuardFailed, match=r"may not make a community nomination.*s\.89\(2\).*: Only the kinds"):
        _fire("acv_listing", source, trigger, Role.OFFICER, PASSING[("acv_listing", trigger)], ineligible)
    reject = PASSING[("acv_listing", "reject")]
    on_that_ground = {"data": {"grounds": "not_a_community_nomination"}, **ineligible}
    assert _fire("acv_listing", source, "reject", Role.OFFICER, reject, on_that_ground) == "unsuccessful"


def test_the_refusals_the_issue_quotes_now_cite_their_rules() -> None:
    """Issue 18 item 11: 'You cannot record a sale after the moratorium when the case is interim moratorium' and
    'The request ... was after the time limit ended' carried no citation, though each guard has one."""
    defn = registry.get("moratorium")
    with pytest.raises(TransitionNotAllowed) as wrong_state:
        fire(defn, "interim_moratorium", "dispose", GuardContext(role=Role.OFFICER, today=TODAY))
    assert wrong_state.value.reasons == (
        (
            "You cannot record a sale after the moratorium when the case is interim moratorium "
            "(LA 2011 s.95(1)-(4), s.96(4))"
        ),
    )
    late = GuardContext(
        role=Role.OFFICER,
        today=TODAY,
        data={"request_received_on": date(2026, 5, 1), "cig_name": "Friends"},
        facts={"requester_is_cig": True, "notice_received_on": date(2026, 3, 1)},
        deadlines={"interim_end": date(2026, 4, 11)},
    )
    with pytest.raises(GuardFailed) as too_late:
        fire(defn, "interim_moratorium", "cig_request", late)
    assert too_late.value.reasons == (
        (
            "The request to be treated as a potential bidder on Friday 1 May 2026 was after the time limit ended on "
            "Saturday 11 April 2026 (LA 2011 s.95(3)(a))"
        ),
    )
    assert too_late.value.citations == ("LA 2011 s.95(3)(a)",)
