"""The date bounds every dated transition carries: the regime's commencement, and the case's own order of events."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from workflows import acv_listing, asset_transfer, challenge, compensation, moratorium, scotland_atr
from workflows.definition import Definition, FieldKind, GuardContext
from workflows.errors import GuardFailed, InvalidData
from workflows.fields import parse_data
from workflows.machines import fire
from workflows.roles import Role

TODAY = date(2026, 12, 4)
LISTING = {
    "decided_on": "1900-01-01",
    "entry_date": "1900-01-01",
    "inclusion_notice_given_on": "1900-01-01",
    "community_value_basis": "current_use",
    "reasons": "Valued",
}
CONSIDERED = {"nomination_received_on": TODAY, "nominator_eligible": True}
# Every refusal ends with the rule it rests on (issue 18 item 11): the regime's commencement, or the case's own order.
ACV_IN_FORCE = " (ACV Regs (SI 2012/2421), in force 21 September 2012; LA 2011 Part 5 Ch.3)"
IN_ORDER = " (A case's record cannot run backwards: an event is not dated before the events it follows)"


def _refusals(defn: Definition, state: str, trigger: str, raw: dict[str, Any], facts: dict[str, Any]) -> list[str]:
    transition = defn.transition_from(state, trigger)
    assert transition is not None
    role = sorted(transition.who)[0]
    data = parse_data(transition, raw, today=TODAY)
    with pytest.raises(GuardFailed) as refused:
        fire(defn, state, trigger, GuardContext(role=role, today=TODAY, actor_id="officer", data=data, facts=facts))
    return list(refused.value.reasons)


def test_a_listing_dated_1900_on_a_nomination_received_in_2026_is_refused_with_every_reason() -> None:
    reasons = _refusals(acv_listing.DEFINITION, "under_consideration", "list", LISTING, CONSIDERED)
    commenced = "cannot be before Friday 21 September 2012, when the assets of community value regime commenced"
    assert reasons == [
        f"The date of the decision, Monday 1 January 1900, {commenced}{ACV_IN_FORCE}",
        f"The date of the entry in the list, Monday 1 January 1900, {commenced}{ACV_IN_FORCE}",
        f"The date written notice of inclusion was given, Monday 1 January 1900, {commenced}{ACV_IN_FORCE}",
        (
            "The date of the decision, Monday 1 January 1900, cannot be before the date the council received the "
            "nomination, Friday 4 December 2026" + IN_ORDER
        ),
    ]


def test_a_decision_before_the_nomination_was_received_is_refused_even_after_the_regime_commenced() -> None:
    raw = {**LISTING, "decided_on": "2026-12-03", "entry_date": "2026-12-04", "inclusion_notice_given_on": "2026-12-04"}
    assert _refusals(acv_listing.DEFINITION, "under_consideration", "list", raw, CONSIDERED) == [
        (
            "The date of the decision, Thursday 3 December 2026, cannot be before the date the council received "
            "the nomination, Friday 4 December 2026" + IN_ORDER
        )
    ]


def test_notice_of_inclusion_before_the_decision_is_refused() -> None:
    raw = {**LISTING, "decided_on": "2026-12-04", "entry_date": "2026-12-04", "inclusion_notice_given_on": "2026-12-03"}
    facts = {**CONSIDERED, "nomination_received_on": date(2026, 12, 1)}
    assert _refusals(acv_listing.DEFINITION, "under_consideration", "list", raw, facts) == [
        (
            "The date written notice of inclusion was given, Thursday 3 December 2026, cannot be before the date "
            "of the decision, Friday 4 December 2026" + IN_ORDER
        )
    ]


def test_a_scottish_request_dated_before_23_january_2017_is_refused_citing_the_act() -> None:
    transition = scotland_atr.DEFINITION.transition_from("received", "decline_repeat")
    assert transition is not None
    guard = next(g for g in transition.guards if g.name == "declined_on_after_commencement")
    assert guard.basis == "CE(S)A 2015 Part 5, in force 23 January 2017"
    ctx = GuardContext(role=Role.OFFICER, today=TODAY, data={"declined_on": date(2017, 1, 22)})
    assert not guard.check(ctx)
    assert "cannot be before Monday 23 January 2017, when Scotland's asset transfer requests commenced" in (
        guard.explain(ctx)
    )
    assert guard.check(GuardContext(role=Role.OFFICER, today=TODAY, data={"declined_on": date(2017, 1, 23)}))


@pytest.mark.parametrize(
    ("defn", "commenced"),
    [
        (acv_listing.DEFINITION, date(2012, 9, 21)),
        (moratorium.DEFINITION, date(2012, 9, 21)),
        (compensation.DEFINITION, date(2012, 9, 21)),
        (challenge.DEFINITION, date(2012, 6, 27)),
        (scotland_atr.DEFINITION, date(2017, 1, 23)),
        (asset_transfer.DEFINITION, date(2012, 1, 1)),
    ],
    ids=lambda value: getattr(value, "name", str(value)),
)
def test_every_dated_action_of_every_workflow_is_bounded_by_its_regime(defn: Definition, commenced: date) -> None:
    for transition in defn.transitions:
        dated = [f.name for f in transition.fields if f.kind is FieldKind.DATE]
        guards = {g.name: g for g in transition.guards}
        assert {name for name in guards if name.endswith("_after_commencement")} == {
            f"{name}_after_commencement" for name in dated
        }, transition.trigger
        for name in dated:
            day_before = GuardContext(
                role=Role.OFFICER, today=TODAY, data={name: date.fromordinal(commenced.toordinal() - 1)}
            )
            on_the_day = GuardContext(role=Role.OFFICER, today=TODAY, data={name: commenced})
            bound = guards[f"{name}_after_commencement"]
            assert not bound.check(day_before), (transition.trigger, name)
            assert bound.check(on_the_day), (transition.trigger, name)


def test_a_decision_dated_in_the_future_is_refused_as_it_has_already_happened() -> None:
    transition = acv_listing.DEFINITION.transition_from("under_consideration", "list")
    assert transition is not None
    with pytest.raises(InvalidData) as refused:
        parse_data(transition, {**LISTING, "decided_on": "2026-12-05"}, today=TODAY)
    assert refused.value.errors["decided_on"] == "The date of the decision must be today or in the past"
