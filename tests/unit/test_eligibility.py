"""Who may nominate and who may ask to bid (LA 2011 s.89; ACV Regs regs 4, 5, 12)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workflows.eligibility import (
    Body,
    BodyType,
    Land,
    eligible_nominator,
    has_local_connection,
    is_community_interest_group,
    is_voluntary_or_community_body,
)

LAND = Land(council="BDC", neighbouring_councils=frozenset({"FCC"}), parishes=frozenset({"Ambridge"}))
LOCAL = frozenset({"BDC"})
CLG = Body(BodyType.COMPANY_LIMITED_BY_GUARANTEE, activity_areas=LOCAL, surplus_areas=LOCAL)
UNINCORPORATED = Body(
    BodyType.UNINCORPORATED, individual_members=30, local_elector_members=21, activity_areas=LOCAL, surplus_areas=LOCAL
)
PARISH = Body(BodyType.PARISH_COUNCIL, parish="Ambridge", is_public_or_local_authority=True)


def test_an_unincorporated_group_needs_twenty_one_members_not_twelve() -> None:
    assert eligible_nominator(UNINCORPORATED, LAND).ok
    small = replace(UNINCORPORATED, individual_members=20, local_elector_members=20)
    verdict = eligible_nominator(small, LAND)
    assert not verdict.ok
    assert "at least 21 individual members" in verdict.reasons[0]


def test_twenty_one_members_must_also_be_local_electors() -> None:
    verdict = eligible_nominator(replace(UNINCORPORATED, local_elector_members=12), LAND)
    assert not verdict.ok
    assert any("registered electors" in reason for reason in verdict.reasons)


def test_a_body_working_only_in_a_neighbouring_area_has_a_local_connection() -> None:
    neighbour = replace(CLG, activity_areas=frozenset({"FCC"}), surplus_areas=frozenset({"FCC"}))
    assert has_local_connection(neighbour, LAND).ok
    far = replace(CLG, activity_areas=frozenset({"XYZ"}), surplus_areas=frozenset({"XYZ"}))
    assert not has_local_connection(far, LAND).ok


def test_a_company_must_also_spend_its_surplus_locally() -> None:
    verdict = has_local_connection(replace(CLG, surplus_areas=frozenset()), LAND)
    assert not verdict.ok and "reg.4(1)(b)" in " ".join(verdict.reasons)


def test_a_community_interest_company_is_not_asked_about_its_surplus() -> None:
    cic = Body(BodyType.COMMUNITY_INTEREST_COMPANY, activity_areas=LOCAL)
    assert eligible_nominator(cic, LAND).ok and is_community_interest_group(cic, LAND).ok


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (replace(CLG, distributes_surplus_to_members=True), "must not distribute any surplus"),
        (Body(BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY, is_credit_union=True), "credit union"),
        (Body(BodyType.CHARITY, is_public_or_local_authority=True), "public or local authority"),
        (Body(BodyType.OTHER), "Only the kinds of body listed"),
    ],
)
def test_bodies_that_are_not_voluntary_or_community_bodies_are_told_why(body: Body, reason: str) -> None:
    verdict = is_voluntary_or_community_body(body)
    assert not verdict.ok and reason in verdict.reasons[0]


def test_a_parish_council_nominates_land_in_its_own_area_and_is_a_cig_there() -> None:
    assert eligible_nominator(PARISH, LAND).ok
    assert is_community_interest_group(PARISH, LAND).ok


def test_a_parish_council_nominates_land_in_an_adjoining_parish_but_cannot_ask_to_bid_on_it() -> None:
    next_door = replace(PARISH, parish="Loxley", adjoining_parishes=frozenset({"Ambridge"}))
    assert eligible_nominator(next_door, LAND).ok
    verdict = is_community_interest_group(next_door, LAND)
    assert not verdict.ok and "reg.12(a)" in verdict.reasons[0]


def test_a_parish_council_reaches_unparished_land_of_a_council_its_area_adjoins() -> None:
    unparished = Land(council="BDC", neighbouring_councils=frozenset({"FCC"}))
    parish = replace(PARISH, parish="Loxley", parish_councils=frozenset({"BDC"}))
    assert eligible_nominator(parish, unparished).ok
    assert not eligible_nominator(replace(parish, parish_councils=frozenset({"XYZ"})), unparished).ok


def test_a_neighbourhood_forum_or_an_unincorporated_group_may_nominate_but_not_ask_to_bid() -> None:
    forum = Body(BodyType.NEIGHBOURHOOD_FORUM, activity_areas=LOCAL)
    for body in (forum, UNINCORPORATED):
        assert eligible_nominator(body, LAND).ok
        verdict = is_community_interest_group(body, LAND)
        assert not verdict.ok and "cannot be a community interest group" in verdict.reasons[0]


def test_a_charity_with_a_local_connection_is_a_community_interest_group() -> None:
    charity = Body(BodyType.CHARITY, activity_areas=LOCAL)
    assert is_community_interest_group(charity, LAND).ok
    assert not is_community_interest_group(replace(charity, activity_areas=frozenset()), LAND).ok
