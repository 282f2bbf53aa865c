"""Bearer tokens (RFC 6750): each endpoint that needs one authenticates it as the Actor it stands for."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Response, g, request
from flask.typing import ResponseReturnValue

from casework.actors import Actor
from casework.errors import NotFound, PermissionDenied
from casework.services import credentials
from web.extensions import casework_db
from web.problems import problem

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])


def token_required(view: F) -> F:
    """Authenticate the Authorization: Bearer token as the Actor it stands for."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            return _unauthenticated(
                "A bearer token is needed", "Send Authorization: Bearer <token>; create one on your account page"
            )
        try:
            g.api_actor = credentials.actor_for_token(casework_db(), header[7:].strip())
        except (PermissionDenied, NotFound):
            return _unauthenticated("The token is not valid", "It may have been revoked", error="invalid_token")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _unauthenticated(title: str, detail: str, *, error: str | None = None) -> Response:
    """401 with the challenge RFC 6750 s.3 asks for: which scheme, and why a token sent was refused."""
    response = problem(401, title, detail, code="unauthenticated")
    challenge = 'Bearer realm="casework"'
    response.headers["WWW-Authenticate"] = f'{challenge}, error="{error}"' if error else challenge
    return response


def actor() -> Actor:
    found: Actor = g.api_actor
    return found
