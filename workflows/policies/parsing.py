"""Reading a policy document: `parse_policy` checks it and says everything wrong with it at once.

Each problem is paired with the place in the document it is about, so that a form can show it beside its field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from workflows.periods import Unit, compute
from workflows.policies.challenge import ChallengePolicy, ServiceWindow
from workflows.policies.kinds import KINDS, OPTIONAL_PERIODS, Policy
from workflows.policies.periods import PolicyPeriod
from workflows.policies.transfer import MAX_EOI_CRITERIA, TENURE_IDS, Criterion, Rubric, TransferPolicy


class InvalidPolicy(ValueError):
    """A policy document that cannot be used, with every problem found.

    `where` pairs each problem with the place in the document it is about, as a dotted path
    (`rubric.criteria.2.weight`, `periods.decision.length`), so that a form can put it beside its field.
    """

    def __init__(self, problems: list[str], where: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.where = tuple(where)


class Problems(list[str]):
    """The problems found so far, in order, each remembered with the path of what it is about."""

    def __init__(self) -> None:
        super().__init__()
        self.where: list[tuple[str, str]] = []

    def at(self, path: str, message: str) -> None:
        self.append(message)
        self.where.append((path, message))

    def refuse(self) -> InvalidPolicy:
        return InvalidPolicy(list(self), self.where)


def parse_policy(workflow: str, document: Mapping[str, Any]) -> Policy:
    """Check a policy document for `workflow` and build it; raises InvalidPolicy listing every problem."""
    problems = Problems()
    if workflow not in KINDS:
        problems.at("workflow", f"There are no policies for {workflow!r}; there are for: {', '.join(sorted(KINDS))}")
        raise problems.refuse()
    title = _text(document, "title", problems)
    periods = _periods(document.get("periods"), KINDS[workflow], OPTIONAL_PERIODS[workflow], problems)
    if workflow == "challenge":
        services = _services(document.get("services"), problems)
        _earliest_before_latest(periods, problems)
        if problems:
            raise problems.refuse()
        return ChallengePolicy(title, services, periods, bool(document.get("example")), str(document.get("source", "")))
    rubric = _rubric(document.get("rubric"), problems)
    tenures = _tenures(document.get("tenures"), problems)
    eoi = _eoi_criteria(document.get("eoi_criteria"), problems)
    decision_body = _text(document, "decision_body", problems)
    per_asset = _per_asset(document.get("eoi_advert", "per_asset"), problems)
    if problems:
        raise problems.refuse()
    assert rubric is not None  # noqa: S101 - problems would be non-empty otherwise
    return TransferPolicy(
        title,
        periods,
        eoi,
        rubric,
        decision_body,
        tenures,
        bool(document.get("example")),
        str(document.get("source", "")),
        per_asset,
    )


def _tenures(raw: Any, problems: Problems) -> tuple[str, ...]:
    tenures = tuple(raw or ())
    for tenure in tenures:
        if tenure not in TENURE_IDS:
            problems.at("tenures", f"Unknown tenure {tenure!r}")
    if not tenures:
        problems.at("tenures", "Select at least one tenure the council offers")
    return tenures


def _eoi_criteria(raw: Any, problems: Problems) -> tuple[str, ...]:
    eoi = tuple(str(c) for c in raw or ())
    if not eoi:
        problems.at("eoi_criteria", "List what an expression of interest is checked against (eoi_criteria)")
    if len(eoi) > MAX_EOI_CRITERIA:
        problems.at("eoi_criteria", f"An expression of interest is checked against at most {MAX_EOI_CRITERIA} criteria")
    return eoi


def _text(document: Mapping[str, Any], key: str, problems: Problems) -> str:
    value = document.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.at(key, f"Give the policy's {key.replace('_', ' ')}")
        return ""
    return value.strip()


def _per_asset(value: Any, problems: Problems) -> bool:
    """Whether the council advertises one window per asset ("per_asset") or one per application."""
    if value not in ("per_asset", "per_application"):
        problems.at("eoi_advert", "eoi_advert is either 'per_asset' (one window for every group) or 'per_application'")
    return bool(value != "per_application")


def _periods(raw: Any, keys: tuple[str, ...], optional: tuple[str, ...], problems: Problems) -> dict[str, PolicyPeriod]:
    raw = raw if isinstance(raw, Mapping) else {}
    periods: dict[str, PolicyPeriod] = {}
    for key in (*keys, *optional):
        spec = raw.get(key)
        if spec is None and key in optional:
            continue
        where = f"periods.{key}"
        if not isinstance(spec, Mapping):
            problems.at(f"{where}.length", f"Give the length of the period {key!r}")
            continue
        named = f"{key!r} ({spec['label']})" if spec.get("label") else repr(key)
        try:
            length, unit = int(spec["length"]), Unit(spec["unit"])
        except (KeyError, TypeError, ValueError):
            problems.at(
                f"{where}.length",
                f"The period {named} needs a whole-number length and a unit (days, weeks, months, ...)",
            )
            continue
        if length < 1:
            one = unit.value.replace("_", " ").removesuffix("s")
            problems.at(f"{where}.length", f"The period {named} must be at least 1 {one}")
            continue
        label = str(spec.get("label") or key.replace("_", " ").capitalize())
        periods[key] = PolicyPeriod(key, label, length, unit, str(spec.get("basis") or "council policy"))
    for key in raw:
        if key not in (*keys, *optional):
            problems.at("periods", f"Unknown period {key!r}")
    return periods


def _earliest_before_latest(periods: Mapping[str, PolicyPeriod], problems: Problems) -> None:
    """s.83(4): procurement starts between the published minimum and maximum, so the minimum must come first."""
    earliest, latest = periods.get("procurement_earliest"), periods.get("procurement_latest")
    if earliest is None or latest is None:
        return
    start = date(2024, 1, 1)
    if compute(earliest.rule(""), start).due > compute(latest.rule(""), start).due:
        problems.at(
            "periods.procurement_earliest.length",
            "The earliest start of procurement must not be later than the latest start",
        )


def _services(raw: Any, problems: Problems) -> tuple[ServiceWindow, ...]:
    if not isinstance(raw, list) or not raw:
        problems.at("services", "List the services open to challenge")
        return ()
    services = []
    for index, spec in enumerate(raw):
        try:
            window = spec.get("window")
            opens = _month_day(window["opens"]) if window else None
            closes = _month_day(window["closes"]) if window else None
            services.append(ServiceWindow(str(spec["id"]), str(spec["name"]), opens, closes))
        except (KeyError, TypeError, ValueError, AttributeError):
            problems.at(
                f"services.{index}",
                f"Service {spec!r} needs an id, a name and, if it has one, a window with opens and closes",
            )
    if len({s.id for s in services}) != len(services):
        problems.at("services", "Each service needs its own id")
    return tuple(services)


def _month_day(text: str) -> tuple[int, int]:
    month, day = (int(part) for part in text.split("-"))
    date(2024, month, day)  # a leap year, so 02-29 is allowed; raises ValueError for 13-01 or 02-30
    return month, day


def _rubric(raw: Any, problems: Problems) -> Rubric | None:
    if not isinstance(raw, Mapping) or not raw.get("criteria"):
        problems.at("rubric.criteria", "Give the scoring rubric: its criteria, weights and pass threshold")
        return None
    found = (_criterion(spec, f"rubric.criteria.{i}", i + 1, problems) for i, spec in enumerate(raw["criteria"]))
    criteria = [c for c in found if c is not None]
    seen: set[str] = set()
    for index, criterion in enumerate(criteria):
        if criterion.id in seen:
            problems.at(f"rubric.criteria.{index}.label", "Each criterion needs its own id")
        seen.add(criterion.id)
    if criteria and sum(c.weight for c in criteria) <= 0:
        problems.at("rubric.criteria.0.weight", "The weights must add up to more than 0")
    try:
        threshold = Decimal(str(raw.get("pass_threshold")))
    except InvalidOperation:
        threshold = Decimal(-1)
    if not threshold.is_finite() or not Decimal(0) <= threshold <= Decimal(100):
        problems.at("rubric.pass_threshold", "The pass threshold is a percentage from 0 to 100")
    return Rubric(tuple(criteria), threshold)


def _criterion(spec: Any, where: str, number: int, problems: Problems) -> Criterion | None:
    try:
        weight = Decimal(str(spec["weight"]))
        max_score = int(spec.get("max_score", 5))
        pass_mark = int(spec["pass_mark"]) if spec.get("gate") else None
        criterion = Criterion(
            str(spec["id"]),
            str(spec["label"]),
            weight,
            max_score,
            bool(spec.get("gate")),
            pass_mark,
            str(spec.get("guidance", "")),
        )
    except (KeyError, TypeError, ValueError, InvalidOperation, AttributeError):
        problems.at(where, f"Criterion {spec!r} needs an id, a label, a weight and, for a gate, a pass mark")
        return None
    named = f"criterion {number} ({criterion.label})"
    found = len(problems)
    if not weight.is_finite() or weight < 0:
        problems.at(f"{where}.weight", f"The weight of {named} must be 0 or more")
    if max_score < 1:
        problems.at(f"{where}.max_score", f"The highest score of {named} must be at least 1")
    elif pass_mark is not None and not 0 <= pass_mark <= max_score:
        problems.at(f"{where}.pass_mark", f"The pass mark of {named} must be from 0 to its highest score, {max_score}")
    return criterion if len(problems) == found else None
