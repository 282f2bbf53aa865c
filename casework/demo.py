"""Demonstration data for `make run`: a council, one user per role, a pub, a library and a park.

Dates are set relative to today, so the demo always shows live clocks: a pub in
its full moratorium, a library nomination nearing its decision date, a park
just nominated, and a shop on the unsuccessful list. Loading twice does nothing.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from casework import clock
from casework.actors import Actor
from casework.assets import AssetDetails, PartyDetails
from casework.db import Database
from casework.models import Council, User
from casework.queries import case_summary
from casework.services import accounts, councils, moratoria, nominations, organisations, parties
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import apply_transition
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
    _cases(db, council_id, friends, actors, today)
    return f"Loaded demo data for Borsetshire District Council ({CODE}).\n" + credentials()


def _users(db: Database, friends: uuid.UUID) -> dict[Role, Actor]:
    actors = {}
    for email, name, role in USERS:
        staff = role in STAFF_ROLES
        grants = {
            Role.COMMUNITY_MEMBER: (RoleGrant(role, organisation_id=friends),),
            Role.OWNER: (),
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
) -> nominations.Nomination:
    return nominations.Nomination(
        asset=AssetDetails(
            name=name,
            address=address,
            category=category,
            parishes=("Ambridge",),
            point=point,
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


def _asset_of(db: Database, case_id: uuid.UUID) -> uuid.UUID:
    asset_id = case_summary(db, case_id).asset_id
    assert asset_id is not None  # noqa: S101 - a submitted nomination always has its asset
    return asset_id
