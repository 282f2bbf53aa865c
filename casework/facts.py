"""Facts the guards need that only the database knows, gathered before a trigger is fired.

Guards are pure: they look at the data given and the facts recorded. Some
facts live elsewhere: whether the group is a relevant body, whether the
panel has finished scoring, whether a moratorium is running on the land. A
provider per workflow works them out, inside the same transaction, so the
same rules hold whether an officer uses the generic action form, the API,
or a dedicated page. `keep` facts are also recorded on the case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import bodies, disposals, listings, policies
from casework.models import Asset, Case, Deadline, ModeratedScore, Organisation
from casework.models.deadline import PENDING
from casework.repositories import cases, councils
from workflows import acv_listing, asset_transfer, challenge, moratorium, scotland_atr
from workflows.eligibility import (
    BodyType,
    is_community_interest_group,
    is_community_transfer_body,
    is_relevant_body,
    may_request_ownership,
)
from workflows.periods import compute
from workflows.policies import TENURES, ChallengePolicy, check_window
from workflows.scoring import IncompleteScores, result


@dataclass(frozen=True)
class Gathered:
    facts: dict[str, Any] = field(default_factory=dict)  # shown to the guards
    keep: dict[str, Any] = field(default_factory=dict)  # shown to the guards and recorded on the case


Provider = Callable[[Session, Case, str, Mapping[str, Any]], Gathered]


def gather(session: Session, case: Case, trigger: str, raw: Mapping[str, Any]) -> Gathered:
    provider = _PROVIDERS.get(case.workflow)
    return provider(session, case, trigger, raw) if provider else Gathered()


def _organisation(session: Session, case: Case) -> Organisation | None:
    return session.get(Organisation, case.organisation_id) if case.organisation_id else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


# Assets of community value -------------------------------------------------------------------------------------


def _listing(session: Session, case: Case, trigger: str, raw: Mapping[str, Any]) -> Gathered:
    """Only nominations.submit records the land and its owners; a draft sent by the generic action would have none,
    and listing or rejecting it later could not put it on the register. Its missing land is then a missing content."""
    if trigger != "submit" or case.asset_id is not None:
        return Gathered()
    return Gathered({"nomination_contents_missing": ["the land, recorded by sending the nomination from its form"]})


# Right to challenge ---------------------------------------------------------------------------------------------


def _challenge(session: Session, case: Case, trigger: str, raw: Mapping[str, Any]) -> Gathered:
    if trigger != "submit":
        return Gathered()
    organisation = _organisation(session, case)
    council = councils.get(session, case.council_id)
    body = bodies.body_of(organisation) if organisation else None
    relevant = is_relevant_body(body, council.code) if body else None
    pinned = policies.of_case(session, case)
    rules = pinned.rules
    service = rules.service(str(raw.get("service", ""))) if isinstance(rules, ChallengePolicy) else None
    received = _as_date(raw.get("eoi_received_on"))
    window = check_window(service, received) if service and received else None
    facts = {
        "relevant_body": bool(relevant and relevant.ok),
        "relevant_body_reasons": list(relevant.reasons) if relevant else ["The expression of interest has no group"],
        "service_known": service is not None,
        "window_ok": window is None or window.verdict.ok,
        "window_ok_reasons": list(window.verdict.reasons) if window else [],
        "body_is_employee_group": bool(body and body.type is BodyType.EMPLOYEE_GROUP),
    }
    keep: dict[str, Any] = {"received_in_window": bool(window and window.in_window)}
    if window and window.window_closes_on:
        keep["window_closes_on"] = window.window_closes_on.isoformat()
    if service:
        keep["service_name"] = service.name
    return Gathered(facts, keep)


# Scotland: asset transfer requests ------------------------------------------------------------------------------


def _scotland(session: Session, case: Case, trigger: str, raw: Mapping[str, Any]) -> Gathered:
    if trigger == "submit":
        organisation = _organisation(session, case)
        body = bodies.body_of(organisation) if organisation else None
        ctb = is_community_transfer_body(body) if body else None
        own = may_request_ownership(body) if body else None
        facts = {
            "is_ctb": bool(ctb and ctb.ok),
            "is_ctb_reasons": list(ctb.reasons) if ctb else ["The request has no body making it"],
            "may_own": bool(own and own.ok),
        }
        return Gathered(facts, {"disposal_bar_from": raw.get("request_received_on")})  # s.84(2): from the request
    if trigger == "decline_repeat":
        return Gathered({"refused_within_two_years": bool(_recent_refusals(session, case))})
    if trigger == "conclude":
        barring = disposals.barring_requests(session, case.asset_id, excluding=case.id)
        return Gathered({"other_requests_open": bool(barring), "other_requests_open_reasons": barring})
    return Gathered(keep=_scottish_period_ends(trigger, raw))


# When each period a later window runs from ends: the window begins with the date of expiry (STATUTE.md §4.4).
_PERIOD_ENDS = {
    "validate": ("decision_period_ends_on", "scotland.atr_decision", "validation_date"),
    "agree_longer_decision_period": ("decision_period_ends_on", None, "decision_due_by"),
    "request_review": ("review_period_ends_on", "scotland.atr_review_decision", "review_requested_on"),
    "agree_longer_review_period": ("review_period_ends_on", None, "review_due_by"),
    "submit_offer": ("contract_period_ends_on", "scotland.atr_contract", "offer_submitted_on"),
    "extend_contract_period": ("contract_period_ends_on", None, "contract_due_by"),
}


def _scottish_period_ends(trigger: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The last day of the period this trigger starts or lengthens: computed by its rule, or the date agreed."""
    if trigger not in _PERIOD_ENDS:
        return {}
    fact, rule, field = _PERIOD_ENDS[trigger]
    start = _as_date(raw.get(field))
    if start is None:
        return {}
    return {fact: (compute(rule, start).due if rule else start).isoformat()}


