"""`casework demo-data`, `casework import-register` and `casework load-postcodes`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from casework.cli import cli, database, fail, friendly_errors
from casework.postcodes import PostcodeFileProblem
from casework.register import imports as register_import
from casework.register.columns import MappingProblem, guess, read_column_csv
from casework.register.files import FileProblem, decode, read_table
from casework.services import postcodes


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
@click.option(
    "--columns",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A digital-land column.csv saying which of the file's headers holds which field.",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; load nothing.")
@friendly_errors
def import_register(file: Path, council: str, columns: Path | None, dry_run: bool) -> None:
    """Load a council's existing register (CSV, .xlsx or .ods, in its own layout). Loads nothing if any row is
    invalid."""
    try:
        table = read_table(file.read_bytes(), file.name)
        given = read_column_csv(decode(columns.read_bytes())[0]) if columns else {}
    except (FileProblem, MappingProblem) as problem:
        fail(f"{columns if isinstance(problem, MappingProblem) else file}: {problem}; nothing was loaded")
    mapping = guess(table.headers, given)
    for header, field in mapping.items():
        click.echo(f"column {header!r}: {field or '(left out)'}")
    db = database()
    try:
        report = register_import.import_register(db, council, table, mapping=mapping, dry_run=True)
        if report.ok and not dry_run:
            with click.progressbar(length=report.listings, label="Loading", file=sys.stderr) as bar:
                report = register_import.import_register(
                    db, council, table, mapping=mapping, progress=lambda n: bar.update(n)
                )
    finally:
        db.dispose()
    _print_report(report)
    if report.file_problems:
        fail(f"{file}: {'; '.join(report.file_problems)}; nothing was loaded")
    if not report.ok:
        fail(f"{len(report.invalid)} invalid row(s); nothing was loaded")
    click.echo(
        f"{'Checked' if dry_run else 'Loaded'} {len(report.rows)} row(s) as {report.listings} listing(s)"
        + (": nothing loaded (dry run)" if dry_run else "")
    )


def _print_report(report: register_import.ImportReport) -> None:
    for row in report.rows:
        status = "INVALID" if not row.ok else f"merged into line {row.merged_into}" if row.merged_into else "ok"
        click.echo(f"line {row.line}: {row.reference or '(no reference)'} {status}")
        for error in row.errors:
            click.echo(f"  error: {error}")
        for warning in row.warnings:
            click.echo(f"  warning: {warning}")


@cli.command("load-postcodes")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly_errors
def load_postcodes(files: tuple[Path, ...]) -> None:
    """Load postcode centroids for alerts by distance from Ordnance Survey's Code-Point Open: its CSV files (one
    per postcode area, no header row) or its zip. Every row is checked first; nothing is loaded if any is wrong."""
    db = database()
    try:
        report = postcodes.load(db, ((str(file), file.read_bytes()) for file in files))
    except PostcodeFileProblem as problem:
        fail(f"{problem}; nothing was loaded")
    finally:
        db.dispose()
    for wrong in report.problems:
        click.echo(str(wrong), err=True)
    if report.more_problems:
        click.echo(f"... and {report.more_problems} more", err=True)
    if not report.ok:
        count = len(report.problems) + report.more_problems
        fail(f"{count} row{'s' if count != 1 else ''} could not be read; nothing was loaded")
    for file in report.files:
        click.echo(f"{file.name}: {len(file.centroids)} postcode(s)")
    skipped = report.without_coordinates
    click.echo(
        f"Loaded {report.loaded} postcode(s)"
        + (f"; {skipped} without coordinates (quality 90) left out" if skipped else "")
    )
