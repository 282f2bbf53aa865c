"""Behind a proxy: the client's own address keys the sign-in limit, HTTPS is recognised (HSTS, Secure cookies);
and the session cookie's flags."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casework.config import Settings
from casework.db import Database
from casework.services import accounts
from tests.functional.web.conftest import make_app

pytestmark = pytest.mark.integration
WRONG = {"password": "not the password"}


def sign_in_codes(client: object, count: int, email: str, address: str) -> list[int]:
    return [
        client.post(  # type: ignore[attr-defined]
            "/account/sign-in", data={**WRONG, "email": email}, headers={"X-Forwarded-For": address}
        ).status_code
        for _ in range(count)
    ]


def test_behind_a_trusted_proxy_each_client_and_email_has_its_own_sign_in_limit(
    sqlite_db: Database, tmp_path: Path
) -> None:
    accounts.create_user(sqlite_db, "ann@example.org", "Ann")
    app = make_app(sqlite_db, tmp_path, settings={"trusted_proxies": 1}, RATELIMIT_ENABLED=True)
    with app.test_client() as client:
        first = sign_in_codes(client, 6, "ann@example.org", "203.0.113.1")
        other_client = sign_in_codes(client, 1, "ann@example.org", "203.0.113.2")
        other_email = sign_in_codes(client, 1, "bob@example.org", "203.0.113.1")

    assert first == [200] * 5 + [429]
    assert other_client == [200] and other_email == [200]


def test_without_a_trusted_proxy_a_forwarded_address_changes_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    app = make_app(sqlite_db, tmp_path, RATELIMIT_ENABLED=True)
    with app.test_client() as client:
        codes = [
            *sign_in_codes(client, 5, "ann@example.org", "203.0.113.1"),
            *sign_in_codes(client, 1, "ann@example.org", "203.0.113.2"),  # a header anyone can send
        ]

    assert codes == [200] * 5 + [429]


@pytest.mark.parametrize(("proxies", "secure"), [(1, True), (0, False)], ids=["trusted proxy", "no proxy"])
def test_https_at_a_trusted_proxy_brings_hsts_and_a_secure_session_cookie(
    sqlite_db: Database, tmp_path: Path, proxies: int, secure: bool
) -> None:
    app = make_app(
        sqlite_db, tmp_path, settings={"trusted_proxies": proxies, "secure_cookies": False}, WTF_CSRF_ENABLED=True
    )
    with app.test_client() as client:
        page = client.get("/account/sign-in", headers={"X-Forwarded-Proto": "https"})

    cookie = page.headers["Set-Cookie"]
    if secure:  # (flask-talisman sends HSTS for that header alone; a browser ignores it over plain HTTP)
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert ("; Secure" in cookie) is secure
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


def test_the_session_cookie_is_secure_whenever_the_service_is_configured_for_https(
    sqlite_db: Database, tmp_path: Path
) -> None:
    app = make_app(sqlite_db, tmp_path, settings={"secure_cookies": True}, WTF_CSRF_ENABLED=True)
    with app.test_client() as client:
        cookie = client.get("/account/sign-in").headers["Set-Cookie"]

    assert "; Secure" in cookie and "; HttpOnly" in cookie


@pytest.mark.parametrize(
    ("env", "secure"),
    [
        ({"BASE_URL": "https://casework.example.gov.uk"}, True),
        ({"BASE_URL": "http://127.0.0.1:5000"}, False),
        ({}, False),
        ({"BASE_URL": "https://casework.example.gov.uk", "SECURE_COOKIES": "false"}, False),
        ({"BASE_URL": "http://localhost:8000", "SECURE_COOKIES": "true"}, True),
    ],
)
def test_secure_cookies_default_on_when_the_service_address_is_https(env: dict[str, str], secure: bool) -> None:
    assert Settings.from_env(env).secure_cookies is secure


def test_docker_compose_runs_the_web_with_secure_cookies() -> None:
    spec = yaml.safe_load((Path(__file__).resolve().parents[3] / "docker-compose.yml").read_text())
    environment = spec["services"]["web"]["environment"]
    assert environment["SECURE_COOKIES"] == "${SECURE_COOKIES:-true}"
    assert "TRUSTED_PROXIES" in environment
