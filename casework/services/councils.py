"""Councils and their neighbours (ACV Regs reg.1(3)): set up by an operator or the demo data."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import Conflict, InvalidInput, PermissionDenied
from casework.models import Council, CouncilHoliday, CouncilNeighbour
from casework.repositories import councils
from workflows import extent, registry
from workflows.definition import reminder_key
from workflows.periods.calendars import CLOSURE, PROCLAIMED
from workflows.roles import Role

NATIONS = extent.NATIONS
_WHOSE = {CLOSURE: "the council's closure day", PROCLAIMED: "bank holiday"}
_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,19}$")
# A CURIE as planning.data.gov.uk's organisation list writes them: prefix, colon, reference (local-authority:CMD).
_ORGANISATION = re.compile(r"^[a-z][a-z0-9-]{0,39}:[A-Za-z0-9][A-Za-z0-9-]{0,19}$")
ORGANISATION_HELP = "Enter the organisation as planning.data.gov.uk writes it, like local-authority:CMD"


def checked_organisation(text: str | None) -> str | None:
    """The national organisation CURIE, stripped; None for empty. Raises InvalidInput for anything else."""
    value = (text or "").strip()
    if value and not _ORGANISATION.match(value):
        raise InvalidInput({"organisation": ORGANISATION_HELP})
    return value or None


def create_council(
    db: Database,
    code: str,
    name: str,
    *,
    nation: str = "england",
    email: str | None = None,
    organisation: str | None = None,
    now: datetime | None = None,
) -> uuid.UUID:
    """Create a council. One transaction; raises InvalidInput or Conflict (the code is taken).

    `organisation` is its CURIE in the national dataset; without it, `local-authority:<code>`.
    """
    now = now or clock.utcnow()
    code = code.strip().upper()
    organisation = _checked(code, name, nation, organisation)
    with db.transaction() as session:
        if session.scalars(select(Council.id).where(Council.code == code)).first() is not None:
            raise Conflict(f"There is already a council with the code {code}")
        council = Council(
            id=uuid.uuid4(),
            code=code,
            name=name.strip(),
            nation=nation,
            email=email,
            organisation=organisation,
            created_at=now,
            reminder_offsets={},
        )
        session.add(council)
        return council.id


def _checked(code: str, name: str, nation: str, organisation: str | None) -> str | None:
    """The council's organisation CURIE, checked, once every field is good; else InvalidInput naming each problem."""
    errors = {}
    if not _CODE.match(code):
        errors["code"] = "The council code must be 2 to 20 letters or digits, starting with a letter"
    if not name.strip():
        errors["name"] = "Enter the council's name"
    if nation not in NATIONS:
        errors["nation"] = f"The nation must be one of {', '.join(NATIONS)}"
    try:
        organisation = checked_organisation(organisation)
    except InvalidInput as refusal:
        errors |= refusal.errors
    if errors:
        raise InvalidInput(errors)
    return organisation


def set_neighbours(db: Database, code: str, neighbour_codes: list[str]) -> None:
    """Record which councils share a boundary with `code`, in both directions. One transaction."""
    with db.transaction() as session:
        council = councils.get_by_code(session, code)
        neighbours = [councils.get_by_code(session, other) for other in neighbour_codes]
        session.execute(delete(CouncilNeighbour).where(CouncilNeighbour.council_id == council.id))
        for neighbour in neighbours:
            if neighbour.id == council.id:
                raise InvalidInput({"neighbours": "A council cannot neighbour itself"})
            session.add(CouncilNeighbour(council_id=council.id, neighbour_id=neighbour.id))
            session.merge(CouncilNeighbour(council_id=neighbour.id, neighbour_id=council.id))


@dataclass(frozen=True)
class ReminderTimer:
    """A deadline a council may set its own reminder days for, named as the admin's settings page shows it."""

    key: str  # reminder_key(workflow, timer): the name the days are kept under and the page's field name
    workflow: str
    process: str  # the workflow's title, which the settings page groups the timers under
    label: str
    defaults: tuple[int, ...]

    @property
    def described(self) -> str:
        """The timer in words with its process, for messages: two processes each have a "Decision due"."""
        return f"\u201c{self.label}\u201d ({self.process[0].lower()}{self.process[1:]})"


