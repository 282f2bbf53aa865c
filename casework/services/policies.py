"""Publishing a council's policy for asset transfer or the right to challenge, as a new version.

A published version is never edited. Cases already running keep the version
they started under; new cases take the newest version in force on the day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casework import clock
from casework.actors import Actor
from casework.db import Database
from casework.errors import InvalidInput, PermissionDenied
from casework.models import Case, Policy
from casework.repositories import councils
from workflows.policies import KINDS, ChallengePolicy, InvalidPolicy, TransferPolicy, first_day_refusal, parse_policy
from workflows.roles import Role


@dataclass(frozen=True)
class PolicyVersion:
    id: uuid.UUID
    council_code: str
    workflow: str
    version: int
    title: str
    effective_from: date
    example: bool
    cases: int  # running and closed cases that started under this version


def publish(
    db: Database,
    actor: Actor,
    council_code: str,
    workflow: str,
    document: dict[str, Any],
    *,
    effective_from: date | None = None,
    now: datetime | None = None,
) -> PolicyVersion:
    """Check `document` and store it as the next version of the council's policy. One transaction.

    Only the council's admin (or the system, for the command line and demo data) may publish. A document the
    policy rules refuse raises InvalidInput whose errors are keyed by the place in the document each problem
    is about (`rubric.criteria.2.weight`, `periods.decision.length`), so a form can show each beside its field.
    """
    now = now or clock.utcnow()
    parsed = _parsed(workflow, document)
    with db.transaction() as session:
        council = councils.get_by_code(session, council_code)
        if actor.role is not Role.SYSTEM and (actor.role is not Role.COUNCIL_ADMIN or actor.council_id != council.id):
            raise PermissionDenied("Only the council's admin can publish its policies")
        first_day = effective_from or clock.london_date(now)
        row = Policy(
            id=uuid.uuid4(),
            council_id=council.id,
            workflow=workflow,
            version=_next_version(session, council.id, workflow, first_day),
            title=parsed.title,
            document=document,
            effective_from=first_day,
            created_by=actor.user_id,
            created_at=now,
        )
        session.add(row)
        session.flush()
        return PolicyVersion(
            row.id, council.code, workflow, row.version, row.title, row.effective_from, parsed.example, 0
        )


def _parsed(workflow: str, document: dict[str, Any]) -> ChallengePolicy | TransferPolicy:
    """The document read by the policy rules of its kind; InvalidInput saying where each problem is, if refused."""
    if workflow not in KINDS:
        raise InvalidInput({"workflow": f"Policies exist for {' and '.join(sorted(KINDS))} only"})
    try:
        return parse_policy(workflow, document)
    except InvalidPolicy as invalid:
        raise InvalidInput(_by_place(invalid)) from None


def _next_version(session: Session, council_id: uuid.UUID, workflow: str, first_day: date) -> int:
    """The number the new version takes, if it may come into force on `first_day` after the versions before it."""
    latest = session.execute(
        select(Policy.version, Policy.effective_from)
        .where(Policy.council_id == council_id, Policy.workflow == workflow)
        .order_by(Policy.version.desc())
        .limit(1)
    ).first()
    refused = first_day_refusal(workflow, first_day, (latest.version, latest.effective_from) if latest else None)
    if refused:
        raise InvalidInput({"effective_from": refused})
    return (latest.version if latest else 0) + 1


def _by_place(invalid: InvalidPolicy) -> dict[str, str]:
    by_place: dict[str, list[str]] = {}
    for place, problem in invalid.where or [("document", p) for p in invalid.problems]:
        by_place.setdefault(place, []).append(problem)
    return {place: "; ".join(problems) for place, problems in by_place.items()}


def versions(db: Database, council_code: str, workflow: str | None = None) -> list[PolicyVersion]:
    """Every version of the council's policies, newest first, with how many cases each governs."""
    with db.reader() as session:
        council = councils.get_by_code(session, council_code)
        stmt = select(Policy).where(Policy.council_id == council.id)
        if workflow:
            stmt = stmt.where(Policy.workflow == workflow)
        rows = session.scalars(stmt.order_by(Policy.workflow, Policy.version.desc())).all()
        counts = dict(
            session.execute(
                select(Case.policy_id, func.count())
                .where(Case.policy_id.in_([row.id for row in rows]))
                .group_by(Case.policy_id)
            ).all()
        )
        return [
            PolicyVersion(
                row.id,
                council.code,
                row.workflow,
                row.version,
                row.title,
                row.effective_from,
                bool(row.document.get("example")),
                counts.get(row.id, 0),
            )
            for row in rows
        ]
