"""Groups named on a case they did not start: a bidder and the nominator read the disposal cycle, and act
on it only where the workflow lets any group act (asking to bid)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.clock import london_date, utcnow
from casework.db import Database
from casework.models import Case
from casework.queries import case_summary
from casework.services import accounts, credentials, moratoria, organisations
from casework.services.accounts import RoleGrant
from casework.services.organisations import OrganisationDetails
from tests.factories import World, list_pub, make_world
from tests.functional.web.conftest import make_app, sign_in_as
from workflows.eligibility import BodyType
from workflows.roles import Role

pytestmark = pytest.mark.integration


def cig_member(db: Database, world: World, *, name: str = "Ambridge Pub Society") -> tuple[uuid.UUID, uuid.UUID]:
    """A member of a second group in the council's area that is a community interest group: (user, group)."""
    group = organisations.register_organisation(
        db,
        world.council_id,
        OrganisationDetails(
            name=name,
            body_type=BodyType.COMPANY_LIMITED_BY_GUARANTEE,
            company_number="07654321",
            activity_areas=(world.code,),
            surplus_areas=(world.code,),
        ),
    )
    email = f"{name.split()[1].lower()}@example.org"
    user = accounts.create_user(
        db, email, "Sam Society", grants=(RoleGrant(Role.COMMUNITY_MEMBER, organisation_id=group),)
    )
    return user, group


def cycle_with_bidder(db: Database, world: World) -> tuple[str, uuid.UUID, uuid.UUID]:
    """A listed pub whose owner gave notice three days ago; a second group asked to bid. (reference, user, group)"""
    listing = case_summary(db, list_pub(db, world))
    assert listing.asset_id is not None
    cycle = moratoria.record_owner_notice(
        db, world.owner, listing.asset_id, received_on=london_date(utcnow()) - timedelta(days=3),
        notice_method="email", disposal_type="freehold", vacant_possession=True,
    )  # fmt: skip
    user, group = cig_member(db, world)
    bidder = accounts.actor_for(db, user, Role.COMMUNITY_MEMBER)
    moratoria.record_bidder_request(db, bidder, cycle.case_id, group, received_on=london_date(utcnow()))
    return cycle.reference, user, group


