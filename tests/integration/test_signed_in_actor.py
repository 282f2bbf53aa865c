"""A signed-in request's Actor is built from the user and roles it read once, exactly as actor_for would read it."""

from __future__ import annotations

import pytest

from casework.db import Database
from casework.queries.people import RoleView, user_view
from casework.services import accounts
from tests.factories import give_staff_role, make_world
from workflows.roles import Role

pytestmark = pytest.mark.integration


def test_every_role_a_user_holds_gives_the_same_actor_as_reading_it_from_the_database(db: Database) -> None:
    world = make_world(db)
    other = make_world(db, code="NDC")  # the officer works for both councils: each role acts for its own
    give_staff_role(db, other.admin, "officer@bdc.example.gov.uk", Role.OFFICER)
    people = [world.officer, world.reviewer, world.admin, world.member, world.owner]
    checked = 0
    for person in people:
        assert person.user_id is not None
        view = user_view(db, person.user_id)
        assert view is not None
        for role in view.roles:
            assert view.actor(role) == accounts.actor_for(db, person.user_id, role.role, role.council_code)
            checked += 1
    assert checked >= len(people) + 1


def test_a_role_the_user_does_not_hold_gives_no_actor(db: Database) -> None:
    world = make_world(db)
    assert world.member.user_id is not None
    view = user_view(db, world.member.user_id)
    assert view is not None
    assert view.actor(RoleView(Role.OFFICER, world.code, "Borsetshire", None, None, world.council_id)) is None
