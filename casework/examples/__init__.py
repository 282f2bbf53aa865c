"""Example council policies, shipped for the demonstration council and as templates for real ones.

Their weights and periods are examples, and each says so in its `source`.

`codepo_bs.csv` is a few postcode centroids for the demonstration council's made-up Borsetshire, in Ordnance
Survey's Code-Point Open layout (no header; postcode, quality, eastings, northings, then GSS codes), so that
alerts by postcode work on `make run`. The postcodes are placed around the demo's assets, not where Royal Mail
puts them, and the district and ward codes are invented; load the real Code-Point Open for a real council.
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


def postcode_file() -> tuple[str, bytes]:
    """The demonstration council's postcodes, as a Code-Point Open file: its name and its bytes."""
    return "codepo_bs.csv", resources.files(__package__).joinpath("codepo_bs.csv").read_bytes()
