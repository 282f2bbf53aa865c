"""`casework workflows`, `diagram`, `sweep` and `migrate-cases`."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import click

from casework import clock
from casework.actors import SYSTEM
from casework.cli import ISO_DATETIME, cli, database, friendly_errors
from casework.repositories import councils
from casework.services import deadlines, versions
from workflows import registry
from workflows.mermaid import to_mermaid


@cli.command("workflows")
def list_workflows() -> None:
    """The workflow definitions and their versions."""
    for defn in registry.all_definitions():
        click.echo(
            f"{defn.name:14} version {defn.version}  from {defn.effective_from.isoformat()}  {defn.title} "
            f"({len(defn.states)} states, {len(defn.transitions)} transitions, {len(defn.timers)} timers)"
        )


@cli.command()
@click.argument("name")
@click.option("--version", "version", type=int, help="A particular version (default: the newest).")
@friendly_errors
def diagram(name: str, version: int | None) -> None:
    """The workflow NAME as a Mermaid state diagram."""
    click.echo(to_mermaid(registry.get(name, version)), nl=False)


@cli.command()
@click.option("--now", type=ISO_DATETIME, help="Sweep as if it were this time (default: now).")
@click.option("--every", type=click.IntRange(min=1), help="Keep sweeping, every this many seconds, until Ctrl-C.")
@friendly_errors
def sweep(now: datetime | None, every: int | None) -> None:
    """Fire every deadline and reminder that is due. Safe to run again: each fires once."""
    if now is not None and every is not None:
        raise click.UsageError("--now and --every cannot be used together")
    db = database()
    try:
        while True:
            moment = now or clock.utcnow()  # the time swept as: --now when given
            report = deadlines.sweep(db, now=moment)
            click.echo(
                f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S}Z fired {report.fired}, escalated {report.escalated}, "
                f"closed {report.closed}, cancelled {report.cancelled}, failed {report.failed}, "
                f"left for later {report.skipped}; reminders queued {report.reminders}"
            )
            if every is None:
                return
            time.sleep(every)
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        db.dispose()


@cli.command("migrate-cases")
@click.argument("workflow")
@click.option("--to", "to_version", type=int, required=True, help="The version to move running cases to.")
@click.option("--council", help="Only this council's cases.")
@click.option("--apply", "apply_it", is_flag=True, help="Apply the migration (default: a dry run).")
@friendly_errors
def migrate_cases(workflow: str, to_version: int, council: str | None, apply_it: bool) -> None:
    """Move running cases of WORKFLOW to another version, showing each deadline's old and new date."""
    db = database()
    try:
        council_id = None
        if council:
            with db.reader() as session:
                council_id = councils.get_by_code(session, council).id
        plan = versions.migrate_cases(db, SYSTEM, workflow, to_version, council_id=council_id, dry_run=not apply_it)
    finally:
        db.dispose()
    for case in plan.cases:
        click.echo(f"{case.reference} ({case.state}, version {case.from_version} -> {to_version})")
        for problem in case.problems:
            click.echo(f"  problem: {problem}")
        for change in case.changes:
            click.echo(f"  {change.timer}: {change.action} {change.old_due or '-'} -> {change.new_due or '-'}")
    verb = "Migrated" if plan.applied else "Dry run: would migrate"
    click.echo(f"{verb} {len(plan.cases)} case(s).{'' if plan.applied else ' Add --apply to do it.'}")
