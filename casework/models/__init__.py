"""Every model, imported here so Alembic and the metadata see all tables."""

from casework.models.asset import Asset, AssetParty
from casework.models.base import Base
from casework.models.case import Case, CaseEvent, CaseLink
from casework.models.council import Council, CouncilHoliday, CouncilNeighbour, ReferenceCounter
from casework.models.deadline import Deadline, Reminder
from casework.models.document import Document
from casework.models.imports import ImportJob, ImportMapping
from casework.models.letter import Letter
from casework.models.notification import Delivery, PostcodePoint, Subscription
from casework.models.outbox import OutboxMessage
from casework.models.people import (
    ApiToken,
    EmailConfirmation,
    Organisation,
    PasswordReset,
    StaffInvitation,
    User,
    UserRole,
    UserSession,
)
from casework.models.policy import AssessorConflict, AssessorScore, ModeratedScore, Policy
from casework.models.register import RegisterEntry

__all__ = [
    "ApiToken",
    "AssessorConflict",
    "AssessorScore",
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
    "Delivery",
    "Document",
    "EmailConfirmation",
    "ImportJob",
    "ImportMapping",
    "Letter",
    "ModeratedScore",
    "Organisation",
    "OutboxMessage",
    "PasswordReset",
    "Policy",
    "PostcodePoint",
    "ReferenceCounter",
    "RegisterEntry",
    "Reminder",
    "StaffInvitation",
    "Subscription",
    "User",
    "UserRole",
    "UserSession",
]
