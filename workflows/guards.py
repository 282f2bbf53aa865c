"""Guard builders shared by the definitions: small pure predicates over GuardContext."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from workflows.definition import Guard, GuardContext
from workflows.periods import long_date


def _date_of(ctx: GuardContext, name: str) -> date | None:
    value: Any = ctx.data.get(name, ctx.facts.get(name))
    return value if isinstance(value, date) else None


def _time_of(ctx: GuardContext, name: str) -> time | None:
    value: Any = ctx.data.get(name, ctx.facts.get(name))
    if isinstance(value, str):
        try:
            value = time.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, time) else None


def in_time(
    name: str,
    *,
    when: str,
    timer: str,
    what: str,
    basis: str,
    waiver: str | None = None,
    at: str | None = None,
    cutoff: time | None = None,
) -> Guard:
    """The date `when` (supplied or recorded) falls on or before the due date of `timer`.

    `waiver` names a yes/no field by which the council records, in writing,
    that it allows a longer period (as Sch.2 para.1 permits). With `cutoff`,
    something done on the last day counts only if done before that time, read
    from the time field `at` (GRC Rules r.12(1): an act due on a day must be
    done by 5pm); on an earlier day the time does not matter.
    """

    def check(ctx: GuardContext) -> bool:
        if waiver and ctx.data.get(waiver) is True:
            return True
        happened, due = _date_of(ctx, when), ctx.deadlines.get(timer)
        if happened is None or due is None or happened > due:
            return False
        if happened < due or cutoff is None or at is None:
            return True
        done_at = _time_of(ctx, at)
        return done_at is not None and done_at < cutoff

    return Guard(name, check, _late(when=when, timer=timer, what=what, at=at, cutoff=cutoff), basis)


def _late(*, when: str, timer: str, what: str, at: str | None, cutoff: time | None) -> Callable[[GuardContext], str]:
    """Why `in_time` refused: no limit, no date, after the last day, or on it but too late (or at no known time)."""

    def refusal(ctx: GuardContext) -> str:
        happened, due = _date_of(ctx, when), ctx.deadlines.get(timer)
        if due is None:
            return f"There is no time limit recorded for {what}"
        if happened is None:
            return f"Record the date of {what}"
        if happened < due or cutoff is None or at is None or happened > due:
            return f"{what.capitalize()} on {long_date(happened)} was after the time limit ended on {long_date(due)}"
        done_at = _time_of(ctx, at)
        if done_at is None:
            return (
                f"{what.capitalize()} arrived on the last day, {long_date(due)}: record the time it was "
                f"received, as it counts only if received before {cutoff:%H:%M}"
            )
        return (
            f"{what.capitalize()} was received at {done_at:%H:%M} on the last day, {long_date(due)}: "
            f"the time limit ended at {cutoff:%H:%M} that day"
        )

    return refusal


def not_before(name: str, *, when: str, start: str, what: str, basis: str) -> Guard:
    """The date `when` is not earlier than the recorded date `start`."""

    def check(ctx: GuardContext) -> bool:
        happened, begun = _date_of(ctx, when), _date_of(ctx, start)
        return happened is None or begun is None or happened >= begun

    def refusal(ctx: GuardContext) -> str:
        begun = _date_of(ctx, start)
        return f"{what.capitalize()} cannot be before {long_date(begun) if begun else 'the start'}"

    return Guard(name, check, refusal, basis, field=when)  # beside the date it is about, on a form


def not_before_deadline(name: str, *, when: str, timer: str, what: str, basis: str) -> Guard:
    """The date `when` is on or after the due date of `timer`: a period before which something may not happen."""

    def check(ctx: GuardContext) -> bool:
        happened, earliest = _date_of(ctx, when), ctx.deadlines.get(timer)
        return happened is not None and (earliest is None or happened >= earliest)

    def refusal(ctx: GuardContext) -> str:
        earliest = ctx.deadlines.get(timer)
        return f"{what.capitalize()} cannot start before {long_date(earliest) if earliest else 'the date recorded'}"

    return Guard(name, check, refusal, basis)


def fact_is(name: str, fact: str, refusal: str, *, basis: str = "", expected: object = True) -> Guard:
    """A fact the service established (from eligibility rules or the register) has the expected value."""

    def check(ctx: GuardContext) -> bool:
        return ctx.facts.get(fact) == expected

    def explain(ctx: GuardContext) -> str:
        detail = ctx.facts.get(f"{fact}_reasons")
        if isinstance(detail, list | tuple) and detail:
            return f"{refusal}: {'; '.join(str(d) for d in detail)}"
        return refusal

    return Guard(name, check, explain, basis)


def data_is(name: str, field: str, refusal: str, *, basis: str = "", expected: object = True) -> Guard:
    """A yes/no answer the actor gave has the value the law requires."""
    return Guard(name, lambda ctx: ctx.data.get(field) == expected, refusal, basis)


def recorded(name: str, fact: str, refusal: str, *, basis: str = "") -> Guard:
    """Something has already happened on the case (its date is recorded)."""
    return Guard(name, lambda ctx: ctx.facts.get(fact) is not None, refusal, basis)


def not_recorded(name: str, fact: str, refusal: str, *, basis: str = "") -> Guard:
    return Guard(name, lambda ctx: ctx.facts.get(fact) is None, refusal, basis)


def period_has_ended(name: str, *, timer: str, refusal: str, basis: str = "") -> Guard:
    """Today is after the due date of `timer`."""

    def check(ctx: GuardContext) -> bool:
        due = ctx.deadlines.get(timer)
        return due is not None and ctx.today > due

    return Guard(name, check, refusal, basis)


def took_no_part(name: str = "reviewer_took_no_part", *, basis: str) -> Guard:
    """The actor took no part in the decision under review (ACV Regs Sch.2 para.4)."""

    def check(ctx: GuardContext) -> bool:
        makers = ctx.facts.get("decision_makers") or []
        return ctx.actor_id is not None and ctx.actor_id not in makers

    return Guard(
        name,
        check,
        "The review must be carried out by someone who took no part in the original decision",
        basis,
    )
