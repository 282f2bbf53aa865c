"""register import: a council's saved column mapping, and imports the worker loads

Councils import their register in their own layout; the mapping an admin
confirms is kept per council and offered next time (and downloadable as a
digital-land column.csv). A large register is loaded by the worker, which
counts its progress in import_jobs for the page that polls it.

Revision ID: 0007_import_mappings
Revises: 0006_national_organisation
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import JSONType, UTCDateTime

revision: str = "0007_import_mappings"
down_revision: str | None = "0006_national_organisation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_mappings",
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("column", sa.String(length=200), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_import_mappings_council_id_councils")),
        sa.PrimaryKeyConstraint("council_id", "column", name=op.f("pk_import_mappings")),
    )
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("mapping", JSONType, nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finished_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f("fk_import_jobs_council_id_councils")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_import_jobs_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_jobs")),
    )
    op.create_index(op.f("ix_import_jobs_council_id"), "import_jobs", ["council_id"])
    op.create_index(op.f("ix_import_jobs_status"), "import_jobs", ["status"])


def downgrade() -> None:
    op.drop_table("import_jobs")
    op.drop_table("import_mappings")
