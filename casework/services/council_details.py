"""A council's own identity on its pages: name, logo and contact details for its header, footer and
accessibility statement.

The pages are the council's service, not GOV.UK's, so they carry the council's name and logo rather
than the crown, and the footer says how to reach the council. The accessibility statement the
Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018
(reg.8) require names the council's contact details and the date it last reviewed the statement.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

import filetype
from sqlalchemy import select

from casework import clock
from casework.actors import Actor
from casework.adapters.storage import FileStorage
from casework.db import Database
from casework.errors import InvalidInput, NotFound, PermissionDenied
from casework.models import Council, UserRole
from casework.services.accounts import normalise_email
from workflows.roles import Role

MAX_LOGO_BYTES = 512 * 1024
# PNG and JPEG only: an SVG can carry script, and the header shows the logo on every page.
LOGO_TYPES = {"image/png": "png", "image/jpeg": "jpg"}
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")
_WEBSITE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
ADDRESS_LIMIT = 500


@dataclass(frozen=True)
class CouncilDetails:
    """What a council's header, footer and accessibility statement show."""

    id: uuid.UUID
    code: str
    name: str
    nation: str
    email: str | None
    address: str | None
    phone: str | None
    website: str | None
    has_logo: bool
    accessibility_reviewed_on: date | None

    @property
    def address_lines(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in (self.address or "").splitlines() if line.strip())


@dataclass(frozen=True)
class ContactChanges:
    """What an admin typed on the council details page; blank means not given."""

    email: str = ""
    address: str = ""
    phone: str = ""
    website: str = ""
    accessibility_reviewed_on: date | None = None


def _details(council: Council) -> CouncilDetails:
    return CouncilDetails(
        council.id,
        council.code,
        council.name,
        council.nation,
        council.email,
        council.address,
        council.phone,
        council.website,
        council.logo_key is not None,
        council.accessibility_reviewed_on,
    )


def details(db: Database, council_id: uuid.UUID) -> CouncilDetails:
    """One council's details; raises NotFound."""
    with db.reader() as session:
        council = session.get(Council, council_id)
        if council is None:
            raise NotFound("There is no such council")
        return _details(council)


def details_by_code(db: Database, code: str) -> CouncilDetails:
    """One council's details by its code; raises NotFound."""
    with db.reader() as session:
        council = session.scalars(select(Council).where(Council.code == code.upper())).first()
        if council is None:
            raise NotFound("There is no such council")
        return _details(council)


def every_council(db: Database) -> list[CouncilDetails]:
    """Every council this deployment serves, by name: a shared deployment's statement lists each one's contacts."""
    with db.reader() as session:
        return [_details(council) for council in session.scalars(select(Council).order_by(Council.name))]


def _check_admin(admin: Actor) -> uuid.UUID:
    if admin.role is not Role.COUNCIL_ADMIN or admin.council_id is None:
        raise PermissionDenied("Only a council admin can change the council's details")
    return admin.council_id


@dataclass(frozen=True)
class _Checked:
    email: str | None
    address: str | None
    phone: str | None
    website: str | None
    accessibility_reviewed_on: date | None


def _checked(changes: ContactChanges, *, today: date) -> _Checked:
    """The values to store, tidied (blank is None); raises InvalidInput naming each field that is wrong."""
    errors: dict[str, str] = {}
    email: str | None = None
    if changes.email.strip():
        try:
            email = normalise_email(changes.email)
        except InvalidInput:
            errors["email"] = "Enter the council's email address in the correct format, like name@example.gov.uk"
    phone = " ".join(changes.phone.split()) or None
    if phone and not _PHONE.match(phone):
        errors["phone"] = "Enter a telephone number, like 01632 960 001 or +44 808 157 0192"
    website = changes.website.strip() or None
    if website and not _WEBSITE.match(website):
        errors["website"] = "Enter the web address of the council's contact page, starting with https://"
    address = "\n".join(line.strip() for line in changes.address.splitlines() if line.strip()) or None
    if address and len(address) > ADDRESS_LIMIT:
        errors["address"] = f"The address must be {ADDRESS_LIMIT} characters or fewer"
    reviewed = changes.accessibility_reviewed_on
    if reviewed is not None and reviewed > today:
        errors["accessibility_reviewed_on"] = "The date the statement was last reviewed must be today or in the past"
    if errors:
        raise InvalidInput(errors)
    return _Checked(email, address, phone, website, reviewed)


def set_my_details(db: Database, admin: Actor, changes: ContactChanges, *, now: datetime | None = None) -> None:
    """Save the admin's council's contact details. One transaction; raises InvalidInput or PermissionDenied."""
    council_id = _check_admin(admin)
    values = _checked(changes, today=clock.london_date(now or clock.utcnow()))
    with db.transaction() as session:
        council = session.get_one(Council, council_id)
        council.email = values.email
        council.address = values.address
        council.phone = values.phone
        council.website = values.website
        council.accessibility_reviewed_on = values.accessibility_reviewed_on


def set_my_logo(db: Database, storage: FileStorage, admin: Actor, content: bytes) -> None:
    """Store a new logo for the admin's council: a PNG or JPEG, judged by its content, under 512 KB.

    One transaction; raises InvalidInput for any other file.
    """
    council_id = _check_admin(admin)
    if not content:
        raise InvalidInput({"logo": "The selected file is empty"})
    if len(content) > MAX_LOGO_BYTES:
        raise InvalidInput({"logo": "The logo must be smaller than 512 KB"})
    kind = filetype.guess(content)
    if kind is None or kind.mime not in LOGO_TYPES:
        raise InvalidInput({"logo": "The logo must be a PNG or JPG"})
    key = f"{council_id}/logo-{uuid.uuid4().hex}.{LOGO_TYPES[kind.mime]}"  # a new name: no cached old logo
    with db.transaction() as session:
        council = session.get_one(Council, council_id)
        storage.put(key, content)
        council.logo_key = key


def remove_my_logo(db: Database, admin: Actor) -> None:
    """Stop showing a logo: the header shows the council's name alone. One transaction."""
    council_id = _check_admin(admin)
    with db.transaction() as session:
        session.get_one(Council, council_id).logo_key = None


@dataclass(frozen=True)
class Logo:
    content: bytes
    content_type: str
    etag: str


def logo(db: Database, storage: FileStorage, code: str) -> Logo:
    """A council's logo, for anyone (it is on every page of the council's); raises NotFound when it has none."""
    with db.reader() as session:
        key = session.scalars(select(Council.logo_key).where(Council.code == code.upper())).first()
    if key is None:
        raise NotFound("The council has no logo")
    try:
        content = storage.get(key)
    except FileNotFoundError:
        raise NotFound("The council's logo is missing from storage") from None
    content_type = "image/png" if key.endswith(".png") else "image/jpeg"
    return Logo(content, content_type, key.rsplit("/", 1)[-1])


def only_council(db: Database) -> CouncilDetails | None:
    """The council, when the deployment serves exactly one; None when it serves several (or none yet).

    A council is served when its staff use the deployment. One recorded only as a neighbour (ACV Regs
    reg.1(3), for the local connection test), with no staff here, does not make a deployment shared; until
    any council has staff, every council recorded counts.
    """
    with db.reader() as session:
        staffed = select(UserRole.council_id).where(UserRole.council_id.is_not(None))
        served = select(Council).where(Council.id.in_(staffed))
        if session.scalars(served.limit(1)).first() is None:
            served = select(Council)
        found = list(session.scalars(served.order_by(Council.code).limit(2)))
        return _details(found[0]) if len(found) == 1 else None
