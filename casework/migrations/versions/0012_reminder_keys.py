"""council reminder days: kept per workflow and timer, not per timer name

Timer names repeat across workflows: "decision_due" is both the nomination's decision (ACV) and the
right-to-challenge decision, so saving the days for one overwrote the other's. Each council's days are now
kept under `<workflow>__<timer>` (workflows.definition.reminder_key). A day list kept under a bare name
applied to every workflow with a timer of that name, so it becomes one entry for each of them: nothing a
council set changes meaning. The workflows each name belonged to are written out below as they stood,
because a migration must not move when the workflows do.

Revision ID: 0012_reminder_keys
Revises: 0007_import_mappings
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from casework.models.base import JSONType

revision: str = "0012_reminder_keys"
down_revision: str | None = "0011_case_next_due"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEPARATOR = "__"
WORKFLOWS_OF_TIMER: dict[str, tuple[str, ...]] = {
    "annual_review": ("asset_transfer",),
    "appeal": ("scotland_atr",),
    "appeal_no_review_decision": ("scotland_atr",),
    "assessment": ("asset_transfer",),
    "business_case": ("asset_transfer",),
    "comments": ("scotland_atr",),
    "completion": ("asset_transfer",),
    "contract": ("scotland_atr",),
    "decision": ("asset_transfer", "scotland_atr"),
    "decision_due": ("acv_listing", "challenge"),
    "decision_period_notice": ("challenge",),
    "enquiry_reply": ("asset_transfer",),
    "eoi_assessment": ("asset_transfer",),
    "eoi_window": ("asset_transfer",),
    "full_end": ("moratorium",),
    "interim_end": ("moratorium",),
    "listing_expiry": ("acv_listing",),
    "no_contract_appeal": ("scotland_atr",),
    "objections": ("asset_transfer",),
    "offer": ("scotland_atr",),
    "procurement_earliest": ("challenge",),
    "procurement_latest": ("challenge",),
    "protected_end": ("moratorium",),
    "representations": ("scotland_atr",),
    "review_decision": ("scotland_atr",),
    "review_decision_due": ("acv_listing", "compensation"),
    "review_request": ("scotland_atr",),
    "review_request_no_decision": ("scotland_atr",),
    "review_request_terms": ("scotland_atr",),
    "review_request_window": ("acv_listing", "compensation"),
    "tribunal_appeal_window": ("acv_listing", "compensation"),
    "tribunal_response_due": ("acv_listing",),
    "unsuccessful_retention": ("acv_listing",),
}

councils = sa.table("councils", sa.column("id", sa.Uuid()), sa.column("reminder_offsets", JSONType))


def _rewrite(change: Any) -> None:
    connection = op.get_bind()
    for council_id, offsets in connection.execute(sa.select(councils.c.id, councils.c.reminder_offsets)).all():
        rewritten = change(dict(offsets or {}))
        if rewritten != (offsets or {}):
            connection.execute(councils.update().where(councils.c.id == council_id).values(reminder_offsets=rewritten))


def _by_workflow(offsets: dict[str, Any]) -> dict[str, Any]:
    rewritten: dict[str, Any] = {}
    for name, days in offsets.items():
        if SEPARATOR in name:
            rewritten[name] = days
            continue
        for workflow in WORKFLOWS_OF_TIMER.get(name, ()):
            rewritten.setdefault(f"{workflow}{SEPARATOR}{name}", days)
    return rewritten


def _by_name(offsets: dict[str, Any]) -> dict[str, Any]:
    """Back to one list per timer name; where two workflows' lists differ, the first workflow's is kept."""
    rewritten: dict[str, Any] = {}
    for key in sorted(offsets):
        rewritten.setdefault(key.split(SEPARATOR, 1)[-1], offsets[key])
    return rewritten


def upgrade() -> None:
    _rewrite(_by_workflow)


def downgrade() -> None:
    _rewrite(_by_name)
