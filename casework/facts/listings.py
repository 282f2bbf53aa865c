"""What the list says about one asset right now: its current listing and any protected period still running.

Shared by the right-to-bid services and by asset transfers, which must
observe the moratorium when the council disposes of its own listed land.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from casework.models import Case
from casework.repositories import cases
from casework.transitions import locks
from workflows import acv_listing, moratorium, registry
from workflows.definition import Definition
from workflows.errors import UnknownWorkflow
from workflows.moratorium import stages
from workflows.periods import Period, long_date


def definition_of(case: Case) -> Definition:
    """The version of its process a case runs under: where it stands is read from that version, not the latest."""
    return registry.get(case.workflow, case.workflow_version)


def running_cycle_states() -> list[str]:
    """Every state in which a disposal cycle of any registered version runs (its protected period, s.95(4))."""
    defns = registry.versions(moratorium.NAME)
    return sorted({state.id for defn in defns for state in defn.states if stages.running(defn, state.id)})


def cycle_states() -> list[str]:
    """Every state a disposal cycle of any registered version can be in."""
    return sorted({state.id for defn in registry.versions(moratorium.NAME) for state in defn.states})


def current_listing(session: Session, asset_id: uuid.UUID, *, lock: bool = True) -> Case | None:
    if lock:
        listings = locks.lock_cases_of_asset(session, asset_id, acv_listing.NAME, acv_listing.LISTED_STATES)
    else:
        listings = cases.cases_of_asset(session, asset_id, acv_listing.NAME, acv_listing.LISTED_STATES)
    return listings[-1] if listings else None


def protected_periods_running(session: Session, asset_id: uuid.UUID, on: date) -> list[str]:
    """Earlier cycles whose protected period has not ended by `on` (s.95(4)): one sentence each."""
    running = []
    for cycle in locks.lock_cases_of_asset(session, asset_id, moratorium.NAME, running_cycle_states()):
        due = next((d.due_date for d in cases.deadlines_of(session, cycle.id) if d.timer == "protected_end"), None)
        if due is not None and on <= due:
            running.append(f"the protected period of case {cycle.reference} runs until the end of {long_date(due)}")
    return running


def latest_cycle(session: Session, asset_id: uuid.UUID | None) -> Case | None:
    """The newest disposal cycle (moratorium case) on the land, in any state."""
    if asset_id is None:
        return None
    found = cases.cases_of_asset(session, asset_id, moratorium.NAME, cycle_states())
    return found[-1] if found else None


def cycle_end(session: Session, cycle: Case, timer: str) -> date | None:
    """The due date of one of a cycle's clocks (interim_end, full_end, protected_end), whatever its status."""
    return next((d.due_date for d in reversed(cases.deadlines_of(session, cycle.id)) if d.timer == timer), None)


def running_cycle(session: Session, asset_id: uuid.UUID | None, on: date) -> tuple[Case, str] | None:
    """The disposal cycle still running on the land on `on`, with a sentence saying where it stands.

    A cycle runs until its protected period ends (s.95(4), (6)). Within it a disposal needs no new notice
    once the moratorium is over, and must wait while the interim or full moratorium lasts.
    """
    cycle = latest_cycle(session, asset_id)
    if cycle is None or not stages.running(defn := definition_of(cycle), cycle.state):
        return None
    protected = cycle_end(session, cycle, "protected_end")
    if protected is None or on > protected:
        return None
    if stages.owner_free(defn, cycle.state):
        return cycle, (
            f"the moratorium of {cycle.reference} is over and its protected period runs until the end of "
            f"{long_date(protected)} (LA 2011 s.95(4))"
        )
    label = defn.state(cycle.state).label.lower()
    if cycle.state not in defn.timer(clock := stages.moratorium_clock(defn, cycle.state)).active_in:
        return cycle, f"{cycle.reference} is at the stage '{label}', within its moratorium (LA 2011 s.95(1))"
    ends = cycle_end(session, cycle, clock)
    return cycle, f"the {label} of {cycle.reference} runs until the end of {long_date(ends) if ends else 'its period'}"


def notice_timeline(received: date) -> tuple[Period, Period, Period]:
    """The three periods a notice received on `received` starts, by the version of the process in force that day.

    Before the first version came into force there was no moratorium: its rules refuse the date (RuleNotInForce),
    saying when the regime commenced.
    """
    try:
        defn = registry.in_force(moratorium.NAME, received)
    except UnknownWorkflow:
        defn = registry.versions(moratorium.NAME)[0]
    return stages.timeline(defn, received)
