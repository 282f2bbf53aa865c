"""The migration to one delivery per message, channel and address keeps every delivery already made."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Uuid, column, table, text

from casework.db import Database
from casework.migrate import alembic_config, current_revision, head_revision
from casework.models.base import JSONType, UTCDateTime
from tests.factories import make_world

pytestmark = pytest.mark.integration
NOW = datetime(2026, 4, 1, 10, tzinfo=UTC)


def migrate(db: Database, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def test_deliveries_made_before_get_the_new_key_and_a_pair_already_sent_twice_keeps_both(db: Database) -> None:
    world = make_world(db)
    migrate(db, "0001", down=True)
    message = uuid.uuid4()
    first, twice, letter = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    uuids = ("id", "council_id", "message_id")
    deliveries = table(
        "deliveries",
        *(column(name, Uuid()) for name in uuids),
        column("created_at", UTCDateTime()),
        *(column(name) for name in ("key", "channel", "party", "recipient", "recipient_name", "template", "subject",
                                    "body_text", "body_html", "status", "attempts")),
    )  # fmt: skip
    outbox = table("outbox_messages", column("id", Uuid()), column("council_id", Uuid()), column("topic"),
                   column("payload", JSONType), column("created_at", UTCDateTime()))  # fmt: skip
    with db.engine.begin() as connection:
        connection.execute(
            outbox.insert().values(
                id=message, council_id=world.council_id, topic="notice.requested", payload={}, created_at=NOW
            )
        )
        for delivery_id, party, channel, recipient, name, seconds in [
            (first, "owner", "email", "Shared@Example.com", "Bull Holdings", 0),
            (twice, "occupier", "email", "shared@example.com", "Bull Holdings", 1),
            (letter, "occupier", "post", "1 High Street", "Bull Inns", 2),
        ]:
            connection.execute(
                deliveries.insert().values(
                    id=delivery_id, key=f"{message}:{party}:{channel}:{name.lower()}", council_id=world.council_id,
                    message_id=message, channel=channel, party=party, recipient=recipient, recipient_name=name,
                    template="t", subject="s", body_text="b", body_html="h", status="sent", attempts=1,
                    created_at=NOW + timedelta(seconds=seconds),
                )
            )  # fmt: skip

    migrate(db, "head")

    assert current_revision(db) == head_revision()
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, key, parties FROM deliveries ORDER BY created_at")).all()
    keys = {uuid.UUID(str(row.id)): row.key for row in rows}
    assert keys[first] == f"{message}:email:shared@example.com"
    assert keys[twice] == f"{message}:email:shared@example.com:{twice}"  # sent twice before: both stay on record
    assert keys[letter] == f"{message}:post:bull inns|1 high street"
    parties = [row.parties if isinstance(row.parties, list) else json.loads(row.parties) for row in rows]
    assert parties == [["owner"], ["occupier"], ["occupier"]]
