"""Statements run on the driver's connection store and read values exactly as the ORM does, on both dialects."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import bindparam, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from casework.db import Database
from casework.models import Case, Deadline, OutboxMessage
from casework.repositories import cases
from casework.repositories.prepared import Prepared, Statements
from tests.factories import make_world, nominate_pub

pytestmark = pytest.mark.integration

_INSERT = Statements(
    insert(Deadline.__table__),
    keys=("id", "case_id", "council_id", "timer", "rule", "start_date", "due_date", "due_time", "outer_due_date",
          "fires_at", "basis", "explanation", "expiry_kind", "on_expiry", "status", "created_at"),
)  # fmt: skip
_READ = Statements(select(Deadline.id, Deadline.due_date, Deadline.fires_at).where(Deadline.case_id == bindparam("c")))


def test_a_prepared_insert_reads_back_through_the_orm_with_every_type_intact(db: Database) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world)
    deadline_id = uuid.uuid4()
    fires_at = datetime(2026, 7, 26, 22, 59, 59, 123456, tzinfo=UTC)
    with db.transaction() as session:
        _INSERT.execute(session, {
            "id": deadline_id, "case_id": case_id, "council_id": world.council_id, "timer": "decision",
            "rule": "acv.nomination_decision", "start_date": date(2026, 6, 1), "due_date": date(2026, 7, 26),
            "due_time": None, "outer_due_date": None, "fires_at": fires_at, "basis": "Localism Act 2011 s.90(6)",
            "explanation": ["8 weeks", "beginning with 1 June 2026"], "expiry_kind": "escalate",
            "on_expiry": None, "status": "pending", "created_at": fires_at,
        })  # fmt: skip
    with db.reader() as session:
        stored = session.get_one(Deadline, deadline_id)
        read = [row for row in _READ.rows(session, {"c": case_id}) if row.id == deadline_id]
    assert stored.fires_at == fires_at and stored.fires_at.tzinfo is not None
    assert stored.explanation == ["8 weeks", "beginning with 1 June 2026"]
    assert stored.attempts == 0  # the column's default, filled in as SQLAlchemy would
    assert read == [(deadline_id, date(2026, 7, 26), fires_at)]
    assert read[0].due_date == date(2026, 7, 26)


def test_prepared_inserts_in_a_transaction_that_rolls_back_leave_nothing_behind(db: Database) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world)
    many = Statements(insert(OutboxMessage.__table__), keys=("id", "council_id", "case_id", "topic", "payload",
                                                             "created_at"))  # fmt: skip
    rows = [{"id": uuid.uuid4(), "council_id": world.council_id, "case_id": case_id, "topic": "test",
             "payload": {"n": n}, "created_at": datetime.now(UTC)} for n in range(3)]  # fmt: skip
    with pytest.raises(RuntimeError), db.transaction() as session:
        many.execute_many(session, rows)
        raise RuntimeError("refused after the writes")
    with db.reader() as session:
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "test")).all() == []


def test_a_driver_error_in_a_prepared_statement_is_raised_as_sqlalchemy_raises_it(db: Database) -> None:
    """Callers catch IntegrityError and OperationalError; a prepared statement's failure must be one of them."""
    world = make_world(db)
    case_id = nominate_pub(db, world)
    one = Statements(insert(OutboxMessage.__table__), keys=("id", "council_id", "case_id", "topic", "payload",
                                                            "created_at"))  # fmt: skip
    row = {"id": uuid.uuid4(), "council_id": world.council_id, "case_id": case_id, "topic": "test",
           "payload": {}, "created_at": datetime.now(UTC)}  # fmt: skip
    with pytest.raises(IntegrityError) as refused, db.transaction() as session:
        one.execute(session, row)
        one.execute(session, row)
    assert str(refused.value.statement).startswith(f"INSERT INTO {OutboxMessage.__tablename__}")
    with pytest.raises(IntegrityError), db.transaction() as session:
        one.execute_many(session, [row, row])
    with pytest.raises((ProgrammingError, OperationalError)), db.transaction() as session:
        Statements(select(OutboxMessage.id).where(text("no_such_column = 1"))).rows(session, {})
    with db.reader() as session:
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "test")).all() == []


def test_a_prepared_statements_failure_is_the_same_error_sqlalchemy_raises_for_it(db: Database) -> None:
    """The same duplicate row through a Connection and through a prepared statement: the same SQLAlchemy class
    around the same class of driver error, with the statement, and an executemany told from a single row."""
    world = make_world(db)
    case_id = nominate_pub(db, world)
    keys = ("id", "council_id", "case_id", "topic", "payload", "created_at")
    one = Statements(insert(OutboxMessage.__table__), keys=keys)
    row = {"id": uuid.uuid4(), "council_id": world.council_id, "case_id": case_id, "topic": "test",
           "payload": {}, "created_at": datetime.now(UTC)}  # fmt: skip
    with db.transaction() as session:
        one.execute(session, row)
    with pytest.raises(IntegrityError) as by_sqlalchemy, db.transaction() as session:
        session.execute(insert(OutboxMessage.__table__), row)
    with pytest.raises(IntegrityError) as single, db.transaction() as session:
        one.execute(session, row)
    with pytest.raises(IntegrityError) as many, db.transaction() as session:
        one.execute_many(session, [row])
    expected = (type(by_sqlalchemy.value), type(by_sqlalchemy.value.orig))
    assert (type(single.value), type(single.value.orig)) == expected == (type(many.value), type(many.value.orig))
    assert isinstance(single.value.orig, db.engine.dialect.loaded_dbapi.IntegrityError)
    assert (single.value.ismulti, many.value.ismulti) == (False, True)
    assert str(single.value.statement).startswith(f"INSERT INTO {OutboxMessage.__tablename__}")
    assert not single.value.connection_invalidated


