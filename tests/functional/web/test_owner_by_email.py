"""An owner the council knows only by the email address a nomination gave reaches their land by proving that
address, never by merely typing it; and owners linked before the owner role was given on linking get it."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic import command
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from casework.db import Database
from casework.migrate import alembic_config, upgrade_to_head
from casework.models import OutboxMessage, UserRole
from casework.queries import case_summary
from casework.services import nominations, parties
from tests.factories import World, make_world, pub_nomination
from workflows.roles import Role

pytestmark = pytest.mark.integration
BREWERY = "brewery@example.com"  # the owner's address in the nomination (tests.factories.pub_nomination)
PASSWORD = "the brewery's password"


def nominated_pub(db: Database, world: World) -> uuid.UUID:
    """A pub nominated with only its owner's email address recorded; no account is linked to it."""
    result = nominations.nominate(db, world.member, world.council_id, world.group_id, pub_nomination())
    asset_id = case_summary(db, result.case_id).asset_id
    assert asset_id is not None
    return asset_id


def confirmation_links(db: Database) -> list[str]:
    with db.reader() as session:
        payloads = session.scalars(select(OutboxMessage.payload).where(OutboxMessage.topic == "account.email")).all()
    return [p["link"].removeprefix("https://casework.example") for p in payloads if p["template"] == "confirm_email"]


def create_owner_account(client: FlaskClient, email: str) -> str:
    answers = {"name": "Bea Brewer", "email": email, "purpose": "owner", "password": PASSWORD, "confirm": PASSWORD}
    return client.post("/account/create", data=answers, follow_redirects=True).get_data(as_text=True)


def test_an_owner_known_by_email_lands_on_their_land_once_they_follow_the_emailed_link(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    asset_id = nominated_pub(sqlite_db, world)

    created = create_owner_account(client, BREWERY)
    before = client.get(f"/owner/land/{asset_id}")
    (link,) = confirmation_links(sqlite_db)
    asked = client.get(link).get_data(as_text=True)
    confirmed = client.post(link, follow_redirects=True)
    land = client.get(f"/owner/land/{asset_id}")
    again = client.post(link)

    assert f"We have sent a link to {BREWERY}" in created
    assert "Your land" in created and "has not recorded you as the owner of any listed land yet" in created
    assert before.status_code == 404  # typing the address proves nothing: no land until the link is followed
    assert "Confirm my email address" in asked
    assert confirmed.request.path == "/owner/"
    page = confirmed.get_data(as_text=True)
    assert "your land is linked to you" in page and "The Bull" in page
    assert land.status_code == 200
    assert again.status_code == 400 and "This link has expired or been used" in again.get_data(as_text=True)


def test_a_confirmed_address_links_only_the_land_recorded_under_that_address(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    asset_id = nominated_pub(sqlite_db, world)

    create_owner_account(client, "someone.else@example.com")
    (link,) = confirmation_links(sqlite_db)
    page = client.post(link, follow_redirects=True).get_data(as_text=True)

    assert "has not recorded it as the owner of any land yet" in page
    assert client.get(f"/owner/land/{asset_id}").status_code == 404


def test_an_owner_already_signed_up_asks_for_the_link_from_their_land_page(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    nominated_pub(sqlite_db, world)
    create_owner_account(client, BREWERY)

    asked = client.post("/account/confirm-email", follow_redirects=True).get_data(as_text=True)
    links = confirmation_links(sqlite_db)
    client.post(links[-1])

    assert f"We have sent a link to {BREWERY}" in asked and len(links) == 2
    assert "The Bull" in client.get("/owner/").get_data(as_text=True)
    client.post(links[0])  # the first link, still good, finds nothing more to link
    assert "The Bull" in client.get("/owner/").get_data(as_text=True)


def owner_roles(db: Database, user_id: uuid.UUID) -> int:
    with db.reader() as session:
        return len(session.scalars(select(UserRole).where(UserRole.user_id == user_id, UserRole.role == "owner")).all())


def test_the_migration_gives_the_owner_role_to_owners_linked_without_it(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade_to_head(database)
    world = make_world(database)
    asset_id = nominated_pub(database, world)
    assert world.owner.user_id is not None
    parties.link_user_to_asset(database, world.officer, asset_id, world.owner.user_id)
    with database.transaction() as session:  # as linking left them before it gave the role
        session.execute(delete(UserRole).where(UserRole.role == Role.OWNER.value))
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0013_council_details")

    upgrade_to_head(database)

    assert owner_roles(database, world.owner.user_id) == 1
    assert owner_roles(database, world.member.user_id) == 0  # linked to no land: no role
    upgrade_to_head(database)  # nothing to do the second time
    assert owner_roles(database, world.owner.user_id) == 1
    database.dispose()


def test_an_owner_who_opens_the_emailed_case_before_confirming_is_told_how_to_open_it(
    client: FlaskClient, sqlite_db: Database
) -> None:
    world = make_world(sqlite_db)
    nominations.nominate(sqlite_db, world.member, world.council_id, world.group_id, pub_nomination())
    create_owner_account(client, BREWERY)

    case = client.get("/cases/BDC-ACV-00001")

    assert case.status_code == 403
    assert "confirm your email address from Your land" in case.get_data(as_text=True)
