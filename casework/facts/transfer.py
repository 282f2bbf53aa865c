"""Facts an English asset transfer's guards need that only the database knows (see casework.facts.registry).

The list of assets of community value and any disposal cycle on the land (LA 2011 ss.87, 95), the window
already advertised for the asset, the policy's criteria, decision body and periods, the panel's agreed
scores and how the competing applications rank, and any Scottish-style disposal bar (CE(S)A 2015 s.84).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import policies
from casework.facts import bodies, disposals, listings, rankings
from casework.facts.common import Provider, as_date, organisation_of
from casework.facts.gathered import Gathered
from casework.models import Asset, Case, Deadline, ModeratedScore
from casework.repositories import councils
from casework.transitions import locks
from workflows import asset_transfer
from workflows.eligibility import is_community_interest_group, is_relevant_body
from workflows.moratorium import stages
from workflows.periods import compute, long_date
from workflows.policies import TENURES
from workflows.scoring import IncompleteScores, result

APPROVED_STATES = ("approved", "pre_completion", "heads_of_terms", "monitoring")
# What the asset check found, shared by every application that joins the window advertised after it.
CHECKED = ("checked_on", "surplus", "open_space", "restrictions", "acv_listed", "acv_listing_reference")


def _listing_status(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """T2: whether the register lists the asset as an asset of community value, recorded with the check."""
    listing = listings.current_listing(session, case.asset_id, lock=False) if case.asset_id else None
    return Gathered(keep={"acv_listed": listing is not None, "acv_listing_reference": listing and listing.reference})


def _eligibility(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    organisation = organisation_of(session, case)
    council = councils.get(session, case.council_id)
    verdict = is_relevant_body(bodies.body_of(organisation), council.code) if organisation else None
    return Gathered({
        "applicant_eligible": bool(verdict and verdict.ok),
        "applicant_eligible_reasons": list(verdict.reasons) if verdict else ["The application has no group"],
    })  # fmt: skip


def _window(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """T3 per asset: the window another application advertised for this asset, still open today."""
    _, policy = policies.transfer_policy(session, case)
    if not policy.eoi_advert_per_asset:
        why = "The council's policy advertises each application separately: check the asset and invite expressions"
        return Gathered({"advertised_window": False, "advertised_window_reasons": [f"{why} of interest for this one"]})
    found = advertised_window(session, case)
    if found is None:
        none = "No window for expressions of interest has been advertised for this asset"
        return Gathered({"advertised_window": False, "advertised_window_reasons": [none]})
    advert, closes = found
    keep = {key: advert.facts.get(key) for key in CHECKED}
    keep |= {
        "eoi_invited_on": advert.facts.get("eoi_invited_on"),
        "eoi_window_closes_on": closes.isoformat(),
        "eoi_advertised_on_case": advert.reference,
    }
    return Gathered({"advertised_window": True}, keep)


def advertised_window(session: Session, case: Case) -> tuple[Case, date] | None:
    """The application whose advertisement for the asset is open on the case's enquiry date, and when it closes."""
    if case.asset_id is None:
        return None
    on = as_date(case.facts.get("enquiry_received_on")) or date.min
    rows = session.execute(
        select(Case, Deadline.due_date)
        .join(Deadline, Deadline.case_id == Case.id)
        .where(Case.asset_id == case.asset_id, Case.workflow == asset_transfer.NAME, Case.id != case.id,
               Deadline.timer == "eoi_window", Deadline.due_date >= on)
        .order_by(Deadline.due_date.desc())
    ).all()  # fmt: skip
    for advert, closes in rows:
        if advert.facts.get("eoi_invited_on") and not advert.facts.get("eoi_advertised_on_case"):
            return advert, closes
    return None


