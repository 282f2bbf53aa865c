"""Whole journeys through the pages: a group nominates, an owner gives notice, a group asks to bid, the
public downloads the register. Flask's test client against a real database."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.actors import SYSTEM
from casework.assets import AssetDetails
from casework.clock import london_date, utcnow
from casework.db import Database
from casework.errors import InvalidInput
from casework.examples import load
from casework.models import Case, Subscription
from casework.queries import case_summary
from casework.queries.cases import CaseSummary
from casework.register.exports import PLANNING_DATA_FIELDS
from casework.services import asset_transfers, moratoria, organisations, policies
from casework.services.organisations import OrganisationDetails
from casework.transitions.apply import TransitionResult
from tests.factories import World, list_pub, make_world
from tests.functional.web.conftest import sign_in_as
from workflows.eligibility import BodyType

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_group_registers_nominates_a_pub_with_evidence_and_tracks_it(
    client: FlaskClient, sqlite_db: Database
) -> None:
    make_world(sqlite_db)
    created = client.post(
        "/account/create",
        data={
            "name": "Gina Group",
            "email": "gina@example.org",
            "purpose": "community",
            "password": "a long password",
            "confirm": "a long password",
        },
    )
    assert created.status_code == 302
    group = client.post(
        "/community/groups/new",
        data={
            "name": "Ambridge Pub Society",
            "council": "BDC",
            "body_type": "co_operative_or_community_benefit_society",
            "registration_number": "IP31234",
            "distributes_surplus": "no",
            "is_credit_union": "no",
            "is_public_authority": "no",
            "individual_members": "120",
            "local_elector_members": "90",
            "activity_local": "yes",
            "surplus_local": "yes",
            "email": "society@example.org",
        },
    )
    assert group.status_code == 302, group.get_data(as_text=True)
    start = client.get("/community/nominations/new").get_data(as_text=True)
    group_id = re.search(r'name="group" type="hidden" value="([^"]+)"', start)  # one group: nothing to choose
    assert group_id and "Nominating for" in start
    begun = client.post("/community/nominations/new", data={"group": group_id.group(1), "council": "BDC"})
    step_url = begun.headers["Location"]
    reference = step_url.split("/")[3]
    answers = {
        "asset": {
            "name": "The Bull",
            "address": "1 High Street, Ambridge",
            "postcode": "bs1 4nd",
            "category": "pub",
            "parishes": "Ambridge",
        },
        "land": {"boundary_description": "The pub, garden and car park", "latitude_longitude": "52.195, -2.095"},
        "people": {"occupants": "Bull Inns Ltd", "ownership": "Borchester Brewery plc"},
        "reasons": {"reasons": "The only pub in the village"},
        "evidence": {"eligibility_evidence": "Registered society IP31234; rules attached"},
        "listability": {"residence": "yes", "residence_partly": "yes", "caravan_site": "no", "operational_land": "no"},
    }
    for step, data in answers.items():
        saved = client.post(f"/community/nominations/{reference}/{step}", data=data)
        assert saved.status_code == 302, (step, saved.get_data(as_text=True)[-3000:])
    uploaded = client.post(
        f"/community/nominations/{reference}/evidence-file",
        data={"file": (io.BytesIO(PDF), "rules.pdf"), "description": "Our rules"},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    check = client.get(f"/community/nominations/{reference}/check").get_data(as_text=True)
    assert "The group looks eligible to nominate" in check
    assert "The residence is only partly used as a residence, so it can be listed" in check
    assert "Borchester Brewery plc" in check and "The pub, garden and car park" in check
    version = re.search(r'name="version" type="hidden" value="(\d+)"', check)
    assert version
    sent = client.post(
        f"/community/nominations/{reference}/check", data={"version": version.group(1)}, follow_redirects=True
    )
    page = sent.get_data(as_text=True)
    assert "Nomination sent" in page and "Nomination received" in page and "Your reference number" in page
    assert "Decide the nomination" in page and "rules.pdf" in page
    dashboard = client.get("/community/").get_data(as_text=True)
    assert "The Bull" in dashboard and "Nomination received" in dashboard


def test_an_owner_checks_an_intended_sale_sees_the_dates_and_gives_notice(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    sign_in_as(client, sqlite_db, world.owner.user_id, "owner:")
    url = f"/owner/land/{listing.asset_id}/notice"
    short_lease = client.post(url, data={"disposal_type": "lease", "lease_years": "10", "vacant_possession": "yes"})
    assert "A lease granted for less than 25 years is not a relevant disposal" in short_lease.get_data(as_text=True)
    preview = client.post(url, data={"disposal_type": "freehold", "vacant_possession": "yes"}).get_data(as_text=True)
    assert "Interim moratorium ends" in preview and "Send the notice to the council" in preview
    assert case_summary(sqlite_db, listing.id).state == "listed"
    sent = client.post(
        url, data={"disposal_type": "freehold", "vacant_possession": "yes", "stage": "send"}, follow_redirects=True
    )
    page = sent.get_data(as_text=True)
    assert "Owner&#39;s notice of intended sale sent" in page and "Your reference number" in page
    assert "Interim moratorium ends" in page and "Protected period ends" in page


def test_a_group_that_is_not_a_community_interest_group_is_told_why_it_cannot_bid(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    assert listing.asset_id is not None
    today = london_date(utcnow())  # the request is sent today, so the notice must be recent
    cycle = moratoria.record_owner_notice(
        sqlite_db,
        world.officer,
        listing.asset_id,
        received_on=today - timedelta(days=3),
        notice_method="post",
        disposal_type="freehold",
        vacant_possession=True,
    )
    assert world.member.user_id is not None
    forum = organisations.register_organisation(
        sqlite_db,
        world.council_id,
        OrganisationDetails(name="Ambridge Forum", body_type=BodyType.NEIGHBOURHOOD_FORUM, activity_areas=("BDC",)),
        founder=world.member.user_id,
    )
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    refused = client.post(f"/community/bids/{cycle.reference}", data={"group": str(forum)})
    assert "A designated neighbourhood forum cannot be a community interest group" in refused.get_data(as_text=True)
    accepted = client.post(f"/community/bids/{cycle.reference}", data={"group": str(world.group_id)})
    assert accepted.status_code == 302
    assert case_summary(sqlite_db, cycle.case_id).state == "full_moratorium"


def listed_pub_for_sale(db: Database, world: World, *, days_ago: int) -> tuple[CaseSummary, TransitionResult]:
    """A listed pub and the owner's notice of a freehold sale received `days_ago` days before today."""
    listing = case_summary(db, list_pub(db, world))
    assert listing.asset_id is not None
    cycle = moratoria.record_owner_notice(
        db, world.officer, listing.asset_id, received_on=london_date(utcnow()) - timedelta(days=days_ago),
        notice_method="post", disposal_type="freehold", vacant_possession=True,
    )  # fmt: skip
    return listing, cycle


