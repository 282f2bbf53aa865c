"""Demonstration data for `make run`: a council, one user per role, a pub, a library and a park, and postcodes.

Dates are set relative to today, so the demo always shows live clocks: a pub in
its full moratorium, a library nomination nearing its decision date, a park
just nominated, and a shop on the unsuccessful list. Loading twice does nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from casework import clock, examples
from casework.actors import SYSTEM, Actor
from casework.assets import AssetDetails, PartyDetails
from casework.db import Database
from casework.models import Council, User
from casework.queries import case_summary
from casework.services import (
    accounts,
    asset_transfers,
    challenges,
    council_details,
    councils,
    moratoria,
    nominations,
    organisations,
    parties,
    policies,
    postcodes,
)
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import apply_transition
from casework.services.council_details import ContactChanges
from casework.services.organisations import OrganisationDetails
from workflows.checklists import LandAnswers
from workflows.eligibility import BodyType
from workflows.roles import STAFF_ROLES, Role

CODE = "BDC"
NEIGHBOUR = "FCC"
PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts only, printed for the person trying the service
USERS = (
    ("officer@borsetshire.example.gov.uk", "Olivia Officer", Role.OFFICER),
    ("reviewer@borsetshire.example.gov.uk", "Rupert Reviewer", Role.REVIEWER),
    ("admin@borsetshire.example.gov.uk", "Ada Admin", Role.COUNCIL_ADMIN),
    ("member@friendsofthebull.example.org", "Mia Member", Role.COMMUNITY_MEMBER),
    ("owner@borchesterbrewery.example.com", "Oscar Owner", Role.OWNER),
)


def credentials() -> str:
    lines = [f"Demo users (password for each: {PASSWORD})"]
    lines += [f"  {role.value:17} {email}" for email, _, role in USERS]
    return "\n".join(lines)


def is_loaded(db: Database) -> bool:
    """Whether the demo sign-ins exist, so that they are offered only where they work."""
    with db.reader() as session:
        return session.scalars(select(User.id).where(User.email == USERS[0][0])).first() is not None


def load(db: Database, *, today: date | None = None) -> str:
    """Load the demo council and its cases, unless already there; returns what to print."""
    with db.reader() as session:
        if session.scalars(select(Council.id).where(Council.code == CODE)).first() is not None:
            return "Demo data is already loaded.\n" + credentials()
    today = today or clock.london_date(clock.utcnow())
    council_id = councils.create_council(db, CODE, "Borsetshire District Council", email="acv@borsetshire.example")
    councils.create_council(db, NEIGHBOUR, "Felpersham City Council")
    councils.set_neighbours(db, CODE, [NEIGHBOUR])
    friends = organisations.register_organisation(
        db,
        council_id,
        OrganisationDetails(
            name="Friends of the Bull",
            body_type=BodyType.COMPANY_LIMITED_BY_GUARANTEE,
            company_number="09876543",
            activity_areas=(CODE,),
            surplus_areas=(CODE,),
            email="hello@friendsofthebull.example.org",
            local_connection_evidence="Articles of association: objects limited to Ambridge and Borsetshire",
        ),
    )
    organisations.register_organisation(
        db,
        council_id,
        OrganisationDetails(
            name="Ambridge Parish Council",
            body_type=BodyType.PARISH_COUNCIL,
            parish="Ambridge",
            is_public_authority=True,
            email="clerk@ambridge-pc.example.org",
        ),
    )
    actors = _users(db, friends)
    postcodes.load(db, [examples.postcode_file()])  # a few of Borsetshire's, so that alerts by postcode work
    council_details.set_my_details(  # the footer and accessibility statement show how to reach the council
        db,
        actors[Role.COUNCIL_ADMIN],
        ContactChanges(
            email="acv@borsetshire.example",
            phone="01632 960 001",
            address="Council Offices, Market Square\nBorchester\nBC1 1AA",
            website="https://www.borsetshire.example/contact",
        ),
    )
    _cases(db, council_id, friends, actors, today)
    _transfers_and_challenges(db, friends, actors, today)
    return f"Loaded demo data for Borsetshire District Council ({CODE}).\n" + credentials()


def _users(db: Database, friends: uuid.UUID) -> dict[Role, Actor]:
    actors = {}
    for email, name, role in USERS:
        staff = role in STAFF_ROLES
        grants = {
            Role.COMMUNITY_MEMBER: (RoleGrant(role, organisation_id=friends),),
            Role.OWNER: (RoleGrant(role),),
        }.get(role, (RoleGrant(role, council_code=CODE),))
        user_id = accounts.create_user(db, email, name, password=PASSWORD, grants=grants)
        actors[role] = accounts.actor_for(db, user_id, role, CODE if staff else None)
    return actors


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


def _nomination(
    name: str,
    address: str,
    category: str,
    point: str,
    reasons: str,
    *,
    uprn: str,
    owners: tuple[PartyDetails, ...] = (),
    flat_above: bool = False,
    boundary: str | None = None,
) -> nominations.Nomination:
    return nominations.Nomination(
        asset=AssetDetails(
            name=name,
            address=address,
            category=category,
            parishes=("Ambridge",),
            point=point,
            boundary=boundary,
            ward="Ambridge and Loxley",
            postcode="BS1 4ND",
            uprn=uprn,
        ),
        boundary_description=f"{name}, its grounds and car park, as outlined on the attached plan",
        occupants="Not known" if not owners else "The tenant landlord, Bull Inns Ltd",
        ownership="; ".join(f"{o.name}, {o.address}" for o in owners) or "Not known",
        reasons=reasons,
        eligibility_evidence="Company limited by guarantee 09876543; articles and membership list attached",
        owners=owners,
        land=LandAnswers(residence=flat_above, residence_partly_other_use=flat_above),
    )


def _cases(db: Database, council_id: uuid.UUID, friends: uuid.UUID, actors: dict[Role, Actor], today: date) -> None:
    officer, member, owner = actors[Role.OFFICER], actors[Role.COMMUNITY_MEMBER], actors[Role.OWNER]
    listed_on = today - timedelta(days=400)
    bull = nominations.nominate(
        db,
        member,
        council_id,
        friends,
        _nomination(
            "The Bull",
            "1 High Street, Ambridge",
            "pub",
            "POINT (-2.095 52.195)",
            "The only pub in Ambridge: home to the cricket club, the quiz league and the folk club",
            uprn="100012345678",
            flat_above=True,
            boundary="POLYGON ((-2.0956 52.1947, -2.0943 52.1947, -2.0943 52.1954, -2.0956 52.1954, -2.0956 52.1947))",
            owners=(
                PartyDetails(
                    "owner", "Borchester Brewery plc", "Brewery Lane, Borchester", "owner@borchesterbrewery.example.com"
                ),
            ),
        ),
        received_on=listed_on - timedelta(days=40),
        now=_at(listed_on - timedelta(days=40)),
    )
    apply_transition(db, bull.case_id, "consider", officer, now=_at(listed_on - timedelta(days=35)))
    apply_transition(
        db,
        bull.case_id,
        "list",
        officer,
        {
            "decided_on": listed_on,
            "entry_date": listed_on,
            "inclusion_notice_given_on": listed_on,
            "community_value_basis": "current_use",
            "reasons": "A well-used village pub that furthers social wellbeing",
        },
        now=_at(listed_on),
    )
    assert owner.user_id is not None  # noqa: S101 - created above
    parties.link_user_to_asset(db, officer, _asset_of(db, bull.case_id), owner.user_id, now=_at(listed_on))
    notice_on = today - timedelta(days=30)
    cycle = moratoria.record_owner_notice(
        db,
        owner,
        _asset_of(db, bull.case_id),
        received_on=notice_on,
        notice_method="email",
        disposal_type="freehold",
        vacant_possession=True,
        now=_at(notice_on),
    )
    moratoria.record_bidder_request(
        db,
        member,
        cycle.case_id,
        friends,
        received_on=notice_on + timedelta(days=20),
        now=_at(notice_on + timedelta(days=20)),
    )

    library = nominations.nominate(
        db,
        member,
        council_id,
        friends,
        _nomination(
            "Ambridge Library",
            "The Green, Ambridge",
            "library",
            "POINT (-2.097 52.196)",
            "A library, reading group venue and the only free warm space in the village",
            uprn="100012345679",
        ),
        received_on=today - timedelta(days=50),
        now=_at(today - timedelta(days=50)),
    )
    apply_transition(db, library.case_id, "consider", officer, now=_at(today - timedelta(days=45)))

    nominations.nominate(
        db,
        member,
        council_id,
        friends,
        _nomination(
            "Lakey Hill Park",
            "Lakey Hill, Ambridge",
            "park",
            "POINT (-2.1 52.2)",
            "Open space used for the village fete, dog walking and the annual bonfire",
            uprn="100012345680",
        ),
        received_on=today - timedelta(days=6),
        now=_at(today - timedelta(days=6)),
    )

    # Overdue: the 8-week decision (ACV Regs reg.7) fell due a fortnight ago and nobody has looked at the nomination
    nominations.nominate(
        db,
        member,
        council_id,
        friends,
        _nomination(
            "Ambridge Cricket Pavilion",
            "Cricket Ground, Back Lane, Ambridge",
            "sports",
            "POINT (-2.103 52.198)",
            "Home of Ambridge Cricket Club since 1922 and its junior section",
            uprn="100012345682",
        ),
        received_on=today - timedelta(days=70),
        now=_at(today - timedelta(days=70)),
    )

    shop = nominations.nominate(
        db,
        member,
        council_id,
        friends,
        _nomination(
            "Ambridge Stores",
            "2 High Street, Ambridge",
            "shop",
            "POINT (-2.094 52.194)",
            "The village shop and post office counter",
            uprn="100012345681",
        ),
        received_on=today - timedelta(days=120),
        now=_at(today - timedelta(days=120)),
    )
    apply_transition(
        db,
        shop.case_id,
        "reject",
        officer,
        {
            "decided_on": today - timedelta(days=70),
            "grounds": "not_of_community_value",
            "reasons": "The shop closed three years ago and no community use is realistic within five years (s.88(2))",
        },
        now=_at(today - timedelta(days=70)),
    )


def _transfers_and_challenges(db: Database, friends: uuid.UUID, actors: dict[Role, Actor], today: date) -> None:
    """The example policies (labelled as examples), a village hall offered for transfer with an application at
    the panel, and an expression of interest in running the library service."""
    officer, member = actors[Role.OFFICER], actors[Role.COMMUNITY_MEMBER]
    start = today - timedelta(days=400)
    policies.publish(db, SYSTEM, CODE, "asset_transfer", examples.load("cat_norwich_style"), effective_from=start)
    policies.publish(db, SYSTEM, NEIGHBOUR, "asset_transfer", examples.load("cat_dorset_style"), effective_from=start)
    policies.publish(db, SYSTEM, CODE, "challenge", examples.load("challenge"), effective_from=start)
    hall = asset_transfers.offer_asset(
        db, officer,
        AssetDetails(name="Loxley Barrow Village Hall", address="Church Lane, Loxley Barrow",
                     category="community_centre", point="POINT (-2.11 52.21)", ward="Ambridge and Loxley"),
    )  # fmt: skip
    asset_transfers.offer_asset(
        db, officer, AssetDetails(name="Ambridge Allotments", address="Back Lane, Ambridge", category="park")
    )
    day = today - timedelta(days=60)
    case_id = asset_transfers.start_application(
        db, member, hall, friends, enquiry_received_on=day, proposed_use="A community hall with a weekly lunch club",
        tenure_sought="long_lease", now=_at(day),
    ).case_id  # fmt: skip
    steps: list[tuple[str, Actor, dict[str, Any], int]] = [
        ("check_suitability", officer, {"checked_on": 55, "surplus": True, "open_space": False}, 55),
        ("invite_eoi", officer, {"eoi_invited_on": 54}, 54),
        ("submit_eoi", member, {"eoi_received_on": 40, "activities": "Lunch club, youth club, film nights",
                                "community_benefit": "Older residents eat together weekly", "track_record":
                                "Ran the Bull's quiz league for 10 years", "running_costs_plan": "Hire fees",
                                "tenure_sought": "long_lease"}, 40),
    ]  # fmt: skip
    for trigger, actor, data, days_ago in steps:
        dated = {k: today - timedelta(days=v) if k.endswith("_on") else v for k, v in data.items()}
        apply_transition(db, case_id, trigger, actor, dated, now=_at(today - timedelta(days=days_ago)))
    criteria = examples.load("cat_norwich_style")["eoi_criteria"]
    met = [asset_transfers.EoiVerdict(c, True, "Shown in the expression of interest") for c in criteria]
    asset_transfers.assess_eoi(
        db, officer, case_id, today - timedelta(days=30), met, now=_at(today - timedelta(days=30))
    )
    apply_transition(
        db, case_id, "submit_business_case", member,
        {"business_case_received_on": today - timedelta(days=10), "business_plan": "Three-year plan",
         "funding": "National Lottery grant offered", "governance": "Board of 7"},
        now=_at(today - timedelta(days=10)),
    )  # fmt: skip
    asset_transfers.record_score(
        db, officer, case_id, "benefit", 4, "A lunch club with a waiting list", now=_at(today - timedelta(days=5))
    )
    challenges.express_interest(
        db, member, CODE, friends,
        {"service": "parks", "eoi_received_on": today - timedelta(days=3), "geographical_area": "Ambridge",
         "financial_resources": "£12,000 reserves", "capability_evidence": "Volunteers who cut the green already",
         "outcomes_wellbeing": "More planting and a tidier green", "outcomes_user_needs": "Paths kept clear"},
        now=_at(today - timedelta(days=3)),
    )  # fmt: skip


def _asset_of(db: Database, case_id: uuid.UUID) -> uuid.UUID:
    asset_id = case_summary(db, case_id).asset_id
    assert asset_id is not None  # noqa: S101 - a submitted nomination always has its asset
    return asset_id
