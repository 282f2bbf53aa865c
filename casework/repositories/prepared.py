"""Statements compiled once per dialect and run on the session's own DB-API connection.

A transition runs eight small statements. Through SQLAlchemy's Connection each costs
25-70 us of Python on SQLite (building an execution context, the parameters, the
result), against 2-5 us for the statement itself (bench/README.md, B1). These are
the same statements, compiled by SQLAlchemy for the engine's dialect, with the
same bind and result processing the column types define, on the same connection
and inside the same transaction; only the per-execution machinery is left out.
Only plain statements qualify: no expanding IN lists, no server-generated values.

Everything here is SQLAlchemy's documented API: the compiled statement's string,
parameter names and order and prefetched defaults (SQLCompiler, "Core Internals";
the FAQ on rendering bound parameters reads `positiontup` the same way), each type's
`bind_processor`/`result_processor` for the dialect (TypeEngine), the DB-API
connection under the session's Connection (`PoolProxiedConnection.driver_connection`,
"Working with the DBAPI cursor directly") and the exception classes of `sqlalchemy.exc`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnDefault, Dialect, Select, exc
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

from casework.db import DRIVER

_Processor = Callable[[Any], Any] | None
_new_tuple = tuple.__new__  # a named tuple from a sequence, as its _make does, without the call in between


class Prepared:
    """One statement as the dialect renders it, with its bind and result processors.

    `keys` names the columns an INSERT or UPDATE sets (all of the table's, else). Every
    parameter must be given at execution except literal values in the statement and
    columns with a scalar default, which are filled in as SQLAlchemy would.
    """

    def __init__(self, statement: ClauseElement, dialect: Dialect, *, keys: Sequence[str] | None = None) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys) if keys is not None else None)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError(f"not a SQL statement: {statement!r}")
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("a statement with expanding or literal-execute parameters cannot be prepared")
        self.sql = compiled.string
        self._dialect = dialect
        self._positional = compiled.positiontup is not None
        self._names: list[str] = list(compiled.positiontup or dict.fromkeys(compiled.bind_names.values()))
        # Each parameter's processor as its type gives it for this dialect (TypeEngine.dialect_impl, bind_processor).
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect) for bind, name in compiled.bind_names.items()
        }
        self._bind: list[tuple[str, _Processor]] = [(name, processors.get(name)) for name in self._names]
        self._fixed: dict[str, Any] = {
            compiled.bind_names[bind]: bind.value for bind in compiled.bind_names if bind.value is not None
        }
        for column in (*compiled.insert_prefetch, *compiled.update_prefetch):
            default = column.default if column.default is not None else column.onupdate
            if not (isinstance(default, ColumnDefault) and default.is_scalar):
                raise ValueError(f"column {column.name} has a default that cannot be prepared")
            self._fixed[column.key] = default.arg
        selected = statement.selected_columns if isinstance(statement, Select) else None
        self._row: Any = namedtuple("Row", list(selected.keys())) if selected else None
        result = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in selected or ()]
        self._processed: list[tuple[int, Callable[[Any], Any]]] = [
            (index, process) for index, process in enumerate(result) if process is not None
        ]

    def _wrapped(self, error: Any, parameters: Any, cursor: Any, *, many: bool = False) -> DBAPIError:
        """The driver's error as the exception SQLAlchemy raises for it, so callers handle a failure here exactly
        as one raised through the session: `sqlalchemy.exc` names its classes after PEP 249's (IntegrityError,
        OperationalError...), so the first of the error's classes with such a name (after the dialect's
        documented `dbapi_exception_translation_map`, for a driver that names them otherwise) is the one."""
        dialect = self._dialect
        renamed = dialect.dbapi_exception_translation_map
        kind: type[DBAPIError] = next(
            (
                found
                for base in type(error).__mro__
                if isinstance(found := getattr(exc, renamed.get(base.__name__, base.__name__), None), type)
                and issubclass(found, DBAPIError)
            ),
            DBAPIError,
        )
        invalidated = dialect.is_disconnect(error, None, cursor)
        return kind(self.sql, parameters, error, connection_invalidated=invalidated, ismulti=many)

    def _parameters(self, values: Mapping[str, Any]) -> Any:
        merged = {**self._fixed, **values} if self._fixed else values
        if self._positional:
            return tuple([merged[name] if process is None else process(merged[name]) for name, process in self._bind])
        return {name: merged[name] if process is None else process(merged[name]) for name, process in self._bind}

    def execute(self, session: Session, values: Mapping[str, Any], *, driver: Any = None) -> int:
        """Run the statement once; the number of rows it touched."""
        cursor = (driver or _driver(session)[0]).cursor()
        parameters = self._parameters(values)
        try:
            cursor.execute(self.sql, parameters)
            return int(cursor.rowcount)
        except self._dialect.loaded_dbapi.Error as error:
            raise self._wrapped(error, parameters, cursor) from error
        finally:
            cursor.close()

    def execute_many(self, session: Session, rows: Sequence[Mapping[str, Any]], *, driver: Any = None) -> None:
        if not rows:
            return
        cursor = (driver or _driver(session)[0]).cursor()
        parameters = [self._parameters(row) for row in rows]
        try:
            cursor.executemany(self.sql, parameters)
        except self._dialect.loaded_dbapi.Error as error:
            raise self._wrapped(error, parameters, cursor, many=True) from error
        finally:
            cursor.close()

    def rows(self, session: Session, values: Mapping[str, Any], *, driver: Any = None) -> list[Any]:
        """Run a SELECT; its rows as named tuples with each column's type applied."""
        if self._row is None:
            raise TypeError("rows() is for statements that return rows")
        cursor = (driver or _driver(session)[0]).cursor()
        parameters = self._parameters(values)
        try:
            cursor.execute(self.sql, parameters)
            fetched = cursor.fetchall()
        except self._dialect.loaded_dbapi.Error as error:
            raise self._wrapped(error, parameters, cursor) from error
        finally:
            cursor.close()
        row_type, processed = self._row, self._processed
        if not processed:
            return [_new_tuple(row_type, row) for row in fetched]
        made = []
        for row in fetched:  # a loop over the processed columns only: a quarter faster than a generator per row
            columns = list(row)
            for index, process in processed:
                columns[index] = process(columns[index])
            made.append(_new_tuple(row_type, columns))
        return made


