"""Council policies as data: the periods, windows, criteria and weights a council sets for itself.

Community asset transfer in England is policy, not statute (STATUTE.md §4.1):
each council sets its own stages, target times, criteria, weights and gates.
The right to challenge leaves the submission windows, the maximum time to a
decision and the gap before procurement to the council too (LA 2011 s.82(2),
s.83(4), s.84(3)). A policy is a versioned document; a case pins the version
it started under, so a new version never changes a running case.

Pure module: `parse_policy` checks a document and says everything wrong with it at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from workflows.checklists import Verdict
from workflows.definition import POLICY
from workflows.periods import Counting, Process, Rule, Unit, compute, long_date
from workflows.periods.calendars import CalendarKind
from workflows.periods.commencements import ENGLAND_CAT, ENGLAND_CHALLENGE, Commencement


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


MAX_EOI_CRITERIA = 60  # the assessment's reasons, all together, fit the transition's field


@dataclass(frozen=True)
class PolicyPeriod:
    """A period the council's policy sets: a target time for a stage, or a published maximum."""

    key: str
    label: str
    length: int
    unit: Unit
    basis: str  # where the council says so, and any statute that makes it publish the period

    def rule(self, policy_title: str, start_event: str = "") -> Rule:
        """The period as an engine rule, so it is computed, explained, swept and reminded like a statutory one.

        `policy_title` names the policy and its version; `start_event` says what the period runs from on the
        case (the date a timer starts with), so the explanation reads as the policy does.
        """
        return Rule(
            id=POLICY + self.key,
            process=Process.POLICY,
            title=self.label,
            length=self.length,
            unit=self.unit,
            counting=Counting.AFTER,
            start_event=start_event or "the date the stage started",
            basis=f"{policy_title}: {self.basis}" if policy_title else self.basis,
            calendar=CalendarKind.COUNCIL_WORKING_DAYS  # the council's period: its closure days count
            if self.unit is Unit.WORKING_DAYS
            else CalendarKind.CALENDAR_DAYS,
        )


@dataclass(frozen=True)
class Criterion:
    """One thing applications are scored on. A gate must reach its pass mark whatever the total."""

    id: str
    label: str
    weight: Decimal
    max_score: int = 5
    gate: bool = False
    pass_mark: int | None = None  # for a gate: the lowest moderated score that passes
    guidance: str = ""


@dataclass(frozen=True)
class Rubric:
    criteria: tuple[Criterion, ...]
    pass_threshold: Decimal  # percentage of the maximum weighted score needed to recommend approval

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)


@dataclass(frozen=True)
class Tenure:
    id: str
    label: str
    qualifying_for_moratorium: bool  # freehold, or a lease of 25 years or more (LA 2011 s.96)


TENURES = (
    Tenure("licence", "Licence or management agreement", qualifying_for_moratorium=False),
    Tenure("short_lease", "Short lease (up to 7 years)", qualifying_for_moratorium=False),
    Tenure("lease", "Lease of 7 to 24 years", qualifying_for_moratorium=False),
    Tenure("long_lease", "Long lease (25 years or more)", qualifying_for_moratorium=True),
    Tenure("freehold", "Freehold", qualifying_for_moratorium=True),
)
TENURE_IDS = frozenset(t.id for t in TENURES)


@dataclass(frozen=True)
class TransferPolicy:
    """A council's community asset transfer policy (England): stages, target times, criteria and gates."""

    title: str
    periods: Mapping[str, PolicyPeriod]
    eoi_criteria: tuple[str, ...]  # what an expression of interest is checked against, pass or fail
    rubric: Rubric
    decision_body: str
    tenures: tuple[str, ...]
    example: bool = False  # weights chosen for illustration, not the council's own
    source: str = ""
    eoi_advert_per_asset: bool = True  # one advertised window per asset, open to every group, after one check


@dataclass(frozen=True)
class ServiceWindow:
    """A service open to challenge, and the yearly window (month-day to month-day) if the council set one."""

    id: str
    name: str
    opens: tuple[int, int] | None = None  # (month, day)
    closes: tuple[int, int] | None = None

    @property
    def all_year(self) -> bool:
        return self.opens is None


@dataclass(frozen=True)
class ChallengePolicy:
    """What a council publishes for the right to challenge (LA 2011 s.82(2)-(3), s.83(4)-(6), s.84(3)-(5))."""

    title: str
    services: tuple[ServiceWindow, ...]
    periods: Mapping[str, PolicyPeriod]
    example: bool = False
    source: str = ""

    def service(self, service_id: str) -> ServiceWindow | None:
        return next((s for s in self.services if s.id == service_id), None)


