"""`casework demo-data` and `casework import-register`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from casework.cli import cli, database, fail, friendly_errors
from casework.register_csv import read_rows
from casework.services import register_import


@cli.command("demo-data")
@friendly_errors
def demo_data() -> None:
    """Load a demonstration council with a user per role, a pub, a library and a park. Safe to run again."""
    from casework import demo

    db = database()
    try:
        summary = demo.load(db)
    finally:
        db.dispose()
    click.echo(summary)


@cli.command("import-register")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--council", required=True, help="Code of the council whose register this is.")
@click.option("--dry-run", is_flag=True, help="Check every row and report; load nothing.")
@friendly_errors
def import_register(file: Path, council: str, dry_run: bool) -> None:
    """Load a council's existing register (CSV, planning.data.gov.uk columns). Loads nothing if any row is invalid."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text; save the spreadsheet as 'CSV UTF-8' and try again")
    _, file_problems = read_rows(text)  # a file that is no register at all is said so before any database is opened
    if file_problems:
        fail(f"{file}: {'; '.join(file_problems)}; nothing was loaded")
    db = database()
    try:
        report = register_import.import_register(db, council, text, dry_run=True)
        if report.ok and not dry_run:
            with click.progressbar(length=len(report.rows), label="Loading", file=sys.stderr) as bar:
                report = register_import.import_register(db, council, text, progress=lambda n: bar.update(n))
    finally:
        db.dispose()
    _print_report(report)
    if report.file_problems:
        fail(f"{file}: {'; '.join(report.file_problems)}; nothing was loaded")
    if not report.ok:
        fail(f"{sum(1 for row in report.rows if not row.ok)} invalid row(s); nothing was loaded")
    click.echo(
        f"{'Checked' if dry_run else 'Loaded'} {len(report.rows)} row(s)"
        + (": nothing loaded (dry run)" if dry_run else "")
    )


def _print_report(report: register_import.ImportReport) -> None:
    for row in report.rows:
        status = "ok" if row.ok else "INVALID"
        click.echo(f"line {row.line}: {row.reference or '(no reference)'} {status}")
        for error in row.errors:
            click.echo(f"  error: {error}")
        for warning in row.warnings:
            click.echo(f"  warning: {warning}")
