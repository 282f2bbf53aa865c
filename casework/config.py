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
    notify_template_id: str | None = None
    mail_from: str = "Community rights casework <noreply@casework.invalid>"
    mail_dir: str = "var/mail"
    upload_dir: str = "var/uploads"
    secure_cookies: bool = False  # Secure cookies always; on by default when BASE_URL is https
    trusted_proxies: int = 0  # how many proxies in front set X-Forwarded-For/-Proto/-Host (TRUSTED_PROXIES)
    rate_limit_storage: str = "memory://"
    service_name: str = "Community rights casework"
    base_url: str = "http://127.0.0.1:5000"
    relay_seconds: float = 5.0  # how often beat relays the outbox
    replay_seconds: float = 300.0  # how often beat looks for work whose broker message was lost
    replay_after_seconds: float = 300.0  # how old such work must be before it is queued again
    # A send claimed this long ago belongs to a worker that died: it is sent again (the same Message-ID). Also the
    # wait before sending again an email whose connection broke after it was handed over. Above task_time_limit.
    delivery_stale_seconds: float = 600.0
    broker_visibility_timeout: int = 3600  # Redis re-delivers an unacknowledged message after this
    sweep_seconds: float = 60.0  # how often beat asks for a deadline sweep
    sweep_batch_size: int = 200  # deadlines fired per transaction
    send_max_attempts: int = 20  # tries at an email the mail server cannot take now, before giving up
    send_retry_seconds: float = 30.0  # the wait after the first such try; it doubles each time...
    send_retry_max_seconds: float = 600.0  # ...up to this (well below broker_visibility_timeout)
    notify_base_url: str | None = None  # GOV.UK Notify's API; None means the client's own default
    provider_status_seconds: float = 600.0  # how often beat asks GOV.UK Notify what became of each email
    notify_callback_token: str | None = None  # the bearer token GOV.UK Notify's callbacks must carry
    # Map tiles, e.g. the Ordnance Survey Maps API's https://api.os.uk/maps/raster/v1/zxy/Light_3857/{z}/{x}/{y}.png?key=...
    # None draws each map's geometry on a plain background with a scale bar (offline, or no tile service to hand).
    map_tile_url: str | None = None
    map_tile_attribution: str = ""  # shown on every map with tiles, e.g. "Contains OS data © Crown copyright..."
    map_tile_max_zoom: int = 19

    @property
    def rate_limits_shared(self) -> bool:
        """Whether every web process counts rate limits in one store (Redis, Memcached...), not its own memory."""
        return not self.rate_limit_storage.startswith("memory://")

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
            notify_template_id=env.get("NOTIFY_TEMPLATE_ID") or None,
            mail_from=env.get("MAIL_FROM") or cls.mail_from,
            mail_dir=env.get("MAIL_DIR") or cls.mail_dir,
            upload_dir=env.get("UPLOAD_DIR") or cls.upload_dir,
            secure_cookies=_secure_cookies(env),
            trusted_proxies=int(env.get("TRUSTED_PROXIES") or 0),
            rate_limit_storage=env.get("RATELIMIT_STORAGE_URI") or env.get("REDIS_URL") or cls.rate_limit_storage,
            service_name=env.get("SERVICE_NAME") or cls.service_name,
            base_url=env.get("BASE_URL") or cls.base_url,
            relay_seconds=float(env.get("OUTBOX_RELAY_SECONDS") or cls.relay_seconds),
            replay_seconds=float(env.get("REPLAY_SECONDS") or cls.replay_seconds),
            replay_after_seconds=float(env.get("REPLAY_AFTER_SECONDS") or cls.replay_after_seconds),
            delivery_stale_seconds=float(env.get("DELIVERY_STALE_SECONDS") or cls.delivery_stale_seconds),
            broker_visibility_timeout=int(env.get("BROKER_VISIBILITY_TIMEOUT") or cls.broker_visibility_timeout),
            sweep_seconds=float(env.get("SWEEP_SECONDS") or cls.sweep_seconds),
            sweep_batch_size=int(env.get("SWEEP_BATCH_SIZE") or cls.sweep_batch_size),
            send_max_attempts=int(env.get("SEND_MAX_ATTEMPTS") or cls.send_max_attempts),
            send_retry_seconds=float(env.get("SEND_RETRY_SECONDS") or cls.send_retry_seconds),
            send_retry_max_seconds=float(env.get("SEND_RETRY_MAX_SECONDS") or cls.send_retry_max_seconds),
            notify_base_url=env.get("NOTIFY_BASE_URL") or None,
            provider_status_seconds=float(env.get("PROVIDER_STATUS_SECONDS") or cls.provider_status_seconds),
            notify_callback_token=env.get("NOTIFY_CALLBACK_TOKEN") or None,
            map_tile_url=env.get("MAP_TILE_URL") or None,
            map_tile_attribution=env.get("MAP_TILE_ATTRIBUTION") or cls.map_tile_attribution,
            map_tile_max_zoom=int(env.get("MAP_TILE_MAX_ZOOM") or cls.map_tile_max_zoom),
        )


def _secure_cookies(env: Mapping[str, str]) -> bool:
    """SECURE_COOKIES if set; otherwise on whenever the service's own address is https."""
    chosen = (env.get("SECURE_COOKIES") or "").strip().lower()
    if chosen:
        return chosen in {"1", "true", "yes", "on"}
    return (env.get("BASE_URL") or "").lower().startswith("https://")


def _normalise_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` forms hosting platforms hand out; use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url
