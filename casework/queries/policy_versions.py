"""The published versions of a council's policies, as its admins read them and start the next version from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from casework import policies
from casework.actors import Actor
from casework.db import Database
from casework.errors import NotFound
from casework.models import Policy


@dataclass(frozen=True)
class PolicyDetail:
    pinned: policies.PinnedPolicy
    document: dict[str, object]


def policy_detail(db: Database, actor: Actor, policy_id: uuid.UUID) -> PolicyDetail:
    """One version of the actor's council's policies: parsed, and as the document it was published from."""
    with db.reader() as session:
        row = session.get(Policy, policy_id)
        if row is None or row.council_id != actor.council_id:
            raise NotFound("There is no such policy version for your council")
        return PolicyDetail(policies.get(session, row.id), dict(row.document))


def latest_document(db: Database, actor: Actor, workflow: str) -> dict[str, object] | None:
    """The newest published version's document, to start the next version from."""
    with db.reader() as session:
        row = session.scalars(
            select(Policy)
            .where(Policy.council_id == actor.council_id, Policy.workflow == workflow)
            .order_by(Policy.version.desc())
        ).first()
        return dict(row.document) if row else None
