"""Who the demo is about: two neighbouring councils, two groups, and one sign-in per role with a shared password."""

from __future__ import annotations

import uuid

from casework.actors import Actor
from casework.db import Database
from casework.services import accounts, councils, organisations
from casework.services.accounts import RoleGrant
from casework.services.council_details import ContactChanges
from casework.services.organisations import OrganisationDetails
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
FRIENDS = OrganisationDetails(
    name="Friends of the Bull",
    body_type=BodyType.COMPANY_LIMITED_BY_GUARANTEE,
    company_number="09876543",
    activity_areas=(CODE,),
    surplus_areas=(CODE,),
    email="hello@friendsofthebull.example.org",
    local_connection_evidence="Articles of association: objects limited to Ambridge and Borsetshire",
)
PARISH = OrganisationDetails(
    name="Ambridge Parish Council",
    body_type=BodyType.PARISH_COUNCIL,
    parish="Ambridge",
    is_public_authority=True,
    email="clerk@ambridge-pc.example.org",
)
# The footer and accessibility statement show how to reach the council.
CONTACT = ContactChanges(
    email="acv@borsetshire.example",
    phone="01632 960 001",
    address="Council Offices, Market Square\nBorchester\nBC1 1AA",
    website="https://www.borsetshire.example/contact",
)


def councils_and_groups(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    """Borsetshire beside Felpersham, and its two groups; returns Borsetshire's id and the Friends of the Bull's."""
    council_id = councils.create_council(db, CODE, "Borsetshire District Council", email="acv@borsetshire.example")
    councils.create_council(db, NEIGHBOUR, "Felpersham City Council")
    councils.set_neighbours(db, CODE, [NEIGHBOUR])
    friends = organisations.register_organisation(db, council_id, FRIENDS)
    organisations.register_organisation(db, council_id, PARISH)
    return council_id, friends


def users(db: Database, friends: uuid.UUID) -> dict[Role, Actor]:
    """One user per role: staff of Borsetshire, a member of the Friends of the Bull, and the Bull's owner."""
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
