"""letters: notices printed for post, with the proof of their posting or of GOV.UK Notify's delivery

A notice to someone with no email address (or anyone the council chooses to
write to) becomes a PDF letter for a windowed envelope. Councils get a return
address for their letters.

Revision ID: 0009_letters
Revises: 0007_import_mappings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import JSONType, UTCDateTime

revision: str = "0009_letters"
down_revision: str | None = "0008_email_resend"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "letters",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_name", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("content", JSONType, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("postage", sa.String(length=10), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("arrives_on", sa.Date(), nullable=True),
        sa.Column("step_taken", sa.Text(), nullable=True),
        sa.Column("step_taken_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("notify_id", sa.String(length=64), nullable=True),
        sa.Column("notify_status", sa.String(length=40), nullable=True),
        sa.Column("notify_checked_at", UTCDateTime(), nullable=True),
        sa.Column("returned_on", sa.Date(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_letters_council_id_councils")),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_letters_case_id_cases")),
        sa.ForeignKeyConstraint(["delivery_id"], ["deliveries.id"], name=op.f("fk_letters_delivery_id_deliveries")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_letters_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letters")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_letters_delivery_id")),
        sa.UniqueConstraint("notify_id", name=op.f("uq_letters_notify_id")),
    )
    op.create_index(op.f("ix_letters_case_id"), "letters", ["case_id"])
    op.create_index("ix_letters_council_status", "letters", ["council_id", "status"])


def downgrade() -> None:
    op.drop_table("letters")
