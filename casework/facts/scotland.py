"""Facts a Scottish asset transfer request's guards need that only the database knows (CE(S)A 2015 Part 5).

Whether the body is a community transfer body and may ask to own the land (s.77, s.80), earlier refusals of
the same land (s.93), other requests barring the disposal (s.84), and the ends of the periods the Act sets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from casework.facts import bodies, disposals
from casework.facts.common import Provider, as_date, organisation_of
from casework.facts.gathered import Gathered
from casework.models import Case
from casework.repositories import cases
from workflows import disposal_bar, scotland_atr
from workflows.eligibility import is_community_transfer_body, may_request_ownership
from workflows.errors import RuleNotInForce
from workflows.periods import compute


def _transfer_body(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """A request: whether the body making it is a community transfer body, and may ask to own the land."""
    organisation = organisation_of(session, case)
    body = bodies.body_of(organisation) if organisation else None
    ctb = is_community_transfer_body(body) if body else None
    own = may_request_ownership(body) if body else None
    facts = {
        "is_ctb": bool(ctb and ctb.ok),
        "is_ctb_reasons": list(ctb.reasons) if ctb else ["The request has no body making it"],
        "may_own": bool(own and own.ok),
    }
    return Gathered(facts, {"disposal_bar_from": raw.get("request_received_on")})  # s.84(2): from the request


def _repeat_request(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    return Gathered({"refused_within_two_years": bool(_recent_refusals(session, case))})


def _recent_refusals(session: Session, case: Case) -> list[str]:
    """Earlier requests about the same land refused in the 2 years before this one was made (s.93)."""
    made = as_date(case.facts.get("request_received_on"))
    if case.asset_id is None or made is None:
        return []
    earlier = cases.cases_of_asset(session, case.asset_id, scotland_atr.NAME, ("refused", "closed_refused"))
    found = []
    for other in earlier:
        refused = as_date(other.facts.get("decided_on") or other.facts.get("review_decided_on"))
        if other.id != case.id and refused and made <= compute("scotland.atr_repeat_request", refused).due:
            found.append(other.reference)
    return found


def _other_requests(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """Other open requests for the land bar concluding this one's contract (s.84(2)), unless the disposal is one
    the Act excepts (s.84(12)-(13)); the exception relied on is recorded on the case with its basis."""
    exception = str(raw.get(scotland_atr.BAR_EXCEPTION) or "") or None
    if exception not in {item.id for item in disposal_bar.BAR_EXCEPTIONS}:
        exception = None
    claimed = disposals.Claimed(exception, as_date(raw.get(scotland_atr.BAR_EXCEPTION_ON))) if exception else None
    barring = disposals.barring_requests(session, case.asset_id, excluding=case.id, claimed=claimed)
    facts = {"other_requests_open": bool(barring), "other_requests_open_reasons": barring}
    if claimed is None or barring:
        return Gathered(facts)
    excepted = disposals.barring_requests(session, case.asset_id, excluding=case.id)
    if not excepted:
        return Gathered(facts)  # nothing was barred: there is no exception to record
    item = disposal_bar.bar_exception(claimed.exception)
    record = {
        "exception": item.id,
        "text": item.text,
        "basis": item.basis,
        "on": claimed.on.isoformat() if claimed.on else None,
        "requests": excepted,
    }
    return Gathered(facts, {"disposal_bar_exception": record})


def _period_end(fact: str, rule: str | None, field: str) -> Provider:
    """The last day of the period a transition starts or lengthens, recorded as `fact`: computed by `rule` from the
    date `field`, or (no rule) the date agreed. A later window begins with the date of expiry (STATUTE.md §4.4)."""

    def provider(_session: Session, _case: Case, raw: Mapping[str, Any]) -> Gathered:
        start = as_date(raw.get(field))
        if start is None:
            return Gathered()
        try:
            return Gathered(keep={fact: (compute(rule, start).due if rule else start).isoformat()})
        except RuleNotInForce:  # a start before the Act: its date guard refuses the transition, beside the field
            return Gathered()

    return provider


# The providers a request's transitions name (Transition.facts), under their names (see casework.facts.registry).
FACTS: dict[str, Provider] = {
    "transfer_body_eligibility": _transfer_body,
    "repeat_request": _repeat_request,
    "other_requests_for_land": _other_requests,
    "decision_period_end": _period_end("decision_period_ends_on", "scotland.atr_decision", "validation_date"),
    "decision_period_agreed": _period_end("decision_period_ends_on", None, "decision_due_by"),
    "review_period_end": _period_end("review_period_ends_on", "scotland.atr_review_decision", "review_requested_on"),
    "review_period_agreed": _period_end("review_period_ends_on", None, "review_due_by"),
    "contract_period_end": _period_end("contract_period_ends_on", "scotland.atr_contract", "offer_submitted_on"),
    "contract_period_agreed": _period_end("contract_period_ends_on", None, "contract_due_by"),
}
