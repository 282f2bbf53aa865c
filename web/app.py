"""Flask application factory: configuration and wiring only, no business rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from flask_talisman import Talisman
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from casework.adapters.storage import FileStorage
from casework.config import Settings
from casework.db import Database
from web import auth, branding, errors, filters, maps
from web.actions import action_url
from web.app_security import policy
from web.extensions import csrf, limiter
from web.json_bodies import BoundedJSONProvider


def create_app(
    settings: Settings | None = None, *, db: Database | None = None, config: Mapping[str, Any] | None = None
) -> Flask:
    """Build the web app. Production passes nothing; tests pass their own Settings and Database."""
    settings = settings or Settings.from_env()
    content_security_policy = _checked_policy(settings)
    app = Flask(__name__, static_folder="static", static_url_path="/assets")
    _configure(app, settings, config)
    _templates(app)
    Talisman(
        app,
        force_https=False,  # TLS ends at the load balancer; HSTS is sent whenever a request arrives over HTTPS
        strict_transport_security=True,
        session_cookie_secure=settings.secure_cookies,
        frame_options="DENY",
        content_security_policy=content_security_policy,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy="strict-origin-when-cross-origin",
    )
    _extensions(app, settings, db)
    filters.register(app)
    maps.register(app)
    auth.register(app)
    branding.register(app)
    errors.register(app)
    _blueprints(app)
    return app


def _checked_policy(settings: Settings) -> dict[str, str]:
    """The content security policy, after checking the settings a site cannot run without: a wrong setting stops
    the app at start with a sentence saying which, not at the first request."""
    if not settings.secret_key:
        raise RuntimeError("Set SECRET_KEY: it signs sessions and form tokens (casework run makes one up for demos)")
    try:
        return policy(settings.map_tile_url)
    except ValueError as wrong:
        raise RuntimeError(str(wrong)) from None


def _configure(app: Flask, settings: Settings, config: Mapping[str, Any] | None) -> None:
    """Requests, sessions and limits: what Flask and its extensions read from the app before they start."""
    app.json = BoundedJSONProvider(app)  # a body nested too deep is a 400, not a RecursionError
    if settings.trusted_proxies > 0:
        # Believe X-Forwarded-For/-Proto/-Host from exactly that many proxies, so that the client's own address
        # keys the rate limits and an https request behind the load balancer is seen as one (HSTS, Secure).
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.session_interface = TlsAwareSessions()
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        # Uploads up to 10 MB are stored; up to 40 MB the form comes back with its error on the file and everything
        # else typed still there; a bigger request is refused before it is read (a 413 page saying why).
        MAX_CONTENT_LENGTH=40 * 1024 * 1024,
        SERVICE_NAME=settings.service_name,
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.config.update(config or {})  # tests switch CSRF or rate limits off here, before the extensions read them


def _templates(app: Flask) -> None:
    """The site's templates first, then GOV.UK Frontend's macros under their package names."""
    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("web"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals["action_url"] = action_url


def _extensions(app: Flask, settings: Settings, db: Database | None) -> None:
    """CSRF, rate limits and GOV.UK form widgets, and what views reach casework through (web.extensions)."""
    csrf.init_app(app)
    limiter.init_app(app)
    WTFormsHelpers(app)
    app.extensions["casework_db"] = db or Database(settings.database_url)
    app.extensions["casework_settings"] = settings
    app.extensions["casework_storage"] = FileStorage(settings.upload_dir)


class TlsAwareSessions(SecureCookieSessionInterface):
    """The session cookie is Secure when configured so, and also whenever the request itself came over TLS
    (directly, or as a trusted proxy says), so a service behind HTTPS never sends it in the clear."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(super().get_cookie_secure(app)) or request.is_secure


def _blueprints(app: Flask) -> None:
    from web.account import bp as account
    from web.admin import bp as admin
    from web.api import bp as api
    from web.cases import bp as cases
    from web.community import bp as community
    from web.officer import bp as officer
    from web.owner import bp as owner
    from web.public import bp as public

    app.register_blueprint(public)
    app.register_blueprint(cases)
    app.register_blueprint(account, url_prefix="/account")
    app.register_blueprint(community, url_prefix="/community")
    app.register_blueprint(owner, url_prefix="/owner")
    app.register_blueprint(officer, url_prefix="/officer")
    app.register_blueprint(admin, url_prefix="/admin")
    app.register_blueprint(api, url_prefix="/api")
    csrf.exempt(api)  # bearer tokens, not cookies: a cross-site form cannot use them
