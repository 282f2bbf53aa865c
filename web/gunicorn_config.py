"""gunicorn's settings for the site, and its refusal to over-count: `gunicorn -c python:web.gunicorn_config
web.wsgi:application`, as `casework run`, web/Dockerfile and docker-compose.yml start it.

Flask-Limiter counts sign-in tries and the like in the store RATELIMIT_STORAGE_URI (or REDIS_URL) names. With
neither, each process counts in its own memory, so several gunicorn workers would each allow the whole limit: 14
wrong passwords in a minute got 10 through two workers against a limit of 5. Limits are counted in one shared place,
so the default is one worker process with threads (exact: its threads share one store, which locks each count),
and several workers with no shared store refuse to start, saying why.
"""

from __future__ import annotations

from typing import Any

from casework.config import Settings

workers = 1
threads = 4  # one process answers several requests at once, all counting in its one store
worker_class = "gthread"


def refusal(workers: int, settings: Settings) -> str | None:
    """Why `workers` processes cannot serve with these settings, or None when they can."""
    if workers <= 1 or settings.rate_limits_shared:
        return None
    return (
        f"{workers} web workers would each count rate limits (such as wrong passwords) in their own memory, letting "
        f"{workers} times the limit through. Set REDIS_URL (or RATELIMIT_STORAGE_URI) to a store they all share, "
        "or run one worker with threads (--workers 1 --threads 4, as casework run does)."
    )


def nworkers_changed(server: Any, new_value: int, old_value: int | None) -> None:
    """gunicorn's hook for the number of workers, at start (old_value None) and on TTIN: refuse to over-count.
    A RuntimeError at start is printed by gunicorn as "Error: ..." and it exits 1."""
    reason = refusal(new_value, Settings.from_env())
    if reason:
        raise RuntimeError(reason)
