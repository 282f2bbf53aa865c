"""Engine, sessions and the one way to open a transaction, on SQLite and PostgreSQL.

SQLite has one writer at a time and no `SELECT ... FOR UPDATE`: a deferred
transaction that reads and then writes can fail with SQLITE_BUSY whatever the
busy timeout. So every write transaction starts with BEGIN IMMEDIATE, which
takes the write lock up front and makes concurrent writers queue instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.pool import StaticPool

_READ_ONLY = "casework_read_only"
# In a session's info: the SQLAlchemy transaction it runs in, that transaction's DB-API connection and
# its dialect, for the statements run on the driver's connection (casework.repositories.prepared).
DRIVER = "casework.driver"


class UnitOfWork(Session):
    """The session `Database.transaction()` hands out, inside a transaction its `with` block owns.

    The block ends the transaction, so ending it here is refused rather than half done (the session
    joined the transaction and would commit nothing). A savepoint is begun on the connection at once:
    the session would emit SAVEPOINT only at its next ORM statement, and statements run on the
    driver's connection (casework.repositories.prepared) before that would not be covered by it.
    """

    def begin_nested(self) -> SessionTransaction:
        savepoint = super().begin_nested()
        self.connection()  # the savepoint's own connection: SAVEPOINT is emitted now
        return savepoint

    def commit(self) -> None:
        raise RuntimeError("a unit of work commits when its `with db.transaction()` block ends")

    def rollback(self) -> None:
        raise RuntimeError("a unit of work rolls back when an exception leaves its `with db.transaction()` block")


class Database:
    """Owns one Engine. The CLI, web and worker each build one at start-up; tests build their own."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = make_url(url)
        self.engine = _create_engine(url, echo=echo)
        # expire_on_commit=False: results built inside a service stay readable after it ends.
        self._readers = sessionmaker(self.engine.execution_options(**{_READ_ONLY: True}), expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on normal exit, roll back on any exception, always close.

        The transaction is the Connection's, begun and ended here; the session joins it and only
        ever rolls it back. A session that begins and commits its own transaction costs 35-40 us
        more, a tenth of a transition on SQLite (bench/README.md, B1). Nothing is held between
        transactions: the connection goes back to the pool, so none crosses a fork.
        """
        with self.engine.connect() as connection, connection.begin() as root:
            session = UnitOfWork(bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only")
            session.info[DRIVER] = (root, connection.connection.driver_connection, connection.dialect)
            try:
                yield session
                session.flush()  # what the session still holds goes in before the commit, as Session.commit would
            finally:
                session.close()

    @contextmanager
    def reader(self) -> Iterator[Session]:
        """Read-only work (queries for pages and reports): no write lock, nothing committed."""
        with self._readers() as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def json_dumps(value: Any) -> str:
    """JSON columns are written by orjson (a transition writes five of them; several times faster than the
    standard library), falling back to the standard library for what orjson refuses (integers wider than
    64 bits), so nothing that stored before is refused now."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


# Read back by the standard library: orjson reads an integer wider than 64 bits as a float, which would
# change a stored value on its way out.
_JSON = {"json_serializer": json_dumps, "json_deserializer": json.loads}


def _create_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, echo=echo)
    return create_engine(
        url,
        echo=echo,
        **_JSON,
        pool_pre_ping=True,
        # A stuck lock or runaway query fails fast instead of hanging a request or a sweep.
        connect_args={"options": "-c statement_timeout=60000 -c lock_timeout=15000"},
    )


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    parsed = make_url(url)
    in_memory = parsed.database in (None, "", ":memory:")
    if not in_memory and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if in_memory:
        options["poolclass"] = StaticPool  # one shared connection, or each would see its own empty database
    engine = create_engine(url, echo=echo, **_JSON, **options)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take over transaction control from pysqlite so BEGIN IMMEDIATE below is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # durable commits: a transition survives a power cut
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(_READ_ONLY, False)
        # On the driver's connection: every transaction begins here, and SQLAlchemy's execution
        # machinery costs more than the statement (bench/README.md, B1).
        connection.connection.driver_connection.execute("BEGIN" if read_only else "BEGIN IMMEDIATE")  # type: ignore[union-attr]

    return engine
