"""Who is acting: a user in one role, for one council or set of organisations, or the system."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from workflows.roles import Role


@dataclass(frozen=True)
class Actor:
    role: Role
    user_id: uuid.UUID | None = None
    council_id: uuid.UUID | None = None  # for staff roles
    organisation_ids: frozenset[uuid.UUID] = field(default_factory=frozenset)  # for community group members
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.role.value.replace("_", " ")


SYSTEM = Actor(Role.SYSTEM, name="System")
