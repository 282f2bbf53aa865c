"""The shape of each workflow: reachable states, final ends, timers, notices, one shared machine, diagrams."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from casework import effects
from casework.facts import registry as facts
from workflows import asset_transfer, machines, moratorium, registry
from workflows.definition import Definition, Field, FieldKind, GuardContext, State, Timer, TimerVariant, Transition
from workflows.errors import InvalidDefinition, UnknownWorkflow
from workflows.mermaid import to_mermaid
from workflows.roles import Party, Role

DEFINITIONS = registry.all_definitions()


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.name)
def test_every_state_is_reachable_from_the_initial_state(defn: Definition) -> None:
    reached, frontier = {defn.initial}, [defn.initial]
    while frontier:
        state = frontier.pop()
        for transition in defn.transitions:
            if state in transition.sources and transition.destination(state) not in reached:
                reached.add(transition.destination(state))
                frontier.append(transition.destination(state))
    assert reached == defn.state_ids


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.name)
def test_terminal_states_are_final_and_every_other_state_has_a_way_out(defn: Definition) -> None:
    for state in defn.states:
        leaving = [t for t in defn.transitions if state.id in t.sources and t.destination(state.id) != state.id]
        assert bool(leaving) is not state.terminal, state.id


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.name)
def test_every_transition_cites_its_legal_basis_and_has_a_label(defn: Definition) -> None:
    for transition in defn.transitions:
        assert transition.basis and transition.label[0].isupper()


def told(defn: Definition, trigger: str) -> set[Party]:
    """The parties every transition fired by `trigger` tells (a trigger may leave several states)."""
    told_by_each = [{p for n in t.notices for p in n.parties} for t in defn.transitions if t.trigger == trigger]
    assert told_by_each, trigger
    return set.intersection(*told_by_each)


def test_the_statutory_notices_of_the_notification_matrix_are_declared() -> None:
    """STATUTE.md §3.7: who must be told of a listing, a removal, an owner's notice and a bidder request."""
    listing, moratorium = registry.get("acv_listing"), registry.get("moratorium")
    listed = told(listing, "list")
    assert {
        Party.OWNER,
        Party.OCCUPIER,
        Party.NOMINATOR,
        Party.FREEHOLDER,
        Party.LEASEHOLDERS,
        Party.PARISH_COUNCIL,
    } <= listed
    for removal in ("remove", "remove_on_review", "allow_appeal", "expire", "remove_after_disposal"):
        parties = told(listing, removal)
        assert {Party.OWNER, Party.OCCUPIER, Party.NOMINATOR, Party.PARISH_COUNCIL} <= parties, removal
    assert Party.NOMINATOR in told(moratorium, "give_notice")  # s.97(3)
    assert Party.OWNER in told(moratorium, "cig_request")  # s.98(2)
    assert Party.NOMINATOR in told(listing, "reject")  # s.90(6)


def test_the_moratorium_runs_all_three_clocks_from_the_notice_and_fires_them_itself() -> None:
    moratorium = registry.get("moratorium")
    timers = {t.name: t for t in moratorium.timers}
    assert {t.rule for t in timers.values()} == {"moratorium.interim", "moratorium.full", "moratorium.protected"}
    assert {t.start for t in timers.values()} == {"notice_received_on"}
    assert timers["interim_end"].on_expiry == "interim_ends"
    assert timers["protected_end"].active_in == {"interim_moratorium", "full_moratorium", "owner_free"}


def test_one_machine_is_built_per_definition_version_and_never_per_call() -> None:
    built = machines.machines_built
    defn = registry.get("moratorium")
    ctx = GuardContext(role=Role.SYSTEM, today=date(2026, 6, 1))
    for _ in range(100):
        machines.fire(defn, "interim_moratorium", "interim_ends", ctx)
    assert machines.machines_built == built
    assert machines.machines_held() == len(registry.all_definitions())


def test_a_definition_that_names_a_missing_state_is_refused_when_built() -> None:
    with pytest.raises(InvalidDefinition, match="unknown destination 'nowhere'"):
        Definition(
            "broken",
            1,
            date(2026, 1, 1),
            "Broken",
            "a",
            (State("a", "A"),),
            (
                Transition(
                    trigger="go", source="a", dest="nowhere", who=frozenset({Role.OFFICER}), label="Go", basis="none"
                ),
            ),
        )


def test_a_timer_whose_variant_runs_under_an_unknown_rule_or_date_is_refused_when_built() -> None:
    """A longer period agreed runs under its own rule from its own date: both must exist, as the timer's own do."""
    timer = Timer(
        "decision",
        "policy.decision",
        "received_on",
        frozenset({"a"}),
        "Decision due",
        variant=TimerVariant("decide_by", "no.such_rule", "decide_by"),
    )
    go = Transition(
        trigger="go",
        source="a",
        dest="b",
        who=frozenset({Role.OFFICER}),
        label="Go",
        basis="none",
        fields=(Field("received_on", FieldKind.DATE, "date received"),),
    )
    with pytest.raises(InvalidDefinition) as refused:
        Definition(
            "broken",
            1,
            date(2026, 1, 1),
            "Broken",
            "a",
            (State("a", "A"), State("b", "B", terminal=True)),
            (go,),
            timers=(timer,),
            policy_periods=("decision",),
        )
    assert str(refused.value) == (
        "broken v1: timer decision: unknown rule 'no.such_rule'; timer decision: no date field called 'decide_by'"
    )