Policy = TransferPolicy | ChallengePolicy

TRANSFER_PERIODS = (
    "enquiry_reply",
    "eoi_window",
    "eoi_assessment",
    "business_case",
    "assessment",
    "decision",
    "completion",
    "annual_review",
)
CHALLENGE_PERIODS = ("decision", "procurement_earliest", "procurement_latest")
KINDS = {"asset_transfer": TRANSFER_PERIODS, "challenge": CHALLENGE_PERIODS}
# The regime each kind of policy runs a process under: no version can apply to cases before it began.
COMMENCED: dict[str, Commencement] = {"asset_transfer": ENGLAND_CAT, "challenge": ENGLAND_CHALLENGE}


def first_day_refusal(workflow: str, first_day: date, follows: tuple[int, date] | None) -> str | None:
    """Why `first_day` cannot be the first day new cases use a new version of the policy, or None if it can.

    Not before the regime began (a policy for the right to challenge from 1900 would be a typing slip that no
    case could ever be under), and not before the first day of the version it follows (`follows`: its number
    and first day), or which version applies to a case would depend on which was published last.
    """
    commenced = COMMENCED[workflow]
    if first_day < commenced.on:
        return (
            f"The first day new cases use it, {long_date(first_day)}, cannot be before {long_date(commenced.on)}, "
            f"when {commenced.regime} commenced ({commenced.basis})"
        )
    if follows is not None and first_day < follows[1]:
        return (
            f"The first day new cases use it, {long_date(first_day)}, cannot be before "
            f"{long_date(follows[1])}, the first day of version {follows[0]}, which it follows"
        )
    return None


# Periods a policy may set but need not: the law names no length for them.
OPTIONAL_PERIODS = {
    "asset_transfer": ("open_space_objections",),  # the least time for objections after the second notice
    "challenge": (),
}


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
    criteria = [
        c for c in (_criterion(spec, f"rubric.criteria.{i}", i + 1, problems) for i, spec in enumerate(raw["criteria"]))
        if c is not None
    ]  # fmt: skip
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
            str(spec["id"]), str(spec["label"]), weight, max_score, bool(spec.get("gate")), pass_mark,
            str(spec.get("guidance", "")),
        )  # fmt: skip
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


# Right to challenge windows (LA 2011 s.82) ----------------------------------------------------------------------


@dataclass(frozen=True)
class WindowCheck:
    verdict: Verdict
    in_window: bool  # received during a window the council specified (s.84(7)(a) then applies)
    window_closes_on: date | None


def check_window(service: ServiceWindow, received_on: date) -> WindowCheck:
    """Was an expression of interest received when the council accepts them for this service?

    Outside a specified window the council may refuse to consider it (s.82(4));
    a service with no window takes them at any time (s.82(1)).
    """
    basis = ("LA 2011 s.82",)
    if service.opens is None or service.closes is None:
        return WindowCheck(
            Verdict(True, (f"{service.name} takes expressions of interest at any time",), basis), False, None
        )
    for opens, closes in _windows_around(service.opens, service.closes, received_on.year):
        if opens <= received_on <= closes:
            reason = f"Received within the window for {service.name}, which closes on {long_date(closes)}"
            return WindowCheck(Verdict(True, (reason,), basis), True, closes)
    following = min(o for o, _ in _windows_around(service.opens, service.closes, received_on.year) if o > received_on)
    reason = (
        f"The council considers expressions of interest in {service.name} only in its published window "
        f"({_day_month(service.opens)} to {_day_month(service.closes)}); this one was received on "
        f"{long_date(received_on)}. The next window opens on {long_date(following)} (LA 2011 s.82(4))"
    )
    return WindowCheck(Verdict(False, (reason,), basis), False, None)


def _windows_around(opens: tuple[int, int], closes: tuple[int, int], year: int) -> list[tuple[date, date]]:
    """The windows of the year before, this year and the next, allowing a window that spans New Year."""
    windows = []
    for start_year in (year - 1, year, year + 1):
        start = _on(start_year, opens)
        end_year = start_year if closes >= opens else start_year + 1
        windows.append((start, _on(end_year, closes)))
    return windows


def _on(year: int, month_day: tuple[int, int]) -> date:
    month, day = month_day
    if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        return date(year, 2, 28)
    return date(year, month, day)


def _day_month(month_day: tuple[int, int]) -> str:
    return f"{_on(2024, month_day):%-d %B}"
