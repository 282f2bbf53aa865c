"""Error pages (GOV.UK patterns) and API problem details. Nobody ever sees a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from casework.errors import NotFound, PermissionDenied
from web.problems import problem, wants_problem
from workflows.errors import WorkflowRefusal

log = logging.getLogger(__name__)

TITLES = {
    400: "There is a problem with your request",
    401: "You need to sign in",
    403: "You cannot see this page",
    404: "Page not found",
    405: "That is not allowed here",
    413: "The file is too big",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def _page(status: int, detail: str | None = None) -> ResponseReturnValue:
    if wants_problem():
        return problem(status, TITLES.get(status, "Error"), detail, code=str(status))
    return render_template(
        "errors/error.html",
        status=status,
        title=TITLES.get(status, "Error"),
        detail=detail,
        wanted=g.get("wanted_roles"),
    ), status


def _unstorable(value: Any) -> bool:
    """Text no database column can hold: a NUL byte, or a lone surrogate (not UTF-8), anywhere in `value`."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return "\x00" in value
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_unstorable(v) for v in value)
    return False


def refuse_unstorable_text() -> ResponseReturnValue | None:
    """Refuse NUL bytes and lone surrogates up front: PostgreSQL cannot store them, so they would be a 500."""
    sent: list[Any] = [request.path, *request.args.lists(), *request.form.lists()]
    if request.is_json:
        sent.append(request.get_json(silent=True))
    if _unstorable(sent):
        return _page(400, "The request contained a character that cannot be stored, such as a NUL byte.")
    return None


def _detail(error: HTTPException) -> str | None:
    detail = {413: "Files must be smaller than 10 MB.", 429: "Wait a minute and try again."}.get(error.code or 500)
    if detail is None and error.description != type(error).description:
        detail = error.description  # a sentence the view wrote for this refusal, not Werkzeug's default
    return detail


def too_big(error: HTTPException) -> ResponseReturnValue:
    """A request too big to read: the page says so with the error summary, and links back to the form."""
    if wants_problem():
        return _page(413, _detail(error))
    back = request.referrer if (request.referrer or "").startswith(request.host_url) else None
    return render_template("errors/too_big.html", back=back), 413


def register(app: Flask) -> None:
    app.before_request(refuse_unstorable_text)
    app.register_error_handler(413, too_big)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return _page(400, "The page had expired. Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        return _page(error.code or 500, _detail(error))

    @app.errorhandler(NotFound)
    def not_found(error: NotFound) -> ResponseReturnValue:
        return _page(404, "; ".join(error.reasons))

    @app.errorhandler(PermissionDenied)
    def denied(error: PermissionDenied) -> ResponseReturnValue:
        return _page(403, "; ".join(error.reasons))

    @app.errorhandler(WorkflowRefusal)
    def refused(error: WorkflowRefusal) -> ResponseReturnValue:
        if wants_problem():
            return problem(422, "The request was refused", "; ".join(error.reasons), code=error.code)
        return render_template(
            "errors/error.html", status=422, title="We could not do that", detail="; ".join(error.reasons)
        ), 422

    @app.errorhandler(Exception)
    def crashed(error: Exception) -> ResponseReturnValue:
        log.exception("unhandled error")
        return _page(500, "Try again later.")
