"""The `casework` command: database, demo data, users, statutory dates, sweeps, workflows, imports.

Bad input prints one clear sentence on stderr and exits non-zero; no traceback.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from casework.config import Settings
from casework.db import Database
from workflows.errors import WorkflowRefusal

F = TypeVar("F", bound=Callable[..., Any])


class IsoDate(click.ParamType[date]):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date; write it as YYYY-MM-DD, like 2025-09-05", param, ctx)


class IsoDateTime(click.ParamType[datetime]):
    name = "ISO-DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date and time; write it like 2026-03-05T00:00:00Z", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


ISO_DATE = IsoDate()
ISO_DATETIME = IsoDateTime()


_SUPPORTED = ("sqlite", "postgresql")
_NO_DATABASE = re.compile(r'database "([^"]+)" does not exist')
_NO_TABLE_CODE = "42P01"  # PostgreSQL's undefined_table


def database(*, create: bool = False) -> Database:
    """The database DATABASE_URL names, checked first: a command never makes a database it only reads.

    Only `create` (db upgrade, run) may bring a new SQLite file into being; anything else with no file
    there is told how to make one, rather than leaving an empty file behind in the current directory.
    """
    url = _database_url()
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:") and not create:
        path = Path(url.database or "")
        if not path.exists():
            fail(f"there is no database at {path}: run `casework db upgrade` to create it, or set DATABASE_URL")
    try:
        return Database(url.render_as_string(hide_password=False))
    except ImportError as missing:
        fail(f"DATABASE_URL needs the database driver {missing.name or 'for it'}, which is not installed")


def _database_url() -> URL:
    raw = Settings.from_env().database_url
    try:
        url = make_url(raw)
    except ArgumentError:
        fail("DATABASE_URL is not a database URL: write it like sqlite:///var/casework.db or postgresql://user@host/db")
    if url.get_backend_name() not in _SUPPORTED:
        fail(f"DATABASE_URL names a {url.get_backend_name()} database: casework runs on SQLite or PostgreSQL")
    return url


def fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def _database_problem(exc: OperationalError | ProgrammingError) -> str:
    """One sentence for what went wrong with the database itself, saying what to do about it."""
    text = " ".join(line.strip() for line in str(exc.orig).strip().splitlines())
    missing = _NO_DATABASE.search(text)
    if missing and isinstance(exc, OperationalError):
        name = missing.group(1)
        return (
            f'the database "{name}" does not exist on the server: create it (for example `createdb {name}`, or '
            f'CREATE DATABASE "{name}" in psql), then run `casework db upgrade`'
        )
    if "no such table" in text or getattr(exc.orig, "sqlstate", None) == _NO_TABLE_CODE:
        return "the database has no tables yet: run `casework db upgrade` first"
    if isinstance(exc, OperationalError) and ("connection" in text or "connect" in text):
        return f"cannot connect to the database: {text}"
    return f"the database refused the request: {text or exc}"


def friendly_errors(command: F) -> F:
    """Turn refusals and database problems (none there, no tables, no connection) into one sentence and exit 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WorkflowRefusal as refusal:
            fail("; ".join(refusal.reasons) or str(refusal))
        except (OperationalError, ProgrammingError) as exc:
            fail(_database_problem(exc))
        return None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Casework for community rights: assets of community value, the right to bid, and more."""


def main() -> None:
    from casework.cli import admin, data, periods, policy, run, workflows  # noqa: F401  (registers the commands)

    cli()
