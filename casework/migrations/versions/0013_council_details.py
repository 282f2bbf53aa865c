"""councils: contact details, logo and accessibility review date, for the council's own header and footer

Pages carried the GOV.UK crown, which is for services on GOV.UK. Each council's pages now show its
name and its logo (an uploaded PNG or JPEG kept in file storage under `logo_key`), its address, phone
and contact page in the footer, and the date it last reviewed the accessibility statement
(Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018).

Revision ID: 0013_council_details
Revises: 0007_import_mappings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_council_details"
down_revision: str | None = "0012_reminder_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("address", sa.Text()),
    ("phone", sa.String(length=40)),
    ("website", sa.String(length=300)),
    ("logo_key", sa.String(length=300)),
    ("accessibility_reviewed_on", sa.Date()),
)


def upgrade() -> None:
    for name, kind in _COLUMNS:
        op.add_column("councils", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMNs (SQLite has them since 3.35): a batch copy of `councils` would drop the table others point at.
    for name, _ in reversed(_COLUMNS):
        op.drop_column("councils", name)
