"""`casework policies`: publish and list council policies for asset transfer and the right to challenge."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from casework import examples
from casework.actors import SYSTEM
from casework.cli import ISO_DATE, cli, database, fail, friendly_errors
from casework.services import policies
from workflows.policies import KINDS


@cli.group("policies")
def policies_group() -> None:
    """Council policies: the periods, windows, criteria and weights a council sets for itself."""


@policies_group.command("list")
@click.option("--council", required=True, help="Council code.")
@friendly_errors
def list_policies(council: str) -> None:
    """Every version of the council's policies, newest first, with how many cases each governs."""
    db = database()
    try:
        found = policies.versions(db, council)
    finally:
        db.dispose()
    if not found:
        click.echo(f"{council.upper()} has published no policies")
    for version in found:
        example = " (example)" if version.example else ""
        click.echo(
            f"{version.workflow:15} version {version.version:<3} from {version.effective_from.isoformat()}  "
            f"{version.cases:>5} cases  {version.title}{example}"
        )


@policies_group.command("publish")
@click.option("--council", required=True, help="Council code.")
@click.option("--workflow", required=True, type=click.Choice(sorted(KINDS)))
@click.option("--effective-from", type=ISO_DATE, help="First day new cases use it (default: today).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly_errors
def publish_policy(council: str, workflow: str, effective_from: date | None, file: Path) -> None:
    """Check FILE (JSON) and publish it as the next version. Running cases keep the version they started under."""
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{file} is not valid JSON: {exc}")
    db = database()
    try:
        version = policies.publish(db, SYSTEM, council, workflow, document, effective_from=effective_from)
    finally:
        db.dispose()
    click.echo(
        f"Published {version.title} as version {version.version} of {version.council_code}'s {workflow} policy, "
        f"for cases starting on or after {version.effective_from.isoformat()}"
    )


@policies_group.command("example")
@click.argument("name", type=click.Choice([*examples.TRANSFER_POLICIES, examples.CHALLENGE_POLICY]))
def example_policy(name: str) -> None:
    """Print an example policy to start a council's own from (its weights and periods are examples)."""
    click.echo(json.dumps(examples.load(name), indent=2))
