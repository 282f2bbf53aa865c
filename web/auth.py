"""Who is signed in, which role they are acting in, and the decorators that let them in (or not)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g, redirect, request, session, url_for

from casework import clock
from casework.actors import Actor
from casework.queries.people import RoleView, UserView, signed_in_user, user_view
from casework.services import accounts, sessions
from casework.vocabulary import STAFF_ROLES, Role
from web.extensions import casework_db

F = TypeVar("F", bound=Callable[..., Any])


def register(app: Flask) -> None:
    app.before_request(_load_user)
    app.context_processor(lambda: {"current_user": g.get("user"), "acting": g.get("acting")})


def _load_user() -> None:
    g.user, g.acting, g.actor = None, None, None
    user_id, session_id = session.get("user_id"), session.get("session_id")
    if not user_id:
        return
    # The session must still be open on the server: signing out (here or on all devices), a changed or reset
    # password, or a deactivated account ends it, and a saved copy of this cookie with it.
    user = (
        signed_in_user(casework_db(), uuid.UUID(user_id), uuid.UUID(session_id), now=clock.utcnow())
        if session_id
        else None
    )
    if user is None or not user.active:
        session.clear()
        return
    g.user = user
    g.acting = next((r for r in user.roles if r.key == session.get("acting")), default_role(user))


def default_role(user: UserView) -> RoleView:
    for wanted in (Role.OFFICER, Role.REVIEWER, Role.COUNCIL_ADMIN, Role.COMMUNITY_MEMBER):
        for held in user.roles:
            if held.role is wanted:
                return held
    return next(r for r in user.roles if r.role is Role.OWNER)


def sign_in(user_id: uuid.UUID) -> None:
    user = user_view(casework_db(), user_id)
    if user is None:
        abort(404)
    sign_out()  # nothing from before signing in survives it
    session.permanent = True
    session["user_id"] = str(user.id)
    session["session_id"] = str(sessions.start(casework_db(), user.id))
    session["acting"] = default_role(user).key
    g.user, g.acting, g.actor = user, default_role(user), None


# Where each role's work is: the page a person lands on after signing in or switching role.
_LANDINGS: dict[Role, tuple[str, str | None]] = {
    Role.OFFICER: ("officer.queue", None),
    Role.REVIEWER: ("officer.reviews", None),  # cases awaiting review in every process
    Role.COUNCIL_ADMIN: ("admin.index", None),
    Role.COMMUNITY_MEMBER: ("community.dashboard", None),
    Role.OWNER: ("owner.dashboard", None),
}


def landing() -> str:
    """The page of the signed-in person's work in the role they act in now; their account page otherwise."""
    acting: RoleView | None = g.get("acting")
    if acting is not None and not acting.chosen:
        # No role asked for yet: someone who signed up for a community group and has not registered it (an owner
        # says so when signing up, or is recorded against their land by the council). Its page says what next.
        return url_for("community.dashboard")
    endpoint, state = _LANDINGS.get(acting.role, ("account.index", None)) if acting else ("account.index", None)
    return url_for(endpoint, state=state) if state else url_for(endpoint)


def sign_out() -> None:
    """End this browser's session on the server as well as forgetting the cookie."""
    session_id = session.get("session_id")
    if session_id:
        sessions.end(casework_db(), uuid.UUID(session_id))
    session.clear()


def current_session_id() -> uuid.UUID | None:
    session_id = session.get("session_id")
    return uuid.UUID(session_id) if session_id and g.get("user") is not None else None


def act_as(key: str, *, reload: bool = False) -> bool:
    """Switch the role the signed-in user acts in; `reload` first re-reads roles just granted."""
    if reload and g.get("user") is not None:
        g.user = user_view(casework_db(), g.user.id)
        g.actor = None
    user: UserView | None = g.get("user")
    if user is None or not any(r.key == key for r in user.roles):
        return False
    session["acting"] = key
    g.acting, g.actor = next(r for r in user.roles if r.key == key), None
    return True


def current_actor() -> Actor | None:
    """The Actor for the signed-in user in the role they chose, or None for a visitor."""
    if g.get("actor") is None and g.get("user") is not None:
        acting: RoleView = g.acting
        user: UserView = g.user  # read with its roles at the start of this request
        g.actor = user.actor(acting) or accounts.actor_for(casework_db(), user.id, acting.role, acting.council_code)
    actor: Actor | None = g.get("actor")
    return actor


def require_actor() -> Actor:
    actor = current_actor()
    if actor is None:
        abort(401)
    return actor


def signed_in(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            return redirect(url_for("account.sign_in", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def acting_as(*roles: Role) -> Callable[[F], F]:
    """Let in only a signed-in user acting in one of `roles`; others see why, and how to switch."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is None:
                return redirect(url_for("account.sign_in", next=request.full_path.rstrip("?")))
            if g.acting.role not in roles:
                g.wanted_roles = roles
                abort(403)
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


STAFF = tuple(STAFF_ROLES)
