"""council holidays: whose day each one is, a council's own closure day or a proclaimed bank holiday

A council's own closure day never moves a Tribunal limit (GRC Rules r.12(3) name the days that do:
weekends, Christmas Day, Good Friday and bank holidays under the Banking and Financial Dealings Act 1971);
it counts only for periods the council's own policy sets. A bank holiday proclaimed since the software's
list was made counts for both. Days already entered are taken as closure days: nothing says they were
proclaimed, and a Tribunal limit must not rest on a council's own day.

Revision ID: 0005_holiday_kinds
Revises: 0004_sessions_and_invitations
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_holiday_kinds"
down_revision: str | None = "0004_sessions_and_invitations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("council_holidays") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default="closure"))


def downgrade() -> None:
    with op.batch_alter_table("council_holidays") as batch:
        batch.drop_column("kind")