def test_the_register_entry_still_offers_the_way_to_ask_to_bid_after_one_group_has_asked(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing, cycle = listed_pub_for_sale(sqlite_db, world, days_ago=3)
    assert world.member.user_id is not None
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    assert client.post(f"/community/bids/{cycle.reference}", data={"group": str(world.group_id)}).status_code == 302
    assert case_summary(sqlite_db, cycle.case_id).state == "full_moratorium"
    sign_in_as(client, sqlite_db, None)
    page = client.get(f"/register/BDC/{listing.reference}").get_data(as_text=True)
    assert f'href="/community/bids/{cycle.reference}">Ask to be treated as a potential bidder</a>' in page
    assert "even though another group has already asked" in page


def test_the_register_entry_stops_offering_the_way_to_ask_to_bid_once_the_interim_period_has_ended(
    client: FlaskClient, sqlite_db: Database
) -> None:
    listing, _ = listed_pub_for_sale(sqlite_db, make_world(sqlite_db), days_ago=43)
    page = client.get(f"/register/BDC/{listing.reference}").get_data(as_text=True)
    assert "Interim moratorium ends" in page
    assert "Ask to be treated as a potential bidder" not in page


def test_an_officer_records_the_owner_and_publishes_a_document(client: FlaskClient, sqlite_db: Database) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    client.post(
        "/account/create",
        data={
            "name": "New Owner",
            "email": "new.owner@example.com",
            "purpose": "owner",
            "password": "a long password",
            "confirm": "a long password",
        },
    )
    sign_in_as(client, sqlite_db, world.officer.user_id, "officer:BDC")
    linked = client.post(
        f"/officer/cases/{listing.reference}/owner", data={"email": "new.owner@example.com", "kind": "agent"}
    )
    assert linked.status_code == 302
    missing = client.post(
        f"/officer/cases/{listing.reference}/owner", data={"email": "nobody@example.com", "kind": "owner"}
    )
    assert "There is no account for nobody@example.com" in missing.get_data(as_text=True)
    bad = client.post(
        f"/officer/cases/{listing.reference}/documents",
        data={"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "minutes.pdf")},
        content_type="multipart/form-data",
    )
    assert "The selected file must be a PDF, JPG, PNG, Word (DOCX), OpenDocument text (ODT)" in bad.get_data(
        as_text=True
    )
    page = client.get(f"/officer/cases/{listing.reference}").get_data(as_text=True)
    assert "Publish it with the register entry" in page  # an officer chooses whether the public may see it
    good = client.post(
        f"/officer/cases/{listing.reference}/documents",
        data={"file": (io.BytesIO(PDF), "../../etc/Decision notice.pdf"), "public": "y"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Decision notice.pdf" in good.get_data(as_text=True)
    entry = client.get(f"/register/BDC/{listing.reference}")
    assert entry.status_code == 200


def test_the_register_downloads_carry_the_national_fields_and_the_moratorium_dates(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    listing = case_summary(sqlite_db, list_pub(sqlite_db, world))
    assert listing.asset_id is not None
    moratoria.record_owner_notice(
        sqlite_db,
        world.officer,
        listing.asset_id,
        received_on=date(2026, 4, 1),
        notice_method="post",
        disposal_type="freehold",
        vacant_possession=True,
        now=datetime(2026, 4, 1, 12, tzinfo=UTC),
    )

    rows = list(csv.reader(io.StringIO(client.get("/register.csv").get_data(as_text=True))))
    assert tuple(rows[0]) == PLANNING_DATA_FIELDS
    record = dict(zip(rows[0], rows[1], strict=True))
    assert (record["reference"], record["notification-to-sell-date"], record["start-date"], record["expiry-date"]) == (
        listing.reference,
        "2026-04-01",
        "2026-03-02",  # nominated: the specification's start-date
        "2031-03-19",
    )
    assert record["decision"] == "successful"
    assert record["point"] == "POINT (-2.1 52.2)" and record["organisation"] == "local-authority:BDC"

    geojson = json.loads(client.get("/register.geojson").get_data(as_text=True))
    [feature] = geojson["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [-2.1, 52.2]}
    assert feature["properties"]["interim-moratorium-end-date"] == "2026-05-12"

    ical = client.get("/register.ics").get_data(as_text=True)
    assert "SUMMARY:Interim moratorium ends: The Bull" in ical and "DTSTART;VALUE=DATE:20260512" in ical
    assert "SUMMARY:Protected period ends: The Bull" in ical

    atom = client.get("/register.atom").get_data(as_text=True)
    assert "<title>Owner's notice: The Bull</title>" in atom and "<title>Listed: The Bull</title>" in atom

    unsuccessful = client.get("/register?list_kind=unsuccessful").get_data(as_text=True)
    assert "No entries match" in unsuccessful


def test_a_transfer_enquiry_offers_only_the_tenures_the_councils_policy_offers_and_refuses_others(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    library = asset_transfers.offer_asset(
        sqlite_db, world.officer, AssetDetails(name="Ambridge Library", address="Green")
    )
    policies.publish(
        sqlite_db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    page = client.get(f"/community/transfers/{library}").get_data(as_text=True)
    assert 'value="long_lease"' in page and 'value="freehold"' not in page  # the policy offers no freehold
    form = {"group": str(world.group_id), "proposed_use": "Lending", "tenure_sought": "freehold"}
    refused = client.post(f"/community/transfers/{library}", data=form)
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    with pytest.raises(InvalidInput, match="Select a kind of transfer Borsetshire District Council's policy offers"):
        asset_transfers.start_application(
            sqlite_db, world.member, library, world.group_id, enquiry_received_on=london_date(utcnow()),
            proposed_use="Lending", tenure_sought="freehold",
        )  # fmt: skip
    with sqlite_db.reader() as session:
        assert session.scalars(select(Case).where(Case.workflow == "asset_transfer")).first() is None


def test_an_alert_is_asked_for_and_stopped_in_one_click(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)
    subscribed = client.post(
        "/alerts",
        data={"email": "resident@example.org", "council": "BDC", "kind": "category", "category": "pub"},
        follow_redirects=True,
    )
    assert "We have sent a link to <strong>resident@example.org</strong>" in subscribed.get_data(as_text=True)
    with sqlite_db.reader() as session:
        token = session.scalars(select(Subscription.token)).one()
    page = client.post(f"/alerts/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert "Alerts stopped" in page.get_data(as_text=True)


def test_a_group_asks_for_a_library_and_the_panel_scores_it_on_the_page(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    library = asset_transfers.offer_asset(
        sqlite_db, world.officer, AssetDetails(name="Ambridge Library", address="Green")
    )
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    assert "Ambridge Library" in client.get("/community/transfers").get_data(as_text=True)
    form = {"group": str(world.group_id), "proposed_use": "Lending and a homework club", "tenure_sought": "lease"}
    no_policy = client.post(f"/community/transfers/{library}", data=form).get_data(as_text=True)
    assert "There is a problem" in no_policy and "has not published an asset transfer policy yet" in no_policy
    assert "Lending and a homework club" in no_policy  # what the group typed is kept
    policies.publish(
        sqlite_db, SYSTEM, "BDC", "asset_transfer", load("cat_norwich_style"), effective_from=date(2026, 1, 1)
    )
    sent = client.post(f"/community/transfers/{library}", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Enquiry sent" in sent and "Enquiry received" in sent and "Reply to the enquiry" in sent
    reference = re.search(r"Quote the reference (BDC-CAT-\d+)", sent)
    assert reference
    with sqlite_db.transaction() as session:  # on to the panel; the stages between are tested in integration
        session.scalars(select(Case).where(Case.reference == reference.group(1))).one().state = "panel_assessment"

    sign_in_as(client, sqlite_db, world.officer.user_id, f"officer:{world.code}")
    url = f"/officer/cases/{reference.group(1)}"
    assert "Scores, interests and moderation" in client.get(url).get_data(as_text=True)
    empty = client.post(f"{url}/scores/finance", data={})
    assert empty.status_code == 400 and "Select a score" in empty.get_data(as_text=True)
    client.post(f"{url}/scores/finance", data={"score-finance-score": "2", "score-finance-comment": "Thin reserves"})
    agreed = client.post(f"{url}/moderation/finance", data={"agree-finance-score": "4"})
    assert "differs from the assessors&#39; median of 2" in agreed.get_data(as_text=True)
    sheet = client.get(f"{url}/scores").get_data(as_text=True)
    assert "Thin reserves" in sheet and "Gate" in sheet and "Still to agree" in sheet
    compare = client.get(f"/officer/assets/{library}/applications").get_data(as_text=True)
    assert "Friends of the Bull" in compare and "Not scored" in compare
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    seen_by_group = client.get(f"/cases/{reference.group(1)}").get_data(as_text=True)
    assert "Panel assessment" in seen_by_group and "Thin reserves" not in seen_by_group  # the panel works privately
    assert "Scored financing" not in seen_by_group


def test_a_challenge_outside_the_window_is_explained_and_one_inside_is_received(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    document = load("challenge")
    today = london_date(utcnow())
    closed = (today + timedelta(days=40), today + timedelta(days=60))  # a window that has not opened yet
    document["services"][0]["window"] = {"opens": f"{closed[0]:%m-%d}", "closes": f"{closed[1]:%m-%d}"}
    policies.publish(sqlite_db, SYSTEM, "BDC", "challenge", document, effective_from=date(2026, 1, 1))
    sign_in_as(client, sqlite_db, world.member.user_id, "community_member:")
    assert "Borsetshire District Council" in client.get("/community/challenges/new").get_data(as_text=True)
    eoi = {
        "group": str(world.group_id),
        "service": "libraries",
        "geographical_area": "Ambridge",
        "financial_resources": "£40,000",
        "capability_evidence": "We run the mobile library",
        "outcomes_wellbeing": "Longer hours",
        "outcomes_user_needs": "Home delivery",
    }
    refused = client.post("/community/challenges/new?council=BDC", data=eoi).get_data(as_text=True)
    assert "There is a problem" in refused and "only in its published window" in refused
    sent = client.post("/community/challenges/new?council=BDC", data={**eoi, "service": "parks"}, follow_redirects=True)
    page = sent.get_data(as_text=True)
    assert "Expression of interest sent" in page and "Expression of interest received" in page
    assert "Parks and open spaces maintenance" in page  # the service by its name, in the record of what was sent


def test_an_admin_publishes_a_new_policy_version_after_fixing_what_was_wrong(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    sign_in_as(client, sqlite_db, world.admin.user_id, f"council_admin:{world.code}")
    starter = client.get("/admin/policies/new/asset_transfer/json").get_data(as_text=True)
    assert "Example asset transfer policy modelled on Norwich" in starter
    garbled = client.post("/admin/policies/new/asset_transfer/json", data={"document": "{oops"})
    assert garbled.status_code == 400 and "The policy is not valid JSON" in garbled.get_data(as_text=True)
    document = load("cat_norwich_style")
    del document["periods"]["decision"]
    incomplete = client.post("/admin/policies/new/asset_transfer/json", data={"document": json.dumps(document)})
    assert "Give the length of the period &#39;decision&#39;" in incomplete.get_data(as_text=True)
    published = client.post(
        "/admin/policies/new/asset_transfer/json",
        data={"document": json.dumps(load("cat_dorset_style"))},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Version 1 published" in published and "Financial standing" in published and "At least 3" in published
    listed = client.get("/admin/policies").get_data(as_text=True)
    assert "Example weights" in listed and "Not published yet" in listed  # the challenge policy is still to come


def test_a_scottish_body_answers_the_constitution_questions_and_is_told_it_is_a_transfer_body(
    client: FlaskClient, sqlite_db: Database
) -> None:
    from casework.services import councils

    councils.create_council(sqlite_db, "GLN", "Glenbogle Council", nation="scotland")
    client.post("/account/create", data={"name": "Hamish", "email": "hamish@example.org", "purpose": "community",
                "password": "a long password", "confirm": "a long password"})  # fmt: skip
    group = {
        "name": "Glenbogle Community Trust",
        "council": "GLN",
        "body_type": "scio",
        "distributes_surplus": "no",
        "is_public_authority": "no",
        "individual_members": "40",
        "activity_local": "yes",
        "surplus_local": "yes",
        "email": "trust@example.org",
        "constitution": ["defines_community", "majority_of_members_from_community"],
    }
    made = client.post("/community/groups/new", data=group, follow_redirects=True).get_data(as_text=True)
    assert "Is it a community transfer body (Scotland)?" in made
    assert "Its written constitution must give those members control of the body (s.19(2)(c))" in made
    everything = [
        "defines_community",
        "majority_of_members_from_community",
        "members_from_community_control",
        "membership_open_to_community",
        "aims_include_community_benefit",
        "surplus_applied_for_community",
    ]
    url = re.search(r'action="(/community/groups/[0-9a-f-]+)/evidence"', made)
    assert url
    saved = client.post(url.group(1), data={**group, "constitution": everything}, follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "Its written constitution makes it a community-controlled body (s.19)" in page
    assert 'value="members_from_community_control" checked' in page  # the answers are shown back


def _new_group_form(client: FlaskClient, **answers: str) -> dict[str, str]:
    client.post("/account/create", data={"name": "Nia", "email": "nia@example.org", "purpose": "community",
                "password": "a long password", "confirm": "a long password"})  # fmt: skip
    return {
        "name": "Friends of Ambridge Green",
        "council": "BDC",
        "body_type": "unincorporated",
        "distributes_surplus": "no",
        "is_public_authority": "no",
        "activity_local": "yes",
        "surplus_local": "yes",
        "email": "green@example.org",
        **answers,
    }


def test_registering_a_group_asks_for_the_answers_its_eligibility_needs_instead_of_assuming_no_or_0(
    client: FlaskClient, sqlite_db: Database
) -> None:
    make_world(sqlite_db)
    group = _new_group_form(client)
    blank = client.get("/community/groups/new").get_data(as_text=True)
    assert 'name="individual_members" type="text" value=""' in blank
    assert 'value="0"' not in blank
    no_members = client.post("/community/groups/new", data=group)
    page = no_members.get_data(as_text=True)
    assert no_members.status_code == 200 and "There is a problem" in page
    assert 'href="#individual_members">Enter how many individual members the group has</a>' in page
    assert "Enter how many members are on the electoral register" in page
    society = client.post(
        "/community/groups/new", data={**group, "body_type": "co_operative_or_community_benefit_society"}
    )
    assert 'href="#is_credit_union">Select yes if the society is a credit union</a>' in society.get_data(as_text=True)
    profit = client.post("/community/groups/new", data={**group, "body_type": "other", "distributes_surplus": "yes"})
    assert "Select yes if the group is established for charitable purposes only" in profit.get_data(as_text=True)
    assert "Select yes if the group carries on its activities mainly for the benefit" in profit.get_data(as_text=True)


def test_a_group_that_cannot_nominate_yet_is_not_told_it_can_and_sees_what_is_missing_apart_from_what_is_met(
    client: FlaskClient, sqlite_db: Database
) -> None:
    make_world(sqlite_db)
    group = _new_group_form(client, individual_members="30", local_elector_members="5")
    page = client.post("/community/groups/new", data=group, follow_redirects=True).get_data(as_text=True)
    assert "You can now nominate land for it" not in page
    assert "Before it can nominate land, it must meet the conditions listed as missing" in page
    missing = page.split("Missing:")[1].split("Already met:")[0]
    assert "must be registered electors in the council&#39;s area or a neighbouring area" in missing
    assert "Its activities concern the council" not in missing
    met = page.split("Already met:")[1].split("</ul>")[0]
    assert "Its activities concern the council&#39;s area or a neighbouring area (reg.4(1)(a))" in met
    for never_answered in ("charitable_purposes_only", "community_benefit", "is_credit_union"):
        assert f'name="{never_answered}" type="radio" value="no" checked' not in page, never_answered


def test_a_group_that_can_nominate_is_told_so(client: FlaskClient, sqlite_db: Database) -> None:
    make_world(sqlite_db)
    group = _new_group_form(client, individual_members="30", local_elector_members="25")
    page = client.post("/community/groups/new", data=group, follow_redirects=True).get_data(as_text=True)
    assert "Your group has been registered. You can now nominate land for it." in page
    assert "Missing:" not in page.split("Is it a community interest group")[0]
