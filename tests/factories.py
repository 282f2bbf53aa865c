"""Plain keyword functions that set up councils, people and cases through the real services."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from casework.actors import Actor
from casework.assets import AssetDetails, PartyDetails
from casework.db import Database
from casework.models import OutboxMessage, User
from casework.queries import case_summary
from casework.services import (
    accounts,
    alerts,
    councils,
    invitations,
    moratoria,
    nominations,
    organisations,
    parties,
)
from casework.services.accounts import RoleGrant
from casework.services.case_transitions import apply_transition
from casework.services.organisations import OrganisationDetails
from tests.conftest import T0
from workflows.eligibility import BodyType
from workflows.roles import Role


@dataclass(frozen=True)
class World:
    """A council with a neighbour, staff in every role, a community group and an owner."""

    council_id: uuid.UUID
    code: str
    officer: Actor
    other_officer: Actor
    reviewer: Actor
    admin: Actor
    group_id: uuid.UUID
    member: Actor
    owner: Actor


def make_world(db: Database, *, code: str = "BDC", now: datetime = T0, nation: str = "england") -> World:
    council_id = councils.create_council(db, code, "Borsetshire District Council", nation=nation, now=now)
    neighbour = f"{code[:2]}N"
    councils.create_council(db, neighbour, "Felpersham City Council", now=now)
    councils.set_neighbours(db, code, [neighbour])
    group_id = organisations.register_organisation(
        db,
        council_id,
        OrganisationDetails(
            name="Friends of the Bull",
            body_type=BodyType.COMPANY_LIMITED_BY_GUARANTEE,
            company_number="01234567",
            activity_areas=(code,),
            surplus_areas=(code,),
            email="friends@example.org",
        ),
        now=now,
    )

    def staff(email: str, role: Role) -> Actor:
        grants = (RoleGrant(role, council_code=code),)
        # No password: hashing one costs a fifth of a second, and these actors never sign in.
        user = accounts.create_user(db, f"{email}@{code.lower()}.example.gov.uk", email.title(), grants=grants, now=now)
        return accounts.actor_for(db, user, role, code)

    member_grant = RoleGrant(Role.COMMUNITY_MEMBER, organisation_id=group_id)
    member_id = accounts.create_user(
        db, f"member@{code.lower()}.example.org", "Mia Member", grants=(member_grant,), now=now
    )
    owner_id = accounts.create_user(db, f"owner@{code.lower()}.example.com", "Oscar Owner", now=now)
    return World(
        council_id=council_id,
        code=code,
        officer=staff("officer", Role.OFFICER),
        other_officer=staff("second.officer", Role.OFFICER),
        reviewer=staff("reviewer", Role.REVIEWER),
        admin=staff("admin", Role.COUNCIL_ADMIN),
        group_id=group_id,
        member=accounts.actor_for(db, member_id, Role.COMMUNITY_MEMBER),
        owner=accounts.actor_for(db, owner_id, Role.OWNER),
    )


def pub_nomination(
    *, name: str = "The Bull", uprn: str | None = "100012345678", boundary: str | None = None
) -> nominations.Nomination:
    return nominations.Nomination(
        asset=AssetDetails(
            name=name,
            address="1 High Street, Ambridge",
            postcode="BS1 4ND",
            uprn=uprn,
            category="pub",
            parishes=("Ambridge",),
            point="POINT (-2.1 52.2)",
            boundary=boundary,
            description="Village pub with a function room",
        ),
        boundary_description="The pub, its car park and beer garden, as on the plan",
        occupants="Bull Inns Ltd (tenant)",
        ownership="Borchester Brewery plc, Brewery Lane, Borchester",
        reasons="The only pub in the village, home to the cricket club and the quiz league",
        eligibility_evidence="Company limited by guarantee 01234567; articles attached",
        owners=(
            PartyDetails("owner", "Borchester Brewery plc", "Brewery Lane, Borchester", "brewery@example.com"),
            PartyDetails("occupier", "Bull Inns Ltd", "The Bull, 1 High Street, Ambridge"),  # no email address
        ),
    )


def nominate_pub(
    db: Database, world: World, *, received_on: date = date(2026, 3, 2), now: datetime = T0, **kwargs: str | None
) -> uuid.UUID:
    result = nominations.nominate(
        db, world.member, world.council_id, world.group_id, pub_nomination(**kwargs), received_on=received_on, now=now
    )
    asset_id = case_summary(db, result.case_id).asset_id
    assert asset_id is not None
    assert world.owner.user_id is not None
    parties.link_user_to_asset(db, world.officer, asset_id, world.owner.user_id, now=now)
    return result.case_id


def list_pub(
    db: Database, world: World, *, decided_on: date = date(2026, 3, 20), now: datetime = T0, **pub: str | None
) -> uuid.UUID:
    """A pub nominated, considered and listed; returns the listing case id. `pub`: its name and UPRN."""
    case_id = nominate_pub(db, world, now=now, **pub)
    apply_transition(db, case_id, "consider", world.officer, now=now + timedelta(days=1))
    apply_transition(
        db,
        case_id,
        "list",
        world.officer,
        {
            "decided_on": decided_on,
            "entry_date": decided_on,
            "inclusion_notice_given_on": decided_on,
            "community_value_basis": "current_use",
            "reasons": "Furthers the social wellbeing of the village",
        },
        now=datetime.combine(decided_on, datetime.min.time(), tzinfo=T0.tzinfo) + timedelta(hours=10),
    )
    return case_id


def owners_notice(
    db: Database, world: World, listing: uuid.UUID, *, received_on: date, now: datetime, method: str = "email"
) -> uuid.UUID:
    """The owner's notice of a freehold sale with vacant possession of the listed `listing`; the moratorium case id."""
    asset_id = case_summary(db, listing).asset_id
    assert asset_id is not None
    return moratoria.record_owner_notice(
        db, world.owner, asset_id, received_on=received_on, notice_method=method, disposal_type="freehold",
        vacant_possession=True, now=now,
    ).case_id  # fmt: skip


def give_staff_role(db: Database, admin: Actor, email: str, role: Role) -> None:
    """An admin's invitation, accepted by the account it was sent to, as its emailed link would be."""
    invitations.invite(db, admin, email, email, role, base_url="https://casework.example")
    with db.reader() as session:
        payload = session.scalars(
            select(OutboxMessage.payload)
            .where(OutboxMessage.topic == "account.email")
            .order_by(OutboxMessage.created_at.desc())
        ).first()
        user_id = session.scalars(select(User.id).where(User.email == email)).one()
    assert payload is not None and payload["email"] == email
    invitations.accept(db, payload["link"].rsplit("/", 1)[1], user_id)


ALERTS_BASE_URL = "https://casework.example"


def confirmed_alert(
    db: Database, council_code: str, email: str, *, now: datetime | None = None, **choice: object
) -> alerts.NewSubscription:
    """An alert whose address has followed the link in its confirmation email (double opt-in), as a test of what
    alerts say wants; the confirmation email itself is still in the outbox."""
    made = alerts.subscribe(db, council_code, email, base_url=ALERTS_BASE_URL, now=now, **choice)  # type: ignore[arg-type]
    alerts.confirm(db, made.confirm_token, now=now)
    return made
