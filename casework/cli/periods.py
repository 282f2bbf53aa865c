"""`casework deadline`, `casework timeline` and `casework rules`: statutory dates with their reasoning."""

from __future__ import annotations

import json
from datetime import date

import click

from casework import policies
from casework.cli import ISO_DATE, cli, database, fail, friendly_errors
from casework.facts import listings
from casework.repositories import councils
from workflows import periods
from workflows.definition import POLICY
from workflows.periods import EnteredHolidays, Period, long_date
from workflows.policies import KINDS


def _holidays(council: str | None) -> EnteredHolidays:
    if council is None:
        return EnteredHolidays()
    db = database()
    try:
        with db.reader() as session:
            return councils.extra_holidays(session, councils.get_by_code(session, council).id)
    finally:
        db.dispose()


def _too_late(start: date) -> str:
    return f"{start.isoformat()} is too late to count from: the period would end after the last date there is (9999)"


def _policy_period(key: str, start: date, council: str | None, workflow: str | None) -> Period:
    if council is None:
        fail(
            f"policy.{key} is a period a council's own policy sets, not the law: give --council CODE to use that "
            f"council's policy in force on {start.isoformat()} (`casework policies list --council CODE` shows them)"
        )
    db = database()
    try:
        with db.reader() as session:
            _, rule = policies.council_period(session, council, key, start, workflow)
            holidays = councils.extra_holidays(session, councils.get_by_code(session, council).id)
    finally:
        db.dispose()
    try:
        return periods.compute(rule, start, extra_holidays=holidays)
    except (ValueError, OverflowError):
        fail(_too_late(start))


def _print(period: Period) -> None:
    due = long_date(period.due)
    time = f", before {period.due_time:%H:%M}" if period.due_time else ""
    click.echo(f"{period.rule.title} ({period.rule.id})")
    click.echo(f"Due: {due}{time}")
    if period.outer_due:
        click.echo(f"Outer limit: {long_date(period.outer_due)}")
    click.echo(f"Basis: {period.basis}")
    for number, step in enumerate(period.explanation, start=1):
        click.echo(f"  {number}. {step}")


@cli.command()
@click.argument("rule")
@click.argument("start", type=ISO_DATE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@click.option("--council", help="Council code whose extra holidays apply, or whose policy sets a policy.* period.")
@click.option("--workflow", type=click.Choice(sorted(KINDS)), help="Which of the council's policies, for policy.*.")
@friendly_errors
def deadline(rule: str, start: date, as_json: bool, council: str | None, workflow: str | None) -> None:
    """When the period RULE, starting with the event on START (YYYY-MM-DD), ends, and why.

    A rule `policy.<period>` is set by a council's own policy: give --council, and the policy in force on
    START is used (with --workflow when both of the council's policies set a period of that name).
    """
    if rule.startswith(POLICY):
        period = _policy_period(rule.removeprefix(POLICY), start, council, workflow)
    elif rule not in periods.RULES:
        fail(f"there is no period rule called {rule!r}; `casework rules` lists them")
    else:
        try:
            period = periods.compute(rule, start, extra_holidays=_holidays(council))
        except (ValueError, OverflowError):
            fail(_too_late(start))
    if as_json:
        click.echo(json.dumps(period.as_dict(), indent=2))
    else:
        _print(period)


@cli.command()
@click.argument("process", type=click.Choice(["moratorium"]))
@click.argument("start", type=ISO_DATE)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object instead of text.")
@friendly_errors
def timeline(process: str, start: date, as_json: bool) -> None:
    """All the dates of a PROCESS that run from START: for a moratorium, the day the council got the notice."""
    try:
        interim, full, protected = listings.notice_timeline(start)
    except (ValueError, OverflowError):
        fail(_too_late(start))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "start": start.isoformat(),
                    "interim": interim.as_dict(),
                    "full": full.as_dict(),
                    "protected": protected.as_dict(),
                },
                indent=2,
            )
        )
        return
    click.echo(f"Owner's notice received by the council on {long_date(start)} (LA 2011 s.95(6)):")
    click.echo(f"  Interim moratorium ends:  {long_date(interim.due)}  ({interim.basis})")
    click.echo(f"  Full moratorium ends:     {long_date(full.due)}  ({full.basis})")
    click.echo(f"  Protected period ends:    {long_date(protected.due)}  ({protected.basis})")
    click.echo("Each period ends at the end of that day; none moves for weekends or holidays.")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of text.")
def rules(as_json: bool) -> None:
    """Every statutory period rule with its id, length, counting and basis."""
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.id,
                        "title": r.title,
                        "length": r.length,
                        "unit": r.unit.value,
                        "counting": r.counting.value,
                        "calendar": r.calendar.value,
                        "basis": r.basis,
                        "version": r.version,
                        "effective_from": r.effective_from.isoformat() if r.effective_from else None,
                    }
                    for r in periods.RULES.values()
                ],
                indent=2,
            )
        )
        return
    for rule in periods.RULES.values():
        click.echo(f"{rule.id:42} {rule.length_text:18} {rule.counting.value:28} {rule.basis}")
