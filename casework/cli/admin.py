"""`casework db upgrade`, `create-council`, `create-user` and `holidays`."""

from __future__ import annotations

import uuid
from datetime import date

import click

from casework.actors import SYSTEM
from casework.cli import ISO_DATE, cli, database, friendly_errors
from casework.migrate import current_revision, head_revision, upgrade_to_head
from casework.repositories import councils as council_repo
from casework.services import accounts, councils, credentials, holidays
from casework.services.accounts import RoleGrant
from workflows.extent import NATIONS
from workflows.periods import long_date
from workflows.periods.calendars import CLOSURE, PROCLAIMED
from workflows.roles import Role


@cli.group("db")
def db_group() -> None:
    """The database schema."""


@db_group.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Create or upgrade the tables to the newest migration. Safe to run again."""
    db = database(create=True)
    try:
        upgrade_to_head(db)
        click.echo(f"Database at {db.url.render_as_string(hide_password=True)} is at revision {current_revision(db)}")
    finally:
        db.dispose()


@db_group.command("current")
@friendly_errors
def db_current() -> None:
    """Show the schema revision of the database and of the code."""
    db = database()
    try:
        click.echo(f"database: {current_revision(db) or 'empty'}; code: {head_revision()}")
    finally:
        db.dispose()


@cli.command("create-council")
@click.argument("code")
@click.argument("name")
@click.option("--nation", type=click.Choice(NATIONS), default="england", show_default=True)
@click.option("--neighbour", "neighbours", multiple=True, help="Code of a council sharing a boundary (repeatable).")
@click.option(
    "--organisation",
    help="Its CURIE in planning.data.gov.uk's national data, like local-authority:CMD (default: local-authority:CODE).",
)
@friendly_errors
def create_council(code: str, name: str, nation: str, neighbours: tuple[str, ...], organisation: str | None) -> None:
    """Create a council with the short CODE used in references (like BDC) and its NAME."""
    db = database()
    try:
        councils.create_council(db, code, name, nation=nation, organisation=organisation)
        if neighbours:
            councils.set_neighbours(db, code, list(neighbours))
        click.echo(f"Created {name} ({code.upper()})")
    finally:
        db.dispose()


@cli.command("set-organisation")
@click.argument("code")
@click.argument("organisation")
@friendly_errors
def set_organisation(code: str, organisation: str) -> None:
    """Set the CURIE (like local-authority:CMD) council CODE's entries carry in national data; "" for the default."""
    db = database()
    try:
        written = councils.set_organisation(db, code, organisation)
        click.echo(f"{code.upper()}'s entries are published with organisation {written}")
    finally:
        db.dispose()


@cli.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", "role", required=True, type=click.Choice([r.value for r in Role if r is not Role.SYSTEM]))
@click.option("--council", help="Council code, for officers, reviewers and admins.")
@click.option("--organisation", type=click.UUID, help="Organisation id, for community group members.")
@click.password_option(
    help="Prompted for (twice) when not given; or set CASEWORK_PASSWORD.", envvar="CASEWORK_PASSWORD"
)
@click.option("--token", "token_name", help="Also make an API bearer token with this name, printed once.")
@friendly_errors
def create_user(
    email: str,
    name: str,
    role: str,
    council: str | None,
    organisation: uuid.UUID | None,
    password: str,
    token_name: str | None,
) -> None:
    """Create a user who can sign in, with one role (and, with --token, an API token for a program)."""
    db = database()
    try:
        grant = RoleGrant(Role(role), council_code=council, organisation_id=organisation)
        user_id = accounts.create_user(db, email, name, password=password, grants=(grant,))
        click.echo(f"Created {name} <{accounts.normalise_email(email)}> as {role} (user {user_id})")
        if token_name is not None:
            made = credentials.create_api_token(db, user_id, token_name, Role(role), council_code=council)
            click.echo(f"API token (shown once; send it as 'Authorization: Bearer ...'): {made.token}")
    finally:
        db.dispose()


@cli.group("holidays")
def holidays_group() -> None:
    """Days a council enters: its own closure days, or bank holidays proclaimed since the software's list.

    A closure day moves only periods the council's own policy sets; a proclaimed bank holiday (Banking and
    Financial Dealings Act 1971 s.1(3)) moves Tribunal limits too (GRC Rules r.12(3)).
    """


@holidays_group.command("add")
@click.option("--council", required=True)
@click.argument("day", type=ISO_DATE)
@click.argument("name")
@click.option(
    "--bank-holiday",
    is_flag=True,
    help="The day is a bank holiday proclaimed under the Banking and Financial Dealings Act 1971 s.1(3), so it "
    "moves Tribunal limits too; without it, the day is the council's own closure day.",
)
@friendly_errors
def add_holiday(council: str, day: date, name: str, bank_holiday: bool) -> None:
    """Add DAY (YYYY-MM-DD) called NAME and move the pending deadlines it affects.

    A council's own closure day moves only the periods its policies set, never a Tribunal limit.
    """
    db = database()
    try:
        with db.reader() as session:
            council_id = council_repo.get_by_code(session, council).id
        kind = PROCLAIMED if bank_holiday else CLOSURE
        moved = holidays.add_holiday(db, SYSTEM, council_id, day, name, kind=kind)
    finally:
        db.dispose()
    click.echo(f"Added {long_date(day)} ({name}); {len(moved)} pending deadline(s) moved")
    for item in moved:
        click.echo(f"  {item.case_reference} {item.timer}: {item.old_due} -> {item.new_due}")


@holidays_group.command("remove")
@click.option("--council", required=True)
@click.argument("day", type=ISO_DATE)
@friendly_errors
def remove_holiday(council: str, day: date) -> None:
    """Remove the council holiday on DAY and move back the deadlines it had pushed on."""
    db = database()
    try:
        with db.reader() as session:
            council_id = council_repo.get_by_code(session, council).id
        moved = holidays.remove_holiday(db, SYSTEM, council_id, day)
    finally:
        db.dispose()
    click.echo(f"Removed {long_date(day)}; {len(moved)} pending deadline(s) moved")


@holidays_group.command("list")
@click.option("--council", required=True)
@friendly_errors
def list_holidays(council: str) -> None:
    """The days the council entered, and whose each one is."""
    db = database()
    try:
        with db.reader() as session:
            entered = council_repo.extra_holidays(session, council_repo.get_by_code(session, council).id)
    finally:
        db.dispose()
    days = sorted(
        [(day, "bank holiday") for day in entered.proclaimed] + [(day, "closure day") for day in entered.closures]
    )
    if not days:
        click.echo(f"{council.upper()} has no extra holidays")
    for day, kind in days:
        click.echo(f"{long_date(day)} ({kind})")
