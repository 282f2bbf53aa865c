"""email confirmations: an owner recorded by email address reaches their land by proving that address

A nomination gives the owner's email address, and the owner is emailed about the listing, but an account made
with that address was not linked to the land until an officer did it by hand, while the owner's eight weeks to
ask for a review ran. `email_confirmations` holds single-use links that prove a user holds their address; on
following one, the owner parties recorded under it are linked to the account.

Users linked to land as owner or agent before `link_user_to_asset` gave the owner role lacked it, so signing in
did not land them on their land: they get it here.

Revision ID: 0014_email_confirmations
Revises: 0013_council_details
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import UTCDateTime

revision: str = "0014_email_confirmations"
down_revision: str | None = "0013_council_details"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_confirmations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_email_confirmations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_confirmations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_email_confirmations_token_hash")),
    )
    with op.batch_alter_table("email_confirmations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_confirmations_user_id"), ["user_id"], unique=False)
    _give_linked_owners_the_owner_role()


def _give_linked_owners_the_owner_role() -> None:
    """Ids are made here rather than by the database, so the same statement runs on SQLite and PostgreSQL."""
    connection = op.get_bind()
    parties = sa.table("asset_parties", sa.column("user_id", sa.Uuid()), sa.column("kind"), sa.column("current"))
    roles = sa.table("user_roles", sa.column("id", sa.Uuid()), sa.column("user_id", sa.Uuid()), sa.column("role"))
    already = sa.select(roles.c.user_id).where(roles.c.role == "owner")
    missing = connection.execute(
        sa.select(parties.c.user_id)
        .where(
            parties.c.user_id.is_not(None),
            parties.c.current.is_(True),
            parties.c.kind.in_(["owner", "agent"]),
            parties.c.user_id.not_in(already),
        )
        .distinct()
    ).scalars()
    rows = [{"id": uuid.uuid4(), "user_id": user_id, "role": "owner"} for user_id in missing]
    if rows:
        op.bulk_insert(roles, rows)


def downgrade() -> None:
    # The owner roles given are kept: they are what `link_user_to_asset` gives anyone it links today.
    with op.batch_alter_table("email_confirmations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_confirmations_user_id"))
    op.drop_table("email_confirmations")