def _recent_refusals(session: Session, case: Case) -> list[str]:
    """Earlier requests about the same land refused in the 2 years before this one was made (s.93)."""
    made = _as_date(case.facts.get("request_received_on"))
    if case.asset_id is None or made is None:
        return []
    earlier = cases.cases_of_asset(session, case.asset_id, scotland_atr.NAME, ("refused", "closed_refused"))
    found = []
    for other in earlier:
        refused = _as_date(other.facts.get("decided_on") or other.facts.get("review_decided_on"))
        if other.id != case.id and refused and made <= compute("scotland.atr_repeat_request", refused).due:
            found.append(other.reference)
    return found


# Asset transfer (England) ---------------------------------------------------------------------------------------

APPROVED_STATES = ("approved", "pre_completion", "heads_of_terms", "monitoring")


def _asset_transfer(session: Session, case: Case, trigger: str, raw: Mapping[str, Any]) -> Gathered:
    if trigger == "submit_eoi":
        organisation = _organisation(session, case)
        council = councils.get(session, case.council_id)
        verdict = is_relevant_body(bodies.body_of(organisation), council.code) if organisation else None
        return Gathered({
            "applicant_eligible": bool(verdict and verdict.ok),
            "applicant_eligible_reasons": list(verdict.reasons) if verdict else ["The application has no group"],
        })  # fmt: skip
    if trigger == "recommend":
        return _recommendation(session, case)
    if trigger == "approve":
        return _approval(session, case, raw)
    if trigger == "begin_pre_completion":
        return Gathered(keep=_moratorium_needed(session, case, str(case.facts.get("tenure", ""))))
    if trigger == "complete":
        return Gathered(_moratorium_state(session, case))
    return Gathered()


def _recommendation(session: Session, case: Case) -> Gathered:
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
    }
    return Gathered({"scores_complete": True}, keep)


