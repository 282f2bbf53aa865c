"""Typed refusals raised by casework services. Workflow refusals live in `workflows.errors`.

Each carries a sentence a user can act on; web, API and CLI show it as it is.
"""

from __future__ import annotations

from workflows.errors import WorkflowRefusal


class CaseworkError(WorkflowRefusal):
    """A service refused; nothing was written."""

    code = "casework-error"


class NotFound(CaseworkError):
    code = "not-found"


class CaseNotFound(NotFound):
    code = "case-not-found"


class StaleCase(CaseworkError):
    """The case changed after the actor loaded it (someone else acted first)."""

    code = "case-changed"

    def __init__(self, reference: str) -> None:
        super().__init__(
            f"Case {reference} was changed by someone else after you opened it. Check the latest details and try again"
        )


class PermissionDenied(CaseworkError):
    code = "permission-denied"


class Conflict(CaseworkError):
    """The request contradicts what is already recorded (a second notice, a duplicate user...)."""

    code = "conflict"


class NotLawHere(Conflict):
    """The regime a workflow runs is not law in the council's nation (LA 2011 Part 5 Ch.3 is English, say)."""

    code = "not-law-here"


class InvalidInput(CaseworkError):
    """Input that is malformed before any workflow rule applies; `errors` maps field to message."""

    code = "invalid-input"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(*errors.values())
        self.errors = errors


class InvalidMigration(CaseworkError):
    code = "invalid-migration"
