"""Bounds on every date an actor supplies: not before the regime commenced, not before the case's own record.

Parsing already refuses a date in the future where the event has happened (a field is `allow_future` only
where it names a day still to come). What parsing cannot know is the law and the case: a decision dated
1 January 1900 on a nomination received in 2026 is a typing slip that would list land from before the
Localism Act and let the sweep end the listing at once. So each definition passes its transitions through
`bound`, which adds guards to every transition that takes a date, for each of its dates:

- `<date>_after_commencement`: the date is not before the regime came into force (its citation);
- `<date>_in_order`: the date is not before a date the case has already recorded (or is being given
  with it) that must come first, as the definition's `after` map says: a decision after the receipt, an
  entry after the decision, a review after its request.

One guard per date, so each slip is its own line in the error summary.

Being guards, the refusals read the same on pages, the API and the CLI, and a refused transition writes
nothing. Existing guards are left as they are; a pair they already check is simply not repeated in `after`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from workflows.definition import FieldKind, Guard, GuardContext, Transition
from workflows.periods import long_date
from workflows.periods.commencements import ENGLAND_ACV, ENGLAND_CAT, ENGLAND_CHALLENGE, SCOTLAND_ATR, Commencement

IN_ORDER = "A case's record cannot run backwards: an event is not dated before the events it follows"


def bound(
    transitions: Iterable[Transition], commenced: Commencement, *, after: Mapping[str, tuple[str, ...]]
) -> tuple[Transition, ...]:
    """The transitions with the two date guards added to each one that takes a date."""
    transitions = tuple(transitions)
    labels = _labels(transitions)
    return tuple(_bounded(t, commenced, after, labels) for t in transitions)


def _labels(transitions: tuple[Transition, ...]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for transition in transitions:
        for spec in transition.fields:
            labels.setdefault(spec.name, spec.label)
    return labels


def _bounded(
    transition: Transition, commenced: Commencement, after: Mapping[str, tuple[str, ...]], labels: Mapping[str, str]
) -> Transition:
    dated = tuple(spec.name for spec in transition.fields if spec.kind is FieldKind.DATE)
    if not dated:
        return transition
    added = [after_commencement(name, commenced, labels) for name in dated]
    added += [in_order(name, after[name], labels) for name in dated if after.get(name)]
    return replace(transition, guards=(*transition.guards, *added))


def _date(ctx: GuardContext, name: str, *, supplied_only: bool = False) -> date | None:
    value: Any = ctx.data.get(name) if supplied_only else ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def after_commencement(name: str, commenced: Commencement, labels: Mapping[str, str]) -> Guard:
    """The date `name`, if supplied, is not before the regime commenced (one guard per date: one line per slip)."""

    def check(ctx: GuardContext) -> bool:
        when = _date(ctx, name, supplied_only=True)
        return when is None or when >= commenced.on

    def refusal(ctx: GuardContext) -> str:
        when = _date(ctx, name, supplied_only=True)
        given = f", {long_date(when)}," if when else ""
        return (
            f"The {labels.get(name, name)}{given} cannot be before {long_date(commenced.on)}, "
            f"when {commenced.regime} commenced"
        )

    return Guard(f"{name}_after_commencement", check, refusal, commenced.basis, field=name)


def in_order(name: str, earlier: tuple[str, ...], labels: Mapping[str, str]) -> Guard:
    """The date `name`, if supplied, is not before any of the dates `earlier` (supplied now or already recorded)."""

    def first_broken(ctx: GuardContext) -> tuple[date, str, date] | None:
        when = _date(ctx, name, supplied_only=True)
        for first in earlier:
            begun = _date(ctx, first)
            if when is not None and begun is not None and when < begun:
                return when, first, begun
        return None

    def refusal(ctx: GuardContext) -> str:
        broken = first_broken(ctx)
        if broken is None:  # pragma: no cover - asked only when the check failed
            return ""
        when, first, begun = broken
        return (
            f"The {labels.get(name, name)}, {long_date(when)}, cannot be before the "
            f"{labels.get(first, first.replace('_', ' '))}, {long_date(begun)}"
        )

    return Guard(f"{name}_in_order", lambda ctx: first_broken(ctx) is None, refusal, IN_ORDER, field=name)


# The commencements are kept with the period rules that share them; definitions name them from here.
__all__ = [
    "ENGLAND_ACV",
    "ENGLAND_CAT",
    "ENGLAND_CHALLENGE",
    "IN_ORDER",
    "SCOTLAND_ATR",
    "Commencement",
    "after_commencement",
    "bound",
    "in_order",
]
