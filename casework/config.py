"""Settings read once from the environment at start-up; shared by the CLI, web and worker."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("var") / "casework.db"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with defaults that work on a fresh machine (SQLite, no servers)."""

    database_url: str
    secret_key: str | None = None
    redis_url: str | None = None
    broker_url: str | None = None
    smtp_url: str | None = None
    notify_api_key: str | None = None
    service_name: str = "Community rights casework"
    base_url: str = "http://127.0.0.1:5000"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=_normalise_url(env.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"),
            secret_key=env.get("SECRET_KEY") or None,
            redis_url=env.get("REDIS_URL") or None,
            broker_url=env.get("CELERY_BROKER_URL") or None,
            smtp_url=env.get("SMTP_URL") or None,
            notify_api_key=env.get("NOTIFY_API_KEY") or None,
            service_name=env.get("SERVICE_NAME") or cls.service_name,
            base_url=env.get("BASE_URL") or cls.base_url,
        )


def _normalise_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting platforms hand out; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