def test_a_group_that_asked_to_bid_reads_the_case_on_its_dashboard_page_and_in_the_api(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    reference, user, _ = cycle_with_bidder(sqlite_db, world)
    sign_in_as(client, sqlite_db, user, "community_member:")
    assert reference in client.get("/community/").get_data(as_text=True)

    page = client.get(f"/cases/{reference}")

    html = page.get_data(as_text=True)
    assert page.status_code == 200, html
    assert "Full moratorium" in html and "Protected period" in html
    assert "Upload" not in html  # a party reads the case; it adds nothing to the owner's file
    token = credentials.create_api_token(sqlite_db, user, "tests", Role.COMMUNITY_MEMBER).token
    api = client.get(f"/api/v1/cases/{reference}", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and api.get_json()["state"] == "full_moratorium"
    assert api.get_json()["parties"] == [] and api.get_json()["deliveries"] == []  # the council's working stays private


def test_a_bidder_cannot_take_the_owners_actions_on_the_case_it_reads(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    reference, user, _ = cycle_with_bidder(sqlite_db, world)
    sign_in_as(client, sqlite_db, user, "community_member:")
    version = version_of(sqlite_db, reference)

    offered = client.get(f"/cases/{reference}").get_data(as_text=True)
    taken = client.post(f"/cases/{reference}/actions/dispose_to_cig", data={"version": version})

    assert "/actions/dispose_to_cig" not in offered and "/actions/record_exempt_disposal" not in offered
    assert taken.status_code == 404
    token = credentials.create_api_token(sqlite_db, user, "tests", Role.COMMUNITY_MEMBER).token
    refused = client.post(
        f"/api/v1/cases/{reference}/transitions",
        headers={"Authorization": f"Bearer {token}"},
        json={"trigger": "record_exempt_disposal", "expected_version": version, "data": {}},
    )
    assert refused.status_code == 403
    assert version_of(sqlite_db, reference) == version


def test_the_group_that_nominated_the_land_reads_the_owners_notice_on_it(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    reference, _, _ = cycle_with_bidder(sqlite_db, world)
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")

    assert client.get(f"/cases/{reference}").status_code == 200


def test_a_group_not_named_on_the_case_is_still_turned_away(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    reference, _, _ = cycle_with_bidder(sqlite_db, world)
    outsider, _ = cig_member(sqlite_db, world, name="Ambridge Cricket Club")
    sign_in_as(client, sqlite_db, outsider, "community_member:")

    page = client.get(f"/cases/{reference}")

    assert page.status_code == 403
    assert "You can only see your own group&#39;s cases" in page.get_data(as_text=True)


def version_of(db: Database, reference: str) -> int:
    with db.reader() as session:
        return session.scalars(select(Case.version).where(Case.reference == reference)).one()


def test_the_dashboard_lists_the_cycle_a_group_asked_to_bid_in_on_both_databases(db: Database, tmp_path: Path) -> None:
    world = make_world(db)
    reference, user, _ = cycle_with_bidder(db, world)
    outsider, _ = cig_member(db, world, name="Ambridge Cricket Club")
    with make_app(db, tmp_path).test_client() as client:
        sign_in_as(client, db, user, "community_member:")
        bidder = client.get("/community/").get_data(as_text=True)
        sign_in_as(client, db, outsider, "community_member:")
        stranger = client.get("/community/").get_data(as_text=True)

    assert reference in bidder and reference not in stranger


def test_the_group_page_says_whether_the_group_is_a_community_interest_group_and_why(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    assert world.member.user_id is not None
    forum = organisations.register_organisation(
        sqlite_db,
        world.council_id,
        OrganisationDetails(name="Ambridge Forum", body_type=BodyType.NEIGHBOURHOOD_FORUM, activity_areas=("BDC",)),
        founder=world.member.user_id,
    )
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")

    company = client.get(f"/community/groups/{world.group_id}").get_data(as_text=True)
    neighbourhood_forum = client.get(f"/community/groups/{forum}").get_data(as_text=True)

    question = "Is it a community interest group (can it ask to bid when an owner wants to sell)?"
    assert question in company and question in neighbourhood_forum
    answer = company.split(question, 1)[1][:600]
    assert "Looks eligible" in answer
    assert "A designated neighbourhood forum cannot be a community interest group" in neighbourhood_forum


def test_an_officer_records_a_groups_written_request_to_bid_choosing_the_group_and_the_day_it_arrived(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    assert listing.asset_id is not None
    notice = london_date(utcnow()) - timedelta(days=10)
    cycle = moratoria.record_owner_notice(  # a paper notice, recorded by an officer with the day it arrived
        sqlite_db, world.officer, listing.asset_id, received_on=notice, notice_method="post",
        disposal_type="freehold", vacant_possession=True,
    )  # fmt: skip
    _, cig = cig_member(sqlite_db, world)
    forum = organisations.register_organisation(  # an unincorporated group may nominate, but not bid (reg.12)
        sqlite_db, world.council_id, OrganisationDetails(name="Ambridge Drinkers", body_type=BodyType.UNINCORPORATED,
                                                         individual_members=40, local_elector_members=30,
                                                         activity_areas=(world.code,)),
    )  # fmt: skip
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    case_page = client.get(f"/officer/cases/{cycle.reference}").get_data(as_text=True)
    url = f"/officer/cases/{cycle.reference}/bidder-request"
    assert url in case_page  # the case page's action goes to this page, not to a form without the group
    version = str(case_summary(sqlite_db, cycle.case_id).version)
    arrived = notice + timedelta(days=2)
    when = [str(arrived.day), str(arrived.month), str(arrived.year)]

    not_a_cig = client.post(url, data={"version": version, "group": str(forum), "received_on": when})
    assert not_a_cig.status_code == 200
    assert "community interest group" in not_a_cig.get_data(as_text=True)
    assert case_summary(sqlite_db, cycle.case_id).state == "interim_moratorium"

    recorded = client.post(url, data={"version": version, "group": str(cig), "received_on": when})
    assert recorded.status_code == 302
    after = case_summary(sqlite_db, cycle.case_id)
    assert after.state == "full_moratorium" and after.facts["request_received_on"] == arrived.isoformat()
    assert "Ambridge Pub Society" in after.facts["interested_groups"]
