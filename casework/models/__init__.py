"""Every model, imported here so Alembic and the metadata see all tables."""

from casework.models.asset import Asset, AssetParty
from casework.models.base import Base
from casework.models.case import Case, CaseEvent, CaseLink
from casework.models.council import Council, CouncilHoliday, CouncilNeighbour, ReferenceCounter
from casework.models.deadline import Deadline, Reminder
from casework.models.document import Document
from casework.models.outbox import OutboxMessage
from casework.models.people import Organisation, User, UserRole
from casework.models.register import RegisterEntry

__all__ = [
    "Asset",
    "AssetParty",
    "Base",
    "Case",
    "CaseEvent",
    "CaseLink",
    "Council",
    "CouncilHoliday",
    "CouncilNeighbour",
    "Deadline",
    "Document",
    "Organisation",
    "OutboxMessage",
    "ReferenceCounter",
    "RegisterEntry",
    "Reminder",
    "User",
    "UserRole",
]
