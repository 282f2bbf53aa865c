"""work queue: each case's next due date stored on the case, indexed in queue order

The queue grouped a council's pending deadlines by case and looked for fired
escalations on every page: 5 of its 8 ms of queries at 10^6 cases, and p99 at
half its peak rate of 70-167 ms (bench/README.md, B4). The engine now keeps the
answer on the case (casework.transitions, refresh_next_due) wherever a deadline is
armed, fired, cancelled or moved, or the case changes state; a page is then a
range of one index. Existing cases are filled in here by the same rule.

Revision ID: 0011_case_next_due
Revises: 0007_import_mappings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_case_next_due"
down_revision: str | None = "0010_postcode_alerts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The rule as it stood when this migration was written (casework.transitions keeps it from now on): an escalation
# that fired after the case last changed state stands and comes first, else the soonest pending deadline.
_cases = sa.table("cases", sa.column("id"), sa.column("state_changed_at"), sa.column("next_due_date"),
                  sa.column("next_due_timer"), sa.column("next_due_escalated"))  # fmt: skip
_deadlines = sa.table("deadlines", sa.column("id"), sa.column("case_id"), sa.column("timer"), sa.column("status"),
                      sa.column("due_date"), sa.column("expiry_kind"), sa.column("fired_at"),
                      sa.column("created_at"))  # fmt: skip
_STANDS = sa.and_(
    _deadlines.c.status == "fired",
    _deadlines.c.expiry_kind == "escalate",
    _deadlines.c.fired_at > _cases.c.state_changed_at,
)
_STANDING = sa.and_(_deadlines.c.case_id == _cases.c.id, sa.or_(_deadlines.c.status == "pending", _STANDS))
_ORDER = (_deadlines.c.status == "pending", _deadlines.c.due_date, _deadlines.c.created_at, _deadlines.c.id)


def _first(column: sa.ColumnClause[object]) -> sa.ScalarSelect[object]:
    return sa.select(column).where(_STANDING).order_by(*_ORDER).limit(1).scalar_subquery()


def upgrade() -> None:
    op.add_column("cases", sa.Column("next_due_date", sa.Date(), nullable=True))
    op.add_column("cases", sa.Column("next_due_timer", sa.String(length=60), nullable=True))
    op.add_column("cases", sa.Column("next_due_escalated", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(
        sa.update(_cases)
        .where(sa.exists().where(_STANDING))
        .values(
            next_due_date=_first(_deadlines.c.due_date),
            next_due_timer=_first(_deadlines.c.timer),
            next_due_escalated=sa.exists().where(_deadlines.c.case_id == _cases.c.id, _STANDS),
        )
    )
    op.create_index(
        "ix_cases_council_next_due",
        "cases",
        ["council_id", "closed_at", "next_due_date", "next_due_escalated", "created_at", "id", "workflow", "state"],
    )


def downgrade() -> None:
    op.drop_index("ix_cases_council_next_due", table_name="cases")
    # Plain DROP COLUMN (SQLite has it since 3.35): a batch copy of `cases` would drop the table every case's
    # events, deadlines and links point at.
    for column in ("next_due_escalated", "next_due_timer", "next_due_date"):
        op.drop_column("cases", column)
