"""The web app on a real database, driven through Flask's test client."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.adapters.smtp import SmtpMailer
from casework.config import Settings
from casework.db import Database
from casework.queries.people import user_view
from casework.services import sessions
from tests.mailserver import MailServer, start_mail_server
from web.app import create_app
from web.auth import default_role


def make_app(db: Database, tmp_path: Path, *, settings: dict[str, Any] | None = None, **config: object) -> Flask:
    chosen = Settings(
        database_url=str(db.url),
        secret_key="test-secret-key-that-is-long-enough",
        upload_dir=str(tmp_path / "up"),
        mail_dir=str(tmp_path / "mail"),
        base_url="https://casework.example",
    )
    return create_app(
        dataclasses.replace(chosen, **(settings or {})),
        db=db,
        config={"TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, **config},
    )


@pytest.fixture
def app(sqlite_db: Database, tmp_path: Path) -> Flask:
    return make_app(sqlite_db, tmp_path)


@pytest.fixture
def smtp() -> Iterator[tuple[MailServer, SmtpMailer]]:
    """A real SMTP server (aiosmtpd) and the mailer the worker would send to it with."""
    handler, controller = start_mail_server()
    mailer = SmtpMailer(f"smtp://127.0.0.1:{controller.port}", "Casework <noreply@casework.example>")
    yield handler, mailer
    mailer.close()  # a mailer keeps its connection open between emails
    controller.stop()


@pytest.fixture
def client(app: Flask) -> Iterator[FlaskClient]:
    with app.test_client() as test_client:
        yield test_client


def sign_in_as(client: FlaskClient, db: Database, user_id: uuid.UUID | None, role_key: str | None = None) -> None:
    """Put a user in the session the way signing in does, without spending a fifth of a second on argon2."""
    with client.session_transaction() as session:
        session.clear()
        if user_id is None:
            return
        user = user_view(db, user_id)
        assert user is not None
        session["user_id"] = str(user_id)
        session["session_id"] = str(sessions.start(db, user_id))
        session["acting"] = role_key or default_role(user).key


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


from tests.functional.web.scene import _built_scene, copied_scene  # noqa: E402,F401  (the access tests' fixtures)

scene = copied_scene  # built once per process and copied for each test (the drills build theirs: scene.scene)
