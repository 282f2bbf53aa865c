"""The owner's or group's own words for a step, beside the council's: the shape a definition's rows give them in.

A transition may carry them (`Transition.party_words`); the words themselves live with their process (for example
workflows.acv_listing.wording).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PartyWords:
    """What an owner or a group reads on a step's form, where the definition's words are the council's.

    A definition names each step and field as the council records it ("Record a request for review"), which is
    right for the officer entering a letter; the person asking is doing something else, and is told in the second
    person what happens next.
    """

    title: str
    submit: str
    labels: tuple[tuple[str, str], ...] = ()  # (field name, its label in the person's words)
    hints: tuple[tuple[str, str], ...] = ()  # (field name, hint)
    ticks: tuple[tuple[str, str], ...] = ()  # (yes/no field asked as one box to tick, the box's label)
    next_steps: tuple[str, ...] = ()
