"""The workflow terms casework shows its callers: roles, kinds of body, answers, choices and refusals.

The web names these when it builds forms, checks who is acting and catches a refusal; they are the
statute's words as `workflows` defines them, presented here on purpose so that a caller of casework needs
nothing from `workflows` itself. Behaviour (assessing, computing periods, drawing diagrams) is not here: it
is asked for through `casework.queries`.
"""

from __future__ import annotations

from workflows.checklists import EXEMPT_DISPOSALS, LandAnswers
from workflows.eligibility import BODY_TYPE_LABELS, CONSTITUTION_QUESTIONS, BodyType
from workflows.errors import (
    GuardFailed,
    InvalidData,
    RoleNotAllowed,
    RuleNotInForce,
    TransitionNotAllowed,
    WorkflowRefusal,
)
from workflows.moratorium import LATE_CIG_REQUEST
from workflows.party_words import PartyWords
from workflows.periods import LONDON, Unit, long_date
from workflows.periods.calendars import CLOSURE
from workflows.policies import KINDS, MAX_EOI_CRITERIA, OPTIONAL_PERIODS, TENURES
from workflows.roles import STAFF_ROLES, Role
from workflows.scotland_atr import REQUEST_TYPES

__all__ = [
    "BODY_TYPE_LABELS",
    "CLOSURE",
    "CONSTITUTION_QUESTIONS",
    "EXEMPT_DISPOSALS",
    "KINDS",
    "LATE_CIG_REQUEST",
    "LONDON",
    "MAX_EOI_CRITERIA",
    "OPTIONAL_PERIODS",
    "REQUEST_TYPES",
    "STAFF_ROLES",
    "TENURES",
    "BodyType",
    "GuardFailed",
    "InvalidData",
    "LandAnswers",
    "PartyWords",
    "Role",
    "RoleNotAllowed",
    "RuleNotInForce",
    "TransitionNotAllowed",
    "Unit",
    "WorkflowRefusal",
    "long_date",
]