def _eoi_criteria(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    _, policy = policies.transfer_policy(session, case)
    return Gathered({"eoi_criteria": list(policy.eoi_criteria)})


def _recommendation(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    _, policy = policies.transfer_policy(session, case)
    moderated = {
        row.criterion: row.score
        for row in session.scalars(select(ModeratedScore).where(ModeratedScore.case_id == case.id))
    }
    try:
        scored = result(policy.rubric, moderated)
    except IncompleteScores as missing:
        return Gathered({"scores_complete": False, "scores_complete_reasons": [str(missing)]})
    keep = {
        "score_percent": str(scored.weighted_percent),
        "recommend_approval": scored.recommend,
        "recommend_approval_reasons": list(scored.reasons),
        "decide_by": None,  # a date set on an earlier deferral does not carry over to a fresh recommendation
    }
    return Gathered({"scores_complete": True}, keep)


def _decision_body(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """T7: the body the council's policy names decides, unless the officer records another one."""
    _, policy = policies.transfer_policy(session, case)
    return Gathered(keep={"decision_body": policy.decision_body, "policy_decision_body": policy.decision_body})


def _approval(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    _, policy = policies.transfer_policy(session, case)
    if case.asset_id is not None:  # two officers approving rival applications at once: the second waits, then sees
        locks.lock_asset_id(session, case.asset_id)
    others = [c for c in rankings.applications(session, case.asset_id) if c.id != case.id] if case.asset_id else []
    standing = rankings.standings(session, [case, *others])
    mine = standing[case.id].ranked
    tied, above = [], []
    for other in others:
        placed = standing[other.id].ranked
        if mine is None or placed is None:
            continue
        if placed.rank == mine.rank:
            tied.append(other.reference)
        elif placed.rank < mine.rank:
            above.append(f"{other.reference} ({placed.result.weighted_percent}%)")
    approved = [c.reference for c in others if c.state in APPROVED_STATES]
    tenure = str(raw.get("tenure", ""))
    facts = {
        "tied_with": tied,
        "ranked_above": above,
        "rivals_open": [c.reference for c in others if c.state in asset_transfer.BEFORE_DECISION],
        "other_application_approved": bool(approved),
        "other_application_approved_reasons": approved,
        "tenure_offered": tenure in policy.tenures,
    }
    keep = {**_decision_body(session, case, raw).keep, **moratorium_needed(session, case, tenure)}
    return Gathered(facts, keep)


def moratorium_needed(session: Session, case: Case, tenure: str, exemption: str | None = None) -> dict[str, Any]:
    """LA 2011 s.95 and reg.13(1): listed land, a qualifying disposal, not exempt, to a body that is not a CIG."""
    listing = listings.current_listing(session, case.asset_id, lock=False) if case.asset_id else None
    qualifying = any(t.id == tenure and t.qualifying_for_moratorium for t in TENURES)
    organisation = organisation_of(session, case)
    cig = False
    if organisation is not None and case.asset_id is not None:
        asset = session.get_one(Asset, case.asset_id)
        cig = is_community_interest_group(bodies.body_of(organisation), bodies.land_of_asset(session, asset)).ok
    return {
        "asset_listed": listing is not None,
        "transferee_is_cig": cig,
        "moratorium_required": listing is not None and qualifying and not cig and not exemption,
    }


def _cycle_facts(session: Session, case: Case, on: date) -> dict[str, Any]:
    running = listings.running_cycle(session, case.asset_id, on)
    if running is None:
        return {"running_cycle": None, "running_cycle_reasons": None}
    cycle, where = running
    return {"running_cycle": cycle.reference, "running_cycle_reasons": where}


def _pre_completion(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """T8: does this disposal need the council's own notice, or does a cycle already running cover it?"""
    exemption = str(raw.get("moratorium_exemption") or "") or None
    needed = moratorium_needed(session, case, str(case.facts.get("tenure", "")), exemption)
    on = as_date(raw.get("council_notice_on")) or as_date(raw.get("pre_completion_started_on")) or date.min
    running = _cycle_facts(session, case, on) if needed["moratorium_required"] else {}
    return Gathered(running, needed)


def _later_notice(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    needed = moratorium_needed(session, case, str(case.facts.get("tenure", "")), case.facts.get("moratorium_exemption"))
    on = as_date(raw.get("council_notice_on")) or date.min
    return Gathered({**needed, **_cycle_facts(session, case, on)})


def _objections(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """The least time the policy gives for objections after the second notice, where it sets one."""
    pinned, policy = policies.transfer_policy(session, case)
    period, second = policy.periods.get("open_space_objections"), as_date(raw.get("advert_second_published_on"))
    if period is None or second is None:
        return Gathered()
    return Gathered({"objections_earliest_close": compute(period.rule(pinned.label), second).due})


def _completion(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    barring = disposals.barring_requests(session, case.asset_id)
    facts = {"disposal_barred": bool(barring), "disposal_barred_reasons": barring}
    return Gathered({**facts, **moratorium_state(session, case, as_date(raw.get("completed_on")))})


def moratorium_state(session: Session, case: Case, completed_on: date | None) -> dict[str, Any]:
    """Whether completing on `completed_on` would dispose of listed land the moratorium protects (s.95(1), (4)).

    Checked afresh at completion: the land may have been listed since approval, a cycle may be in its
    interim or full moratorium, or the protected period that allowed the disposal may have run out.
    """
    tenure, exemption = str(case.facts.get("tenure", "")), case.facts.get("moratorium_exemption")
    if not moratorium_needed(session, case, tenure, exemption)["moratorium_required"]:
        return {"moratorium_running": False}
    cycle = listings.latest_cycle(session, case.asset_id)
    if cycle is None:
        why = "no notice of this disposal has been given: record the council's notice (s.95(2))"
        return {"moratorium_running": True, "moratorium_reference": why, "moratorium_ends_on": None}
    defn = listings.definition_of(cycle)
    if stages.moratorium_on(defn, cycle.state):
        ends = listings.cycle_end(session, cycle, stages.moratorium_clock(defn, cycle.state))
        return {"moratorium_running": True, "moratorium_reference": cycle.reference, "moratorium_ends_on": ends}
    protected = listings.cycle_end(session, cycle, "protected_end")
    free = stages.owner_free(defn, cycle.state)
    if free and (completed_on is None or protected is None or completed_on <= protected):
        return {"moratorium_running": False}
    if free and protected is not None:
        why = f"the protected period of {cycle.reference} ended on {long_date(protected)}, so a new notice is needed"
    else:
        label = defn.state(cycle.state).label.lower()
        why = f"{cycle.reference} is {label}, so a new notice of this disposal is needed"
    return {"moratorium_running": True, "moratorium_reference": why, "moratorium_ends_on": None}


# The providers asset transfer's transitions name (Transition.facts), under their names (see casework.facts.registry).
FACTS: dict[str, Provider] = {
    "listing_status": _listing_status,
    "eoi_window": _window,
    "applicant_eligibility": _eligibility,
    "eoi_criteria": _eoi_criteria,
    "recommendation": _recommendation,
    "approval": _approval,
    "decision_body": _decision_body,
    "pre_completion": _pre_completion,
    "later_notice": _later_notice,
    "objections": _objections,
    "completion": _completion,
}
