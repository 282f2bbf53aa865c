"""Users, their roles, and turning a signed-in user into an Actor. Passwords are argon2id hashes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import clock, passwords
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from casework.models import Organisation, User, UserRole
from casework.repositories import councils
from workflows.roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class RoleGrant:
    role: Role
    council_code: str | None = None  # staff roles
    organisation_id: uuid.UUID | None = None  # community group members


def normalise_email(email: str) -> str:
    try:
        return str(validate_email(email.strip(), check_deliverability=False).normalized).lower()
    except EmailNotValidError:
        raise InvalidInput({"email": "Enter an email address in the correct format, like name@example.com"}) from None


def create_user(
    db: Database,
    email: str,
    name: str,
    *,
    password: str | None = None,
    grants: tuple[RoleGrant, ...] = (),
    now: datetime | None = None,
) -> uuid.UUID:
    """Create a user with their roles. One transaction; raises InvalidInput or Conflict (email taken)."""
    now = now or clock.utcnow()
    address = normalise_email(email)
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the user's full name"
    problem = passwords.password_problem(password) if password is not None else None
    if problem:
        errors["password"] = problem
    if errors:
        raise InvalidInput(errors)
    with db.transaction() as session:
        if session.scalars(select(User.id).where(User.email == address)).first() is not None:
            raise Conflict(f"There is already a user with the email address {address}")
        user = User(
            id=uuid.uuid4(),
            email=address,
            name=name.strip(),
            password_hash=passwords.hash_password(password) if password else None,
            active=True,
            created_at=now,
        )
        session.add(user)
        session.flush()
        for grant in grants:
            _grant(session, user, grant)
        return user.id


def _grant(session: Session, user: User, grant: RoleGrant) -> None:
    council_id = councils.get_by_code(session, grant.council_code).id if grant.council_code else None
    if grant.role in STAFF_ROLES and council_id is None:
        name = grant.role.value.replace("_", " ")
        raise InvalidInput({"council": f"{'An' if name[0] in 'aeiou' else 'A'} {name} must belong to a council"})
    if grant.role is Role.COMMUNITY_MEMBER and (
        grant.organisation_id is None or session.get(Organisation, grant.organisation_id) is None
    ):
        raise InvalidInput({"organisation": "A community group member must belong to a registered group"})
    if grant.role is Role.SYSTEM:
        raise InvalidInput({"role": "Nobody can be given the system role"})
    session.add(
        UserRole(user_id=user.id, role=grant.role.value, council_id=council_id, organisation_id=grant.organisation_id)
    )


def authenticate(db: Database, email: str, password: str) -> uuid.UUID | None:
    """The user's id if the email and password match an active user, else None (no hint which was wrong)."""
    with db.reader() as session:
        user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
        if user is None or not user.active:
            passwords.verify_password(None, password)
            return None
        return user.id if passwords.verify_password(user.password_hash, password) else None


def actor_for(db: Database, user_id: uuid.UUID, role: Role, council_code: str | None = None) -> Actor:
    """The Actor for a user acting in one of their roles; raises PermissionDenied if they do not hold it."""
    with db.reader() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise NotFound("There is no such active user")
        held = session.scalars(select(UserRole).where(UserRole.user_id == user_id, UserRole.role == role.value)).all()
        if not held and role is not Role.OWNER:
            raise PermissionDenied(f"{user.name} is not a {role.value.replace('_', ' ')}")
        council_id = None
        if role in STAFF_ROLES:
            wanted = councils.get_by_code(session, council_code).id if council_code else held[0].council_id
            if wanted not in {grant.council_id for grant in held}:
                raise PermissionDenied(f"{user.name} is not a {role.value.replace('_', ' ')} of that council")
            council_id = wanted
        organisations = frozenset(g.organisation_id for g in held if g.organisation_id is not None)
        return Actor(role, user_id=user.id, council_id=council_id, organisation_ids=organisations, name=user.name)


def register(
    db: Database, email: str, name: str, password: str, *, owner: bool = False, now: datetime | None = None
) -> uuid.UUID:
    """Someone creates their own account. One transaction.

    `owner`: they said they are here to act for land they own (or for its owner), so that is their role. Someone
    here for a community group gets no role yet: registering a group makes them its first member.
    """
    if not password:
        raise InvalidInput({"password": "Enter a password"})
    return create_user(db, email, name, password=password, grants=(RoleGrant(Role.OWNER),) if owner else (), now=now)


def revoke_role(db: Database, admin: Actor, user_id: uuid.UUID, role: Role) -> None:
    """Take a staff role at the admin's council away. An admin cannot remove their own admin role."""
    if admin.role is not Role.COUNCIL_ADMIN or admin.council_id is None:
        raise PermissionDenied("Only a council admin can change people's roles")
    if user_id == admin.user_id and role is Role.COUNCIL_ADMIN:
        raise Conflict("You cannot remove your own admin role; ask another admin")
    with db.transaction() as session:
        for grant in session.scalars(
            select(UserRole).where(
                UserRole.user_id == user_id, UserRole.role == role.value, UserRole.council_id == admin.council_id
            )
        ):
            session.delete(grant)


def join_organisation(db: Database, user_id: uuid.UUID, organisation_id: uuid.UUID) -> None:
    """Make the user who registered a group a member of it. One transaction."""
    with db.transaction() as session:
        if session.get(Organisation, organisation_id) is None:
            raise NotFound("There is no such group")
        exists = session.scalars(
            select(UserRole).where(UserRole.user_id == user_id, UserRole.organisation_id == organisation_id)
        ).first()
        if exists is None:
            session.add(UserRole(user_id=user_id, role=Role.COMMUNITY_MEMBER.value, organisation_id=organisation_id))