def test_a_dormant_state_that_is_also_terminal_is_refused_when_built() -> None:
    """Dormant means closed for now but able to reopen; a terminal state can never be left."""
    with pytest.raises(InvalidDefinition, match="'b': a dormant state is neither terminal nor waits on a timer"):
        Definition(
            "broken",
            1,
            date(2026, 1, 1),
            "Broken",
            "a",
            (State("a", "A"), State("b", "B", terminal=True, dormant=True)),
            (Transition(trigger="go", source="a", dest="b", who=frozenset({Role.OFFICER}), label="Go", basis="none"),),
        )


def test_only_the_compensation_claims_waiting_on_a_late_step_are_dormant() -> None:
    dormant = {(defn.name, state.id) for defn in DEFINITIONS for state in defn.states if state.dormant}
    assert dormant == {("compensation", "review_time_passed"), ("compensation", "appeal_time_passed")}


def test_an_unknown_workflow_lists_the_known_ones() -> None:
    with pytest.raises(
        UnknownWorkflow, match="acv_listing, asset_transfer, challenge, compensation, moratorium, scotland_atr"
    ):
        registry.get("bingo")


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.name)
def test_the_mermaid_diagram_has_every_state_and_every_edge(defn: Definition) -> None:
    diagram = to_mermaid(defn)
    assert diagram.splitlines()[3] == "stateDiagram-v2"
    for state in defn.states:
        assert f'state "{state.label}" as {state.id}' in diagram
    for transition in defn.transitions:
        for source in transition.sources:
            # Each edge is labelled with the transition's title, as people know it, not its trigger id.
            label = transition.label.replace(":", "#58;")  # a colon would end the edge: Mermaid's code for it
            assert f"{source} --> {transition.destination(source)}: {label}" in diagram


def test_available_triggers_offer_only_what_the_role_may_do() -> None:
    listing = registry.get("acv_listing")
    officer = {t.trigger for t in machines.available_triggers(listing, "listed", Role.OFFICER)}
    owner = {t.trigger for t in machines.available_triggers(listing, "listed", Role.OWNER)}
    assert officer == {"request_review", "appeal", "remove", "remove_after_disposal", "amend_after_disposal"}
    assert owner == {"request_review", "appeal"}
    assert machines.available_triggers(listing, "expired", Role.OFFICER) == []


@pytest.mark.parametrize("defn", registry.all_definitions(), ids=lambda d: d.name)
def test_every_notice_a_workflow_sends_has_words_and_renders(defn: Definition) -> None:
    from casework.notifying.notices.content import CONTENT
    from casework.notifying.notices.render import render

    for notice in defn.notices:
        assert notice.template in CONTENT, f"{defn.name}: no words for {notice.template}"
        rendered = render(notice.template, notice.title, {"reference": "BDC-X-1", "asset": "The Bull"})
        assert notice.title in rendered.subject and "{" not in rendered.text


def test_firing_triggers_builds_no_machine_the_shared_one_per_version_is_reused() -> None:
    defn = registry.get("moratorium")
    before = machines.machines_built
    ctx = GuardContext(role=Role.SYSTEM, today=date(2026, 6, 1))
    for _ in range(100):
        assert machines.fire(defn, "interim_moratorium", "interim_ends", ctx).dest == "owner_free"
    assert machines.machines_built == before
    assert machines.machines_held() == len(registry.all_definitions())


def test_every_effect_and_fact_a_transition_names_is_one_casework_implements() -> None:
    named = {defn.key: effects.unknown_effects(defn) + facts.unknown_facts(defn) for defn in registry.all_definitions()}
    assert named == {defn.key: [] for defn in registry.all_definitions()}


def test_an_effect_name_casework_does_not_implement_is_reported() -> None:
    typo = replace(moratorium.DEFINITION.transitions[0], effects=("note_moratorium_on_listin",))
    defn = replace(moratorium.DEFINITION, version=99, transitions=(typo, *moratorium.DEFINITION.transitions[1:]))
    assert effects.unknown_effects(defn) == ["note_moratorium_on_listin"]


def test_a_fact_provider_name_casework_does_not_have_is_reported() -> None:
    typo = replace(moratorium.DEFINITION.transitions[0], facts=("listed_onn",))
    defn = replace(moratorium.DEFINITION, version=99, transitions=(typo, *moratorium.DEFINITION.transitions[1:]))
    assert facts.unknown_facts(defn) == ["listed_onn"]


def test_a_request_to_bid_fires_a_trigger_the_moratorium_offers_in_each_open_state() -> None:
    fired = {state: moratorium.request_to_bid(state) for state in moratorium.OPEN_STATES}
    assert fired["owner_free"] == moratorium.LATE_CIG_REQUEST
    assert all(moratorium.DEFINITION.transition_from(state, trigger) for state, trigger in fired.items())


def test_voided_scores_send_only_a_recommendation_back_to_the_panel() -> None:
    follows = {state.id: asset_transfer.after_scores_voided(state.id) for state in asset_transfer.DEFINITION.states}
    assert {state: trigger for state, trigger in follows.items() if trigger} == {"recommended": "return_to_panel"}
    assert asset_transfer.DEFINITION.transition_from("recommended", "return_to_panel") is not None


@pytest.mark.parametrize("defn", DEFINITIONS, ids=lambda d: d.name)
def test_every_transition_names_its_row_or_section_of_the_statute_notes(defn: Definition) -> None:
    """STATUTE.md numbers each transition of the law (M4, L12, RC5, S17...); a step with no row names its section."""
    for transition in defn.transitions:
        assert re.fullmatch(r"(L|M|C|T|S|RC)\d+|§\d+(\.\d+)*", transition.statute), (
            transition.trigger,
            transition.statute,
        )