def reminder_timers() -> list[ReminderTimer]:
    """Every timer that sends reminders, once per workflow (its newest version), in workflow order."""
    found: dict[str, ReminderTimer] = {}
    for defn in sorted(registry.all_definitions(), key=lambda d: (d.name, -d.version)):
        for timer in defn.timers:
            key = reminder_key(defn.name, timer.name)
            if timer.remind and key not in found:
                found[key] = ReminderTimer(key, defn.name, defn.title, timer.label, timer.reminders)
    return list(found.values())


def set_reminder_offsets(db: Database, admin: Actor, offsets: dict[str, list[int]]) -> None:
    """The days before each kind of deadline when reminders go, for the admin's council. One transaction.

    `offsets` is keyed by workflow and timer (`reminder_key`, as `reminder_timers` lists them). Applies to
    deadlines armed from now on; an empty list means no reminders for that deadline. Raises InvalidInput
    naming each deadline in words.
    """
    _check_admin(admin)
    known = {timer.key: timer for timer in reminder_timers()}
    errors = {key: "No deadline has that name" for key in offsets if key not in known}
    errors |= {
        key: f"Reminders for {known[key].described} must be between 1 and 365 days before the deadline"
        for key, days in offsets.items()
        if key in known and any(d < 1 or d > 365 for d in days)
    }
    if errors:
        raise InvalidInput(errors)
    with db.transaction() as session:
        council = session.get_one(Council, admin.council_id)
        kept = {key: days for key, days in (council.reminder_offsets or {}).items() if key not in offsets}
        council.reminder_offsets = kept | {key: sorted(set(days), reverse=True) for key, days in offsets.items()}


def set_organisation(db: Database, code: str, organisation: str | None) -> str:
    """Set the CURIE the council's entries carry in the national dataset (empty: `local-authority:<code>`).

    For operators (the CLI). One transaction; returns the organisation the exports now write.
    Raises InvalidInput for a value that is not a CURIE, NotFound for an unknown council.
    """
    value = checked_organisation(organisation)
    with db.transaction() as session:
        council = councils.get_by_code(session, code)
        council.organisation = value
        return council.national_organisation


def set_my_organisation(db: Database, admin: Actor, organisation: str | None) -> str:
    """An admin sets their council's national organisation CURIE; see set_organisation."""
    _check_admin(admin)
    value = checked_organisation(organisation)
    with db.transaction() as session:
        council = session.get_one(Council, admin.council_id)
        council.organisation = value
        return council.national_organisation


def set_my_neighbours(db: Database, admin: Actor, neighbour_codes: list[str]) -> None:
    """An admin records which councils share a boundary with theirs (both directions)."""
    _check_admin(admin)
    with db.reader() as session:
        code = session.get_one(Council, admin.council_id).code
    set_neighbours(db, code, neighbour_codes)


def _check_admin(admin: Actor) -> None:
    if admin.role is not Role.COUNCIL_ADMIN or admin.council_id is None:
        raise PermissionDenied("Only a council admin can change the council's settings")


@dataclass(frozen=True)
class CouncilSettings:
    code: str
    name: str
    neighbours: tuple[str, ...]
    others: tuple[tuple[str, str], ...]
    holidays: tuple[tuple[date, str], ...]
    reminder_offsets: dict[str, list[int]]
    organisation: str | None  # as the admin set it
    national_organisation: str  # what the exports write


def council_settings(db: Database, admin: Actor) -> CouncilSettings:
    _check_admin(admin)
    with db.reader() as session:
        council = session.get_one(Council, admin.council_id)
        holidays = session.execute(
            select(CouncilHoliday.day, CouncilHoliday.name, CouncilHoliday.kind)
            .where(CouncilHoliday.council_id == council.id)
            .order_by(CouncilHoliday.day)
        )
        others = session.execute(
            select(Council.code, Council.name).where(Council.id != council.id).order_by(Council.name)
        )
        return CouncilSettings(
            council.code,
            council.name,
            tuple(sorted(councils.neighbour_codes(session, council.id))),
            tuple((code, name) for code, name in others),
            tuple((day, f"{name} ({_WHOSE.get(kind, 'closure day')})") for day, name, kind in holidays),
            dict(council.reminder_offsets),
            council.organisation,
            council.national_organisation,
        )
