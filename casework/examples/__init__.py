"""Example council policies, shipped for the demonstration council and as templates for real ones.

Their weights and periods are examples, and each says so in its `source`.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

TRANSFER_POLICIES = ("cat_norwich_style", "cat_dorset_style")
CHALLENGE_POLICY = "challenge"


def load(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(resources.files(__package__).joinpath(f"{name}.json").read_text("utf-8"))
    return document
