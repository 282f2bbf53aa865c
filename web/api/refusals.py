"""Refusals as RFC 9457 problem details: each casework or workflow refusal becomes the status a client can act
on (422 invalid or refused, 409 conflicting, 403 not allowed, 404 missing), with its reasons and citations."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from casework.errors import CaseNotFound, Conflict, InvalidInput, NotFound, PermissionDenied, StaleCase
from casework.vocabulary import GuardFailed, InvalidData, RoleNotAllowed, TransitionNotAllowed, WorkflowRefusal
from web.api import bp
from web.problems import problem


@bp.errorhandler(InvalidInput)
@bp.errorhandler(InvalidData)
def invalid(error: InvalidInput | InvalidData) -> ResponseReturnValue:
    return problem(
        422, "The request has invalid data", "; ".join(error.reasons), code="invalid-data", errors=error.errors
    )


@bp.errorhandler(StaleCase)
def stale(error: StaleCase) -> ResponseReturnValue:
    return problem(409, "The case has changed", "; ".join(error.reasons), code=error.code)


@bp.errorhandler(Conflict)
def conflict(error: Conflict) -> ResponseReturnValue:
    return problem(
        409,
        "That conflicts with what is recorded",
        "; ".join(error.reasons),
        code=error.code,
        citations=list(error.citations) or None,
    )


@bp.errorhandler(TransitionNotAllowed)
@bp.errorhandler(GuardFailed)
def refused(error: WorkflowRefusal) -> ResponseReturnValue:
    return problem(
        422,
        "The action was refused",
        "; ".join(error.reasons),
        code=error.code,
        reasons=list(error.reasons),
        citations=list(error.citations) or None,
    )


@bp.errorhandler(RoleNotAllowed)
@bp.errorhandler(PermissionDenied)
def forbidden(error: WorkflowRefusal) -> ResponseReturnValue:
    return problem(
        403, "You may not do that", "; ".join(error.reasons), code=error.code, citations=list(error.citations) or None
    )


@bp.errorhandler(NotFound)
@bp.errorhandler(CaseNotFound)
def missing(error: NotFound) -> ResponseReturnValue:
    return problem(404, "Not found", "; ".join(error.reasons), code=error.code)
