"""The facts recorded on a case: what transitions write into `Case.facts`, and how guards read them back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from casework.models import Case
from casework.models.base import Base, to_json_value
from casework.repositories.prepared import Statements
from workflows.definition import Definition

_CASES = Base.metadata.tables[Case.__tablename__]
_UPDATE_FACTS = Statements(
    update(_CASES).where(_CASES.c.id == bindparam("case_id")).values(facts=bindparam("new_facts"))
)


def add_facts(session: Session, case: Case, facts: Mapping[str, Any]) -> None:
    """Record more facts on a case during its transition (an effect's findings), under the same version."""
    merged = {**case.facts, **{key: to_json_value(value) for key, value in facts.items()}}
    _UPDATE_FACTS.execute(session, {"case_id": case.id, "new_facts": merged})
    set_committed_value(case, "facts", merged)


def stored_facts(defn: Definition, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Case facts as guards see them: ISO strings of date fields turned back into dates."""
    date_fields = defn.date_fields()
    return {
        key: date.fromisoformat(value) if key in date_fields and isinstance(value, str) else value
        for key, value in facts.items()
    }