class Statements:
    """A set of statements prepared lazily for each dialect they are run on (one per process, in practice)."""

    def __init__(self, statement: ClauseElement, *, keys: Sequence[str] | None = None) -> None:
        self._statement = statement
        self._keys = keys
        self._by_dialect: dict[tuple[type[Dialect], str], Prepared] = {}

    def on(self, session: Session) -> Prepared:
        return self._for(_driver(session)[1])

    def _for(self, dialect: Dialect) -> Prepared:
        key = (type(dialect), dialect.paramstyle)
        prepared = self._by_dialect.get(key)
        if prepared is None:
            prepared = self._by_dialect[key] = Prepared(self._statement, dialect, keys=self._keys)
        return prepared

    def execute(self, session: Session, values: Mapping[str, Any]) -> int:
        driver, dialect = _driver(session)
        return self._for(dialect).execute(session, values, driver=driver)

    def execute_many(self, session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
        driver, dialect = _driver(session)
        self._for(dialect).execute_many(session, rows, driver=driver)

    def rows(self, session: Session, values: Mapping[str, Any]) -> list[Any]:
        driver, dialect = _driver(session)
        return self._for(dialect).rows(session, values, driver=driver)


def _driver(session: Session) -> tuple[Any, Dialect]:
    """The driver's connection the session's transaction holds (begun if it was not), and its dialect.

    Looked up once per transaction (`Database.transaction` records it as it begins one): a transition
    runs eight statements, and asking the session for its connection each time costs more than some
    of them. A recorded connection is used only while the transaction it was recorded in is active.
    """
    known = session.info.get(DRIVER)
    if known is not None and known[0].is_active:
        return known[1], known[2]
    connection = session.connection()
    session.info[DRIVER] = (connection.get_transaction(), connection.connection.driver_connection, connection.dialect)
    return connection.connection.driver_connection, connection.dialect
