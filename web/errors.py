"""Error pages (GOV.UK patterns) and API problem details. Nobody ever sees a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException

from casework.errors import NotFound, PermissionDenied
from casework.vocabulary import WorkflowRefusal
from web.json_bodies import MAX_DEPTH
from web.problems import problem, wants_problem

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


UNREADABLE_JSON = f"Send the body as valid JSON, with objects and arrays nested no more than {MAX_DEPTH} deep."


def refuse_unstorable_text() -> ResponseReturnValue | None:
    """Refuse unreadable JSON, NUL bytes and lone surrogates up front: JSON nested too deep would exhaust the stack,
    and PostgreSQL cannot store the others, so each would be a 500."""
    sent: list[Any] = [request.path, *request.args.lists(), *request.form.lists()]
    if request.is_json and request.content_length != 0:
        try:
            sent.append(request.get_json())  # web.json_bodies bounds the depth; the parsed body is cached for the view
        except BadRequest:
            return _page(400, UNREADABLE_JSON)
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


def http_error(error: HTTPException) -> ResponseReturnValue:
    """Werkzeug's error as our page or problem, keeping the headers it carries: a 405 says which methods are
    allowed (RFC 9110 s.15.5.6), a 401 how to authenticate. A response the view built for its own refusal (the
    alerts form, over its limit, shown again with the reason beside the field) is sent as it is."""
    if error.response is not None and not wants_problem():
        return error.response
    response = current_app.make_response(_page(error.code or 500, _detail(error)))
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def register(app: Flask) -> None:
    app.before_request(refuse_unstorable_text)
    app.register_error_handler(413, too_big)

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return _page(400, "The page had expired. Go back, reload the page and try again.")

    app.register_error_handler(HTTPException, http_error)

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
