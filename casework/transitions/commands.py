"""A follow-on transition: what an effect asks for instead of applying it itself.

Effects (casework.effects) change the register and decide which other cases a transition moves (a sale
removes the listing, which ends it, which lapses the moratoria). They return these; `apply` applies them
in order, each one's own follow-ons before the next, in the same transaction. So effects never import
the writer, and the writer imports effects: one direction, no circle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from casework.actors import Actor
from casework.models import Case


@dataclass(frozen=True)
class Command:
    """Fire `trigger` on `case` (already locked by the effect that asks) as `actor`, with the data a form would give.

    `extra_facts` are shown to the guards only; `event_data` is added to the audit event (which case caused it).
    """

    case: Case
    trigger: str
    actor: Actor
    data: Mapping[str, Any] = field(default_factory=dict)
    extra_facts: Mapping[str, Any] | None = None
    event_data: Mapping[str, Any] | None = None