def _approval(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    _, policy = policies.transfer_policy(session, case)
    if case.asset_id is not None:  # two officers approving rival applications at once: the second waits, then sees
        session.execute(select(Asset.id).where(Asset.id == case.asset_id).with_for_update())
    rivals = [c for c in _applications_for_same_asset(session, case) if c.id != case.id]
    mine = case.facts.get("score_percent")
    tied = [
        c.reference
        for c in rivals
        if c.state == "recommended" and c.facts.get("recommend_approval") and c.facts.get("score_percent") == mine
    ]
    approved = [c.reference for c in rivals if c.state in APPROVED_STATES]
    tenure = str(raw.get("tenure", ""))
    facts = {
        "tied_with": tied,
        "other_application_approved": bool(approved),
        "other_application_approved_reasons": approved,
        "tenure_offered": tenure in policy.tenures,
    }
    return Gathered(facts, _moratorium_needed(session, case, tenure))


def _applications_for_same_asset(session: Session, case: Case) -> list[Case]:
    if case.asset_id is None:
        return [case]
    states = [s.id for s in asset_transfer.DEFINITION.states if not s.terminal]
    return list(cases.cases_of_asset(session, case.asset_id, asset_transfer.NAME, states))


def _moratorium_needed(session: Session, case: Case, tenure: str) -> dict[str, Any]:
    """LA 2011 s.95 and reg.13(1): listed land, a qualifying disposal, and a transferee that is not a CIG."""
    listing = listings.current_listing(session, case.asset_id, lock=False) if case.asset_id else None
    qualifying = any(t.id == tenure and t.qualifying_for_moratorium for t in TENURES)
    organisation = _organisation(session, case)
    cig = False
    if organisation is not None and case.asset_id is not None:
        asset = session.get_one(Asset, case.asset_id)
        cig = is_community_interest_group(bodies.body_of(organisation), bodies.land_of_asset(session, asset)).ok
    return {
        "asset_listed": listing is not None,
        "transferee_is_cig": cig,
        "moratorium_required": listing is not None and qualifying and not cig,
    }


def _moratorium_state(session: Session, case: Case) -> dict[str, Any]:
    """Whether completing now would dispose of listed land while the moratorium forbids it (s.95(1)).

    Checked afresh at completion: the land may have been listed since approval,
    or an earlier notice's protected period may have run out.
    """
    needed = _moratorium_needed(session, case, str(case.facts.get("tenure", "")))["moratorium_required"]
    linked = latest_cycle(session, case)
    if not needed or (linked is not None and linked.state == "owner_free"):
        return {"moratorium_running": False}
    if linked is None or linked.state not in ("interim_moratorium", "full_moratorium"):
        label = moratorium.DEFINITION.state(linked.state).label.lower() if linked else ""
        why = "no notice of this disposal has been given" if linked is None else (
            f"{linked.reference} is {label}, so a new notice of this disposal is needed"
        )  # fmt: skip
        return {"moratorium_running": True, "moratorium_reference": why, "moratorium_ends_on": None}
    cycle = linked
    due = session.scalars(
        select(Deadline.due_date).where(
            Deadline.case_id == cycle.id, Deadline.status == PENDING, Deadline.timer.in_(["interim_end", "full_end"])
        )
    ).first()
    return {"moratorium_running": True, "moratorium_reference": cycle.reference, "moratorium_ends_on": due}


def latest_cycle(session: Session, case: Case) -> Case | None:
    """The newest moratorium case on the land, whether the transfer opened it or a notice was recorded later."""
    if case.asset_id is None:
        return None
    states = [s.id for s in moratorium.DEFINITION.states]
    found = cases.cases_of_asset(session, case.asset_id, moratorium.NAME, states)
    return found[-1] if found else None


_PROVIDERS: dict[str, Provider] = {
    acv_listing.NAME: _listing,
    challenge.NAME: _challenge,
    scotland_atr.NAME: _scotland,
    asset_transfer.NAME: _asset_transfer,
}
