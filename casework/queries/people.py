"""Users as the web needs them: who is signed in, which roles they hold, and a council's staff list."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select

from casework.actors import Actor
from casework.db import Database
from casework.errors import PermissionDenied
from casework.models import ApiToken, Council, Organisation, User, UserRole, UserSession
from casework.repositories.prepared import Statements
from casework.services import sessions
from workflows.roles import ROLE_LABELS, STAFF_ROLES, Role


@dataclass(frozen=True)
class RoleView:
    role: Role
    council_code: str | None
    council_name: str | None
    organisation_id: uuid.UUID | None
    organisation_name: str | None
    council_id: uuid.UUID | None = None
    chosen: bool = True  # False for the owner role everyone may act in without having asked for it

    @property
    def key(self) -> str:
        return f"{self.role.value}:{self.council_code or ''}"

    @property
    def label(self) -> str:
        where = self.council_name or self.organisation_name
        return f"{ROLE_LABELS[self.role]}{f', {where}' if where else ''}"


@dataclass(frozen=True)
class UserView:
    id: uuid.UUID
    email: str
    name: str
    active: bool
    roles: tuple[RoleView, ...]

    def holds(self, role: Role, council_code: str | None = None) -> bool:
        return any(r.role is role and (council_code is None or r.council_code == council_code) for r in self.roles)

    def actor(self, acting: RoleView) -> Actor | None:
        """The Actor for this user in one of the roles just read with them, as `accounts.actor_for` builds it,
        without reading them again on every request; None if the role is not one they hold."""
        if acting not in self.roles or (acting.role in STAFF_ROLES and acting.council_id is None):
            return None
        organisations = frozenset(
            r.organisation_id for r in self.roles if r.role is acting.role and r.organisation_id is not None
        )
        council_id = acting.council_id if acting.role in STAFF_ROLES else None
        return Actor(
            acting.role, user_id=self.id, council_id=council_id, organisation_ids=organisations, name=self.name
        )


@dataclass(frozen=True)
class TokenView:
    id: uuid.UUID
    name: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


_WITH_ROLES = (
    select(
        User.id.label("user_id"),
        User.email.label("email"),
        User.name.label("user_name"),
        User.active.label("active"),
        UserRole.role.label("role"),
        Council.id.label("council_id"),
        Council.code.label("council_code"),
        Council.name.label("council_name"),
        Organisation.id.label("organisation_id"),
        Organisation.name.label("organisation_name"),
    )
    .select_from(User)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .outerjoin(Council, Council.id == UserRole.council_id)
    .outerjoin(Organisation, Organisation.id == UserRole.organisation_id)
    .where(User.id == bindparam("user_id"))
)


_USER_WITH_ROLES = Statements(_WITH_ROLES)
# Read on every signed-in request: one statement, prepared once (casework.repositories.prepared). It finds
# nothing once the browser's session has ended (casework.services.sessions), which signs that browser out.
_SIGNED_IN_USER = Statements(
    _WITH_ROLES.join(
        UserSession,
        (UserSession.user_id == User.id)
        & (UserSession.id == bindparam("session_id"))
        & (UserSession.created_at > bindparam("since", type_=UserSession.created_at.type)),
    )
)


def user_view(db: Database, user_id: uuid.UUID) -> UserView | None:
    with db.reader() as session:
        return _view(_USER_WITH_ROLES.rows(session, {"user_id": user_id}))


def signed_in_user(db: Database, user_id: uuid.UUID, session_id: uuid.UUID, *, now: datetime) -> UserView | None:
    """The user a browser's session names, or None if that session has ended or grown too old."""
    values = {"user_id": user_id, "session_id": session_id, "since": now - sessions.LONGEST}
    with db.reader() as session:
        return _view(_SIGNED_IN_USER.rows(session, values))


def _view(rows: list[Any]) -> UserView | None:
    if not rows:
        return None
    roles = [
        RoleView(
            Role(row.role),
            row.council_code,
            row.council_name,
            row.organisation_id,
            row.organisation_name,
            row.council_id,
        )
        for row in rows
        if row.role is not None
    ]
    # Anyone may act for land they own, chosen or not; but staff came by invitation to do the council's work, and an
    # owner role they never asked for only put a second, empty role in their way (the council records them as an
    # owner, with that role, if they own listed land).
    if not any(r.role is Role.OWNER or r.role in STAFF_ROLES for r in roles):
        roles.append(RoleView(Role.OWNER, None, None, None, None, chosen=False))
    unique = {(r.role, r.council_code, r.organisation_id): r for r in roles}
    user = rows[0]
    return UserView(user.user_id, user.email, user.user_name, user.active, tuple(unique.values()))


def council_staff(db: Database, actor: Actor) -> list[tuple[uuid.UUID, str, str, bool, tuple[str, ...]]]:
    """(id, name, email, active, roles) of everyone holding a role at the admin's council."""
    if actor.role is not Role.COUNCIL_ADMIN:
        raise PermissionDenied("Only a council admin can manage users")
    with db.reader() as session:
        rows = session.execute(
            select(User, UserRole.role)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.council_id == actor.council_id)
            .order_by(User.name)
        ).all()
        people: dict[uuid.UUID, tuple[uuid.UUID, str, str, bool, tuple[str, ...]]] = {}
        for user, role in rows:
            current = people.get(user.id, (user.id, user.name, user.email, user.active, ()))
            people[user.id] = (*current[:4], (*current[4], role))
        return list(people.values())


def api_tokens(db: Database, user_id: uuid.UUID) -> list[TokenView]:
    with db.reader() as session:
        rows = session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at))
        return [TokenView(t.id, t.name, t.role, t.created_at, t.last_used_at, t.revoked_at is not None) for t in rows]
