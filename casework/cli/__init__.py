"""The `casework` command: database, demo data, users, statutory dates, sweeps, workflows, imports.

Bad input prints one clear sentence on stderr and exits non-zero; no traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

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


def database() -> Database:
    return Database(Settings.from_env().database_url)


def fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def friendly_errors(command: F) -> F:
    """Turn refusals and an unmigrated database into one sentence and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except WorkflowRefusal as refusal:
            fail("; ".join(refusal.reasons) or str(refusal))
        except (OperationalError, ProgrammingError) as exc:
            if "no such table" in str(exc) or "does not exist" in str(exc):
                fail("the database has no tables yet: run `casework db upgrade` first")
            fail(f"the database refused the request: {exc.orig}")
        return None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Casework for community rights: assets of community value, the right to bid, and more."""


def main() -> None:
    from casework.cli import admin, data, periods, policy, run, workflows  # noqa: F401  (registers the commands)

    cli()
