"""What a fact provider hands the engine before a trigger is fired (see casework.facts.registry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Gathered:
    facts: dict[str, Any] = field(default_factory=dict)  # shown to the guards
    keep: dict[str, Any] = field(default_factory=dict)  # shown to the guards and recorded on the case
