"""Human case references, numbered per council and process: BDC-ACV-00012."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from casework.models import Council, ReferenceCounter


def next_reference(session: Session, council: Council, prefix: str) -> str:
    """Take the next number for (council, prefix), holding the counter row's lock until commit."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # Two first-ever cases at once must not both try to create the counter: insert-if-absent, then lock.
    session.execute(
        insert(ReferenceCounter)
        .values(council_id=council.id, prefix=prefix, next_value=1)
        .on_conflict_do_nothing(index_elements=["council_id", "prefix"])
    )
    counter = session.execute(
        select(ReferenceCounter)
        .where(ReferenceCounter.council_id == council.id, ReferenceCounter.prefix == prefix)
        .with_for_update()
    ).scalar_one()
    number = counter.next_value
    counter.next_value = number + 1
    return f"{council.code}-{prefix}-{number:05d}"


def reserve(session: Session, council: Council, prefix: str, count: int) -> list[str]:
    """Take `count` consecutive numbers at once, for a bulk load: one locked counter update, not one per case."""
    if count <= 0:
        return []
    first = next_reference(session, council, prefix)
    counter = session.execute(
        select(ReferenceCounter).where(ReferenceCounter.council_id == council.id, ReferenceCounter.prefix == prefix)
    ).scalar_one()
    start = counter.next_value - 1
    counter.next_value = start + count
    return [first, *(f"{council.code}-{prefix}-{number:05d}" for number in range(start + 1, start + count))]
