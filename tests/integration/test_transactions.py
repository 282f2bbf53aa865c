"""`Database.transaction()`: the ORM's writes and the prepared statements' writes commit or roll back together."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from casework.db import Database
from casework.models import Council, OutboxMessage
from casework.repositories.prepared import Statements

pytestmark = pytest.mark.integration

_OUTBOX = Statements(insert(OutboxMessage.__table__), keys=("id", "topic", "payload", "created_at"))


def _message(topic: str) -> dict[str, object]:
    return {"id": uuid.uuid4(), "topic": topic, "payload": {}, "created_at": datetime.now(UTC)}


def _topics(db: Database) -> list[str]:
    with db.reader() as session:
        return sorted(session.scalars(select(OutboxMessage.topic)).all())


def test_an_object_added_but_never_flushed_is_stored_when_the_transaction_ends(db: Database) -> None:
    with db.transaction() as session:
        session.add(Council(id=uuid.uuid4(), code="NFL", name="Never Flushed", created_at=datetime.now(UTC)))
        _OUTBOX.execute(session, _message("beside the council"))
    with db.reader() as session:
        assert session.scalars(select(Council.name).where(Council.code == "NFL")).all() == ["Never Flushed"]
    assert _topics(db) == ["beside the council"]


def test_an_error_rolls_back_the_orm_writes_and_the_prepared_writes_alike(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as session:
        session.add(Council(id=uuid.uuid4(), code="RBK", name="Rolled Back", created_at=datetime.now(UTC)))
        session.flush()
        _OUTBOX.execute(session, _message("rolled back"))
        raise RuntimeError("refused")
    with db.reader() as session:
        assert session.scalars(select(Council).where(Council.code == "RBK")).all() == []
    assert _topics(db) == []


def test_a_savepoint_rolled_back_keeps_what_the_transaction_wrote_before_it(db: Database) -> None:
    with db.transaction() as session:
        _OUTBOX.execute(session, _message("kept"))
        with pytest.raises(RuntimeError), session.begin_nested():
            _OUTBOX.execute(session, _message("undone"))
            raise RuntimeError("this one fails")
        _OUTBOX.execute(session, _message("after"))
    assert _topics(db) == ["after", "kept"]


def test_a_session_that_commits_and_goes_on_runs_its_next_statements_in_its_new_transaction(db: Database) -> None:
    """Outside `Database.transaction()` (a script's own session): the connection recorded for the first
    transaction is not used once it has ended, so the second transaction's writes are its own."""
    with Session(db.engine) as session:
        _OUTBOX.execute(session, _message("first"))
        session.commit()
        _OUTBOX.execute(session, _message("second"))
        session.rollback()
    assert _topics(db) == ["first"]


def test_a_unit_of_work_refuses_to_be_committed_or_rolled_back_inside_its_block(db: Database) -> None:
    with db.transaction() as session:
        _OUTBOX.execute(session, _message("still committed by the block"))
        with pytest.raises(RuntimeError, match="block ends"):
            session.commit()
        with pytest.raises(RuntimeError, match="exception leaves"):
            session.rollback()
    assert _topics(db) == ["still committed by the block"]
