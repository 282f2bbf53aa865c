"""postcode alerts: Code-Point Open's fields on postcode centroids; double opt-in on alert subscriptions

An alert is sent only once its address has followed the link emailed to it (`confirmed_at`), and that
link works until `confirm_by`. Subscriptions made before this revision were already sending alerts: they
count as confirmed when they were made, so nobody's alerts stop without being told why.

Revision ID: 0010_postcode_alerts
Revises: 0007_import_mappings
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import UTCDateTime

revision: str = "0010_postcode_alerts"
down_revision: str | None = "0009_letters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_POSTCODE_COLUMNS = ("eastings", "northings", "quality", "district_code", "ward_code", "loaded_at")


def upgrade() -> None:
    op.add_column("postcode_points", sa.Column("eastings", sa.Integer(), nullable=True))
    op.add_column("postcode_points", sa.Column("northings", sa.Integer(), nullable=True))
    op.add_column("postcode_points", sa.Column("quality", sa.Integer(), nullable=True))
    op.add_column("postcode_points", sa.Column("district_code", sa.String(length=9), nullable=True))
    op.add_column("postcode_points", sa.Column("ward_code", sa.String(length=9), nullable=True))
    op.add_column("postcode_points", sa.Column("loaded_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("postcode", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("confirm_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("confirm_by", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", UTCDateTime(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_subscriptions_confirm_token_hash"), ["confirm_token_hash"])
    op.execute("UPDATE subscriptions SET confirmed_at = created_at")


def downgrade() -> None:
    # Without the column, an unconfirmed subscription would start receiving alerts nobody agreed to.
    op.execute("DELETE FROM subscriptions WHERE confirmed_at IS NULL")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_subscriptions_confirm_token_hash"), type_="unique")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirm_by")
        batch_op.drop_column("confirm_token_hash")
        batch_op.drop_column("postcode")
    for column in reversed(_POSTCODE_COLUMNS):
        op.drop_column("postcode_points", column)
