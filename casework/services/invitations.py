"""Staff roles by invitation: a council admin offers a role to an email address; whoever holds that address
accepts it, signed in to their account (or after creating one).

Giving an existing account a role on the admin's say-so told the admin the account existed, and let an admin of
any council put roles on anybody's account. Now the admin learns nothing about the address, and nobody holds a
role they did not accept from a link sent to their own address.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidInput, PermissionDenied
from casework.models import Council, StaffInvitation, User, UserRole
from casework.repositories import councils
from casework.services.accounts import normalise_email
from casework.transitions.outbox import enqueue
from workflows.roles import ROLE_LABELS, STAFF_ROLES, Role

LIFETIME = timedelta(days=7)
USED_OR_EXPIRED = "This invitation has expired or been accepted already. Ask the council's admin for a new one"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    db: Database, admin: Actor, email: str, name: str, role: Role, *, base_url: str, now: datetime | None = None
) -> uuid.UUID:
    """Email an invitation to take a staff role at the admin's council. One transaction.

    The same whether or not the address has an account, so the admin learns nothing about it; the role is given
    only when the invitation is accepted (`accept`). An earlier invitation to the same address stops working.
    """
    now = now or clock.utcnow()
    council_id, address = _checked(admin, email, name, role)
    token = secrets.token_urlsafe(32)
    with db.transaction() as session:
        council = councils.get(session, council_id)
        # Only the newest invitation to an address stands: an older link (perhaps for another role) stops working.
        session.execute(
            update(StaffInvitation)
            .where(
                StaffInvitation.council_id == council.id,
                StaffInvitation.email == address,
                StaffInvitation.accepted_at.is_(None),
                StaffInvitation.expires_at > now,
            )
            .values(expires_at=now)
        )
        invitation = StaffInvitation(
            id=uuid.uuid4(),
            council_id=council.id,
            email=address,
            name=name.strip()[:300],
            role=role.value,
            token_hash=_digest(token),
            invited_by=admin.user_id,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        session.add(invitation)
        _send(session, council, invitation, role, f"{base_url}/account/invitations/{token}", now)
        return invitation.id


def _checked(admin: Actor, email: str, name: str, role: Role) -> tuple[uuid.UUID, str]:
    """The admin's council and the address to invite, normalised, once the admin may invite and every field is
    good; else why not."""
    if admin.role is not Role.COUNCIL_ADMIN or admin.council_id is None:
        raise PermissionDenied("Only a council admin can invite people")
    errors = {}
    if not name.strip():
        errors["name"] = "Enter the person's full name"
    try:
        address = normalise_email(email)
    except InvalidInput as invalid:
        errors.update(invalid.errors)
    if role not in STAFF_ROLES:
        errors["role"] = "Select officer, reviewer or council admin"
    if errors:
        raise InvalidInput(errors)
    return admin.council_id, address


def _send(
    session: Session, council: Council, invitation: StaffInvitation, role: Role, link: str, now: datetime
) -> None:
    """The invitation's email: the only way to its link, so only the address's holder can accept it."""
    email = {
        "email": invitation.email,
        "name": invitation.name,
        "template": "staff_invitation",
        "title": f"You are invited to join {council.name}",
        "council": council.name,
        "role": ROLE_LABELS[role].lower(),
        "link": link,
    }
    enqueue(session, "account.email", email, now=now)


@dataclass(frozen=True)
class InvitationView:
    email: str
    name: str
    role: Role
    council_code: str
    council_name: str
    expires_at: datetime

    @property
    def role_key(self) -> str:
        """The key `web.auth` gives the role once held, to act in it straight away."""
        return f"{self.role.value}:{self.council_code}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role].lower()


def open_invitation(db: Database, token: str, *, now: datetime | None = None) -> InvitationView | None:
    """The invitation a link is for, or None if there is none or it has been accepted or has expired."""
    now = now or clock.utcnow()
    with db.reader() as session:
        row = session.execute(
            select(StaffInvitation, Council.code, Council.name)
            .join(Council, Council.id == StaffInvitation.council_id)
            .where(StaffInvitation.token_hash == _digest(token))
        ).first()
        if row is None or row[0].accepted_at is not None or row[0].expires_at <= now:
            return None
        invitation, code, council_name = row
        return InvitationView(
            invitation.email, invitation.name, Role(invitation.role), code, council_name, invitation.expires_at
        )


def accept(db: Database, token: str, user_id: uuid.UUID, *, now: datetime | None = None) -> InvitationView:
    """The signed-in user takes the role they were invited to. One transaction; the link then stops working.

    Only the account with the address the invitation was sent to may accept it: the link proves that address's
    mailbox, not who is signed in on the browser that opened it.
    """
    now = now or clock.utcnow()
    with db.transaction() as session:
        found = session.scalars(select(StaffInvitation).where(StaffInvitation.token_hash == _digest(token))).first()
        if found is None or found.accepted_at is not None or found.expires_at <= now:
            raise InvalidInput({"accept": USED_OR_EXPIRED})
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise PermissionDenied("Sign in to accept the invitation")
        if user.email != found.email:
            raise InvalidInput(
                {
                    "accept": f"This invitation was sent to {found.email}. Sign out, then sign in with the account "
                    "for that address (or create one) to accept it"
                }
            )
        # Claim it first: of two browsers accepting at once, one wins and the other is told it was used.
        claimed = session.execute(
            update(StaffInvitation)
            .where(StaffInvitation.id == found.id, StaffInvitation.accepted_at.is_(None))
            .values(accepted_at=now, accepted_by=user.id)
        )
        if cast(CursorResult[Any], claimed).rowcount != 1:
            raise InvalidInput({"accept": USED_OR_EXPIRED})
        held = session.scalars(
            select(UserRole.id).where(
                UserRole.user_id == user.id, UserRole.role == found.role, UserRole.council_id == found.council_id
            )
        ).first()
        if held is None:
            session.add(UserRole(user_id=user.id, role=found.role, council_id=found.council_id))
        council = councils.get(session, found.council_id)
        return InvitationView(found.email, found.name, Role(found.role), council.code, council.name, found.expires_at)


@dataclass(frozen=True)
class PendingInvitation:
    email: str
    name: str
    role: Role
    expires_at: datetime


def pending(db: Database, admin: Actor, *, now: datetime | None = None) -> list[PendingInvitation]:
    """Invitations from the admin's council not yet accepted and still open, newest first."""
    now = now or clock.utcnow()
    if admin.role is not Role.COUNCIL_ADMIN or admin.council_id is None:
        raise PermissionDenied("Only a council admin can see invitations")
    with db.reader() as session:
        rows = session.scalars(
            select(StaffInvitation)
            .where(
                StaffInvitation.council_id == admin.council_id,
                StaffInvitation.accepted_at.is_(None),
                StaffInvitation.expires_at > now,
            )
            .order_by(StaffInvitation.created_at.desc())
        )
        return [PendingInvitation(r.email, r.name, Role(r.role), r.expires_at) for r in rows]