def test_a_statement_with_an_expanding_list_is_refused(db: Database) -> None:
    statement = select(Deadline.id).where(Deadline.timer.in_(bindparam("timers", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        Prepared(statement, db.engine.dialect)


def test_a_case_locked_for_a_transition_is_the_sessions_own_clean_object_with_every_column(db: Database) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world)
    with db.reader() as session:
        queried = session.get_one(Case, case_id)
        expected = {column.key: getattr(queried, column.key) for column in Case.__table__.c}
    with db.transaction() as session:
        case = cases.lock_for_transition(session, case_id)
        assert {column.key: getattr(case, column.key) for column in Case.__table__.c} == expected
        assert inspect(case).persistent and not session.dirty
        assert session.get(Case, case_id) is case  # in the identity map: one object per row, as after a query
        assert cases.lock_for_transition(session, case_id) is case  # an object the session holds is returned
        session.refresh(case)  # the session can load it again, as any object it holds
        assert case.version == expected["version"]
    assert inspect(case).detached  # let go when the session closes, as a queried object is


def test_a_case_locked_for_a_transition_writes_nothing_of_its_own_at_commit(db: Database) -> None:
    world = make_world(db)
    case_id = nominate_pub(db, world)
    with db.transaction() as session:
        version = cases.lock_for_transition(session, case_id).version
    with db.reader() as session:
        assert session.get_one(Case, case_id).version == version


def test_json_wider_than_orjson_takes_is_still_stored_and_read_back(db: Database) -> None:
    """JSON columns are written by orjson, which refuses integers over 64 bits, and read by the standard
    library, as orjson would read them back as floats; such a number is stored and read back exactly."""
    world = make_world(db)
    message_id = uuid.uuid4()
    payload = {"amount": 2**70 + 1, "name": "Caf\u00e9 \u2603", "nested": {"1": [1.5, None, True]}}
    with db.transaction() as session:
        session.add(OutboxMessage(id=message_id, council_id=world.council_id, topic="test", payload=payload,
                                  created_at=datetime.now(UTC)))  # fmt: skip
    with db.reader() as session:
        assert session.get_one(OutboxMessage, message_id).payload == payload


def test_utc_datetimes_are_stored_on_sqlite_in_the_text_sqlalchemys_own_type_writes(db: Database) -> None:
    """The UTC column's SQLite processor writes what DateTime's would after the UTC conversion, so values
    stored before it and after it compare and sort the same; a naive datetime is still refused."""
    column = Deadline.__table__.c.fires_at.type.dialect_impl(db.engine.dialect)  # as statements use it
    process = column.bind_processor(db.engine.dialect)
    assert process is not None
    expected = column.impl_instance.bind_processor(db.engine.dialect)  # SQLAlchemy's own DATETIME (none on psycopg)
    london = datetime(2026, 7, 26, 23, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
    for value in (datetime(2026, 7, 26, 22, 59, 59, 123456, tzinfo=UTC), london, datetime(999, 1, 2, tzinfo=UTC)):
        utc = value.astimezone(UTC)
        assert process(value) == (expected(utc) if expected else utc)
    assert process(None) is None
    with pytest.raises(ValueError, match="naive datetime"):
        process(datetime(2026, 7, 26, 12))  # noqa: DTZ001 - the naive value the column must refuse


def test_utc_datetimes_are_read_on_sqlite_as_sqlalchemys_own_type_reads_them(sqlite_db: Database) -> None:
    """The fast reader gives what DateTime's regular expression gives for every text SQLite may hold, each
    an aware UTC value, and hands any text other than the stored format to the standard reader."""
    dialect = sqlite_db.engine.dialect
    column = Deadline.__table__.c.fires_at.type.dialect_impl(dialect)
    fast = column.result_processor(dialect, None)
    standard = super(type(column), column).result_processor(dialect, None)
    assert fast is not None and standard is not None and fast is not standard
    for stored in ("2026-07-26 22:59:59.123456", "0999-01-02 00:00:00.000000", "2026-03-29 01:30:00.000000",
                   "2026-07-26 22:59:59", "2026-07-26 22:59:59+00:00", "2026-07-26T22:59:59.000001"):  # fmt: skip
        assert fast(stored) == standard(stored)
        assert fast(stored).utcoffset() == timedelta(0)
    assert fast(None) is None
    with pytest.raises(ValueError):
        fast("2026-13-45 99:99:99.999999")  # the stored length, not a date: the standard reader refuses it
