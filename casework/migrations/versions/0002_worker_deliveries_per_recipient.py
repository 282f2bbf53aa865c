"""worker: one delivery per message, channel and address, with every party it serves; failures kept

Deliveries were keyed by message, party, channel and address, so someone named
twice (owner and occupier, a group member who also asked for alerts) got the
same notice twice. The key becomes message, channel and address, and `parties`
lists each capacity the one email served. Existing rows keep their history: a
pair that was already sent twice keeps both rows (the later one's key is made
unique with its id). Also: when a retrying delivery's next try is due and what
GOV.UK Notify says became of it; and on outbox messages, the failed attempts at
turning them into deliveries and when the worker gave up.

Revision ID: 0002_worker_deliveries
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from casework.models.base import JSONType, UTCDateTime

revision: str = "0002_worker_deliveries"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OPEN = "status IN ('pending', 'retrying', 'sending')"


def _identity(channel: str, recipient: str, name: str | None) -> str:
    """Who a delivery goes to, as the key names them: the address; for a letter, the name and the address."""
    return f"{name or ''}|{recipient}".lower() if channel == "post" else recipient.lower()


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("retry_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("failed_at", UTCDateTime(), nullable=True))

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parties", JSONType, server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column("retry_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("provider_status", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("provider_checked_at", UTCDateTime(), nullable=True))

    deliveries = sa.table(
        "deliveries",
        sa.column("id", sa.Uuid()),
        sa.column("key", sa.String()),
        sa.column("message_id", sa.Uuid()),
        sa.column("channel", sa.String()),
        sa.column("party", sa.String()),
        sa.column("parties", JSONType),
        sa.column("recipient", sa.String()),
        sa.column("recipient_name", sa.String()),
        sa.column("created_at", UTCDateTime()),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(deliveries).order_by(deliveries.c.created_at, deliveries.c.id)).all()
    taken: set[str] = set()
    for row in rows:
        key = row.key
        if row.message_id is not None:
            key = f"{row.message_id}:{row.channel}:{_identity(row.channel, row.recipient, row.recipient_name)}"[:300]
            if key in taken:  # sent twice before this change: both stay on record
                key = f"{key[:260]}:{row.id}"
        taken.add(key)
        connection.execute(sa.update(deliveries).where(deliveries.c.id == row.id).values(key=key, parties=[row.party]))

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("party")
        batch_op.alter_column("parties", server_default=None)
    # Rebuilt here in full: SQLite rebuilds the table to drop a column and must keep the partial index's WHERE.
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_open")
        batch_op.create_index(
            "ix_deliveries_open", ["created_at"], unique=False,
            postgresql_where=sa.text(_OPEN), sqlite_where=sa.text(_OPEN),
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("party", sa.String(length=40), server_default="", nullable=False))
    deliveries = sa.table("deliveries", sa.column("id", sa.Uuid()), sa.column("party", sa.String()),
                          sa.column("parties", JSONType))  # fmt: skip
    connection = op.get_bind()
    for row in connection.execute(sa.select(deliveries.c.id, deliveries.c.parties)).all():
        first = (row.parties or [""])[0]
        connection.execute(sa.update(deliveries).where(deliveries.c.id == row.id).values(party=first))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column("party", server_default=None)
        batch_op.drop_column("provider_checked_at")
        batch_op.drop_column("provider_status")
        batch_op.drop_column("retry_at")
        batch_op.drop_column("parties")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_open")
        batch_op.create_index(
            "ix_deliveries_open", ["created_at"], unique=False,
            postgresql_where=sa.text(_OPEN), sqlite_where=sa.text(_OPEN),
        )  # fmt: skip

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("failed_at")
        batch_op.drop_column("retry_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("attempts")
