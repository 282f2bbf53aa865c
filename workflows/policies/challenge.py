"""What a council publishes for the right to challenge: the services open to it and their yearly windows.

LA 2011 s.82(2)-(3) lets the council set windows in which it considers expressions of interest, per service; one
received outside them it may refuse to consider (s.82(4)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from workflows.checklists import Verdict
from workflows.periods import long_date
from workflows.policies.periods import PolicyPeriod


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
