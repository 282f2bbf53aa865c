"""email resend: each email's Message-ID fixed before its first try, and the tries that followed one in doubt

A worker killed mid-send leaves an email that may or may not have gone. It is
now sent again after a wait, with the Message-ID of the first try (stored on
the delivery before that try), so a mailbox that got both keeps one; `in_doubt`
counts those tries and `resent_at` says when one was sent again, for officers.

Revision ID: 0008_email_resend
Revises: 0007_import_mappings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import UTCDateTime

revision: str = "0008_email_resend"
down_revision: str | None = "0007_import_mappings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email_message_id", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("in_doubt", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("resent_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("resent_at")
        batch_op.drop_column("in_doubt")
        batch_op.drop_column("email_message_id")
