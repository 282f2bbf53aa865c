"""councils: the organisation code planning.data.gov.uk knows each council by

The national asset-of-community-value dataset names the council whose register
an entry is on as a CURIE such as `local-authority:CMD`. A council's own short
code need not be that reference, so each council sets it; empty means
`local-authority:<council code>`, what the exports wrote before.

Revision ID: 0006_national_organisation
Revises: 0005_holiday_kinds
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_national_organisation"
down_revision: str | None = "0005_holiday_kinds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("councils", sa.Column("organisation", sa.String(length=60), nullable=True))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite has it since 3.35): a batch copy of `councils` would have to drop the table,
    # which every council's rows point at.
    op.drop_column("councils", "organisation")
