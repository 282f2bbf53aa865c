"""work queue: indexes that let a council's queue page be chosen without reading every open case

At 10^6 cases (about 3,300 open per council) the queue read every open case's
row to count them and to sort them by their next deadline, every asset of the
council to list its categories and wards, and every deadline and outbox message
of the council to find the failed ones shown above it: 52 ms of queries a page
(bench/README.md, B4). These indexes hold what those steps read, so they stay in the index.

Revision ID: 0003_work_queue_indexes
Revises: 0002_worker_deliveries
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_work_queue_indexes"
down_revision: str | None = "0002_worker_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PENDING = "status = 'pending'"
_ESCALATED = "status = 'fired' AND expiry_kind = 'escalate'"


def upgrade() -> None:
    op.create_index(
        "ix_cases_council_open", "cases", ["council_id", "closed_at", "workflow", "state", "created_at", "id"]
    )
    op.create_index(
        "ix_deadlines_council_pending", "deadlines", ["council_id", "status", "case_id", "due_date"],
        postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING),
    )  # fmt: skip
    op.create_index(
        "ix_deadlines_council_escalated", "deadlines", ["council_id", "status", "expiry_kind", "case_id", "fired_at", "due_date"],
        postgresql_where=sa.text(_ESCALATED), sqlite_where=sa.text(_ESCALATED),
    )  # fmt: skip
    op.create_index("ix_deadlines_council_troubled", "deadlines", ["council_id", "status", "attempts"])
    op.create_index("ix_outbox_council_troubled", "outbox_messages", ["council_id", "processed_at", "attempts"])
    op.create_index("ix_assets_council_category", "assets", ["council_id", "category"])
    op.create_index("ix_assets_council_ward", "assets", ["council_id", "ward"])


def downgrade() -> None:
    op.drop_index("ix_assets_council_ward", table_name="assets")
    op.drop_index("ix_assets_council_category", table_name="assets")
    op.drop_index("ix_outbox_council_troubled", table_name="outbox_messages")
    op.drop_index("ix_deadlines_council_troubled", table_name="deadlines")
    op.drop_index("ix_deadlines_council_escalated", table_name="deadlines")
    op.drop_index("ix_deadlines_council_pending", table_name="deadlines")
    op.drop_index("ix_cases_council_open", table_name="cases")
