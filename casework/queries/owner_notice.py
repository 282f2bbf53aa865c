"""The owner's notice check: before a notice of intended sale is sent, whether the moratorium applies and,
if it does, when each of its periods would end were the notice received that day (LA 2011 s.95-96, Sch.3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from workflows import moratorium, registry
from workflows.checklists import DisposalAnswers, assess_disposal
from workflows.moratorium import stages


@dataclass(frozen=True)
class NoticeCheck:
    """What applies to the disposal described, and why; with the day each moratorium period would end."""

    moratorium_applies: bool
    exempt: bool
    reasons: tuple[str, ...]
    notice_disposal_type: str  # as the notice records it: "freehold" or "qualifying_lease"
    interim_ends: date
    full_ends: date
    protected_ends: date


def check_notice(
    disposal_type: str,
    *,
    vacant_possession: bool,
    lease_years: int | None,
    exemptions: Iterable[str],
    listed_before_obligation: bool,
    received_on: date,
) -> NoticeCheck:
    """Assess the disposal the owner describes; `received_on` is the day the council would receive the notice."""
    answers = DisposalAnswers(
        disposal_type,
        vacant_possession,
        lease_years=lease_years,
        exemptions=frozenset(exemptions),
        listed_before_obligation=listed_before_obligation,
    )
    assessment = assess_disposal(answers)
    # The version of the process a notice received that day would start its cycle under.
    interim, full, protected = stages.timeline(registry.in_force(moratorium.NAME, received_on), received_on)
    return NoticeCheck(
        moratorium_applies=assessment.moratorium_applies,
        exempt=assessment.exempt,
        reasons=assessment.reasons,
        notice_disposal_type="freehold" if disposal_type == "freehold" else "qualifying_lease",
        interim_ends=interim.due,
        full_ends=full.due,
        protected_ends=protected.due,
    )
