"""Every transition of every definition: allowed for its roles, refused for the others, and refused by each guard.

PASSING gives, per (workflow, trigger), data and facts that satisfy every
guard; FAILING gives, per guard, the change that makes exactly that guard
refuse. A new transition or guard without an entry here fails the suite.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from workflows import registry
from workflows.definition import Definition, GuardContext, Transition
from workflows.engine import fire, parse_data
from workflows.errors import GuardFailed, InvalidData, RoleNotAllowed, TransitionNotAllowed
from workflows.roles import Role

TODAY = date(2026, 6, 1)
D = date.fromisoformat
Case = dict[str, Any]  # {"data": ..., "facts": ..., "deadlines": ..., "actor": ...}

REVIEW = {"review_decided_on": "2026-05-20", "review_decision_sent_on": "2026-05-21", "reasons": "Reasons"}
SALE = {"disposal_entered_on": "2026-05-20", "acquirer_name": "A Buyer", "whole_or_part": "whole"}
NOTICE_FACTS = {"notice_received_on": D("2026-05-01")}

PASSING: dict[tuple[str, str], Case] = {
    ("acv_listing", "submit"): {
        "data": {"nomination_received_on": "2026-05-01"},
        "facts": {"nomination_contents_missing": []},
    },
    ("acv_listing", "withdraw"): {},
    ("acv_listing", "consider"): {},
    ("acv_listing", "list"): {
        "data": {
            "decided_on": "2026-05-20",
            "entry_date": "2026-05-20",
            "inclusion_notice_given_on": "2026-05-21",
            "community_value_basis": "current_use",
            "reasons": "Reasons",
        }
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
    ("moratorium", "interim_ends"): {},
    ("moratorium", "full_ends"): {},
    ("moratorium", "dispose_to_cig"): {
        "data": {**SALE, "acquirer_is_cig": True},
        "facts": NOTICE_FACTS,
        "deadlines": {"protected_end": D("2027-10-31")},
    },
    ("moratorium", "dispose"): {"data": SALE, "facts": NOTICE_FACTS, "deadlines": {"protected_end": D("2027-10-31")}},
    ("moratorium", "protected_ends"): {},
    ("moratorium", "record_exempt_disposal"): {
        "data": {"disposal_entered_on": "2026-05-20", "exemption": "gift", "disposal_details": "To a daughter"}
    },
    ("moratorium", "listing_ended"): {},
    ("moratorium", "record_breach"): {"data": {"breach_disposal_entered_on": "2026-05-20", "breach_details": "x"}},
    ("compensation", "submit"): {
        "data": {
            "claim_received_on": "2026-05-01",
            "loss_ended_on": "2026-04-01",
            "amount_claimed": "£1,250.50",
            "claim_parts": "Legal fees: 1250.50",
        },
        "facts": {"claimant_excluded": False},
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
}

FAILING: dict[tuple[str, str, str], Case] = {
    ("acv_listing", "submit", "nomination_contents_complete"): {"facts": {"nomination_contents_missing": ["reasons"]}},
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
    ("moratorium", "cig_request", "request_after_notice"): {
        "data": {"request_received_on": "2026-04-30"},
        "deadlines": {"interim_end": D("2026-06-11")},
    },
    ("moratorium", "cig_request", "request_in_interim_period"): {"deadlines": {"interim_end": D("2026-05-09")}},
    ("moratorium", "dispose_to_cig", "acquirer_is_a_community_interest_group"): {"data": {"acquirer_is_cig": False}},
    ("moratorium", "dispose_to_cig", "disposal_after_notice"): {"data": {"disposal_entered_on": "2026-04-01"}},
    ("moratorium", "dispose_to_cig", "disposal_in_protected_period"): {"deadlines": {"protected_end": D("2026-05-19")}},
    ("moratorium", "dispose", "disposal_after_notice"): {"data": {"disposal_entered_on": "2026-04-01"}},
    ("moratorium", "dispose", "disposal_in_protected_period"): {"deadlines": {"protected_end": D("2026-05-19")}},
    ("compensation", "submit", "claim_in_time"): {"data": {"loss_ended_on": "2025-12-01"}},
    ("compensation", "submit", "claimant_may_claim"): {"facts": {"claimant_excluded": True}},
    ("compensation", "request_review", "review_request_in_time"): {
        "deadlines": {"review_request_window": D("2026-05-19")}
    },
    ("compensation", "decide_review", "reviewer_took_no_part"): {"actor": "officer-1"},
    ("compensation", "appeal", "appeal_in_time"): {"deadlines": {"tribunal_appeal_window": D("2026-05-24")}},
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


def _merge(base: Case, change: Case) -> Case:
    merged = {key: dict(base.get(key, {})) for key in ("data", "facts", "deadlines")}
    for key in ("data", "facts", "deadlines"):
        merged[key].update(change.get(key, {}))
    merged["actor"] = change.get("actor", base.get("actor", "officer-1"))
    return merged


def _context(transition: Transition, role: Role, case: Case) -> GuardContext:
    return GuardContext(
        role=role,
        today=TODAY,
        actor_id=case.get("actor", "officer-1"),
        data=parse_data(transition, case.get("data", {}), today=TODAY),
        facts=case.get("facts", {}),
        deadlines=case.get("deadlines", {}),
    )


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_role_of_a_transition_may_use_it_when_every_guard_passes(case: tuple[Definition, Transition, str]) -> None:
    defn, transition, source = case
    passing = PASSING[(defn.name, transition.trigger)]
    for role in transition.roles:
        outcome = fire(defn, source, transition.trigger, _context(transition, role, passing))
        assert outcome.dest == transition.destination(source)


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_every_other_role_is_refused_with_a_reason(case: tuple[Definition, Transition, str]) -> None:
    defn, transition, source = case
    passing = PASSING[(defn.name, transition.trigger)]
    for role in set(Role) - transition.roles:
        with pytest.raises(RoleNotAllowed, match="cannot"):
            fire(defn, source, transition.trigger, _context(transition, role, passing))


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_guard_alone_can_refuse_the_transition(case: tuple[Definition, Transition, str]) -> None:
    defn, transition, source = case
    passing = PASSING[(defn.name, transition.trigger)]
    role = sorted(transition.roles)[0]
    for guard in transition.guards:
        failing = _merge(passing, FAILING[(defn.name, transition.trigger, guard.name)])
        ctx = _context(transition, role, failing)
        with pytest.raises(GuardFailed) as refused:
            fire(defn, source, transition.trigger, ctx)
        assert refused.value.reasons == (guard.explain(ctx),)


@pytest.mark.parametrize("defn", registry.all_definitions(), ids=lambda d: d.name)
def test_a_trigger_from_a_state_without_it_is_refused(defn: Definition) -> None:
    for state in defn.state_ids:
        for trigger in defn.triggers:
            if defn.transition_from(state, trigger) is None:
                ctx = GuardContext(role=Role.SYSTEM, today=TODAY)
                with pytest.raises(TransitionNotAllowed, match="You cannot"):
                    fire(defn, state, trigger, ctx)


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
    assert guards == set(FAILING)


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
