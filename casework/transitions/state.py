"""The one statement that writes a case's state: an UPDATE guarded by the case's version.

Only casework.transitions imports this module (an import-linter contract in pyproject.toml says so):
every other change of state goes through `apply`, so through the workflow's guards and the trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from casework.errors import StaleCase
from casework.models import Case
from casework.models.base import Base
from casework.repositories.prepared import Statements

# Built once per process and run on the DB-API connection (casework.repositories.prepared): building a
# statement and flushing ORM objects cost more than the statement itself (bench/README.md, B1).
_CASES = Base.metadata.tables[Case.__tablename__]
_UPDATE_CASE = Statements(
    update(_CASES)
    .where(_CASES.c.id == bindparam("case_id"), _CASES.c.version == bindparam("old_version"))
    .values({name: bindparam(f"new_{name}") for name in ("state", "facts", "state_changed_at", "closed_at", "version")})
)


def write_state(
    session: Session, case: Case, *, state: str, facts: dict[str, Any], now: datetime, closed: bool
) -> None:
    """Store the case's new state with one UPDATE guarded by its version, before anything else is written.

    The statement the ORM's flush would issue (version_id_col), without the unit of work; the
    object is then told its new values are stored. Written first, so that the effects' queries
    see the case as it now is, as an autoflush would have shown them.
    """
    # A case leaving a dormant state (a late review or appeal) is open again.
    written = {"state": state, "facts": facts, "state_changed_at": now,
               "closed_at": now if closed else None, "version": case.version + 1}  # fmt: skip
    updated = _UPDATE_CASE.execute(
        session, {"case_id": case.id, "old_version": case.version, **{f"new_{k}": v for k, v in written.items()}}
    )
    if updated != 1:
        raise StaleCase(case.reference)
    for key, value in written.items():
        set_committed_value(case, key, value)
