"""Facts the guards need that only the database knows, gathered before a trigger is fired.

Guards are pure: they look at the data given and the facts recorded. Some
facts live elsewhere: whether the group is a relevant body, whether the
panel has finished scoring, whether a moratorium is running on the land. A
provider per workflow works them out, inside the same transaction, so the
same rules hold whether an officer uses the generic action form, the API,
or a dedicated page. `keep` facts are also recorded on the case.

A transition names the providers its guards need (Transition.facts); each is
registered here under its name (FACTS), and a test checks every name is known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from casework import policies
from casework.facts import bodies, disposals, listings
from casework.facts import transfer as transfer_facts
from casework.facts.gathered import Gathered
from casework.models import Asset, Case, Organisation
from casework.repositories import cases, councils
from workflows import disposal_bar, moratorium, scotland_atr
from workflows.checklists import Verdict
from workflows.definition import Definition, Transition
from workflows.eligibility import (
    BodyType,
    eligible_nominator,
    is_community_transfer_body,
    is_relevant_body,
    may_request_ownership,
)
from workflows.errors import RuleNotInForce
from workflows.periods import compute
from workflows.policies import ChallengePolicy, check_window

Provider = Callable[[Session, Case, Mapping[str, Any]], Gathered]


def gather(session: Session, case: Case, transition: Transition, raw: Mapping[str, Any]) -> Gathered:
    """What the providers the transition names find, merged in the order named."""
    facts: dict[str, Any] = {}
    keep: dict[str, Any] = {}
    for name in transition.facts:
        found = FACTS[name](session, case, raw)
        facts.update(found.facts)
        keep.update(found.keep)
    return Gathered(facts, keep)


def unknown_facts(defn: Definition) -> list[str]:
    """The fact providers `defn`'s transitions name that casework does not have (a typo, or one not written yet)."""
    return sorted({name for t in defn.transitions for name in t.facts if name not in FACTS})


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


def _nominated_land(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """Only nominations.submit records the land and its owners; a draft sent by the generic action would have none,
    and listing or rejecting it later could not put it on the register. Its missing land is then a missing content.
    """
    if case.asset_id is None:
        return Gathered({"nomination_contents_missing": ["the land, recorded by sending the nomination from its form"]})
    return Gathered()


def _nominator_eligibility(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """Considering and listing need a community nomination (s.89(2), s.90(2)): the nominating body is checked afresh
    against the land as it is recorded now, so a group that has since changed is judged as it is."""
    verdict = _nominator(session, case)
    return Gathered({"nominator_eligible": verdict.ok, "nominator_eligible_reasons": list(verdict.reasons)})


def _nominator(session: Session, case: Case) -> Verdict:
    organisation = _organisation(session, case)
    asset = session.get(Asset, case.asset_id) if case.asset_id else None
    if organisation is None or asset is None:
        return Verdict(False, ("The nomination was not made by a group (s.89(2))",), ("LA 2011 s.89(2)",))
    verdict = eligible_nominator(bodies.body_of(organisation), bodies.land_of_asset(session, asset))
    if verdict.ok:
        return verdict
    return Verdict(False, tuple(f"{organisation.name}: {reason}" for reason in verdict.reasons), verdict.basis)


# Right to challenge ---------------------------------------------------------------------------------------------


def _challenge(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """An expression of interest: whether the group is a relevant body, and whether it came within the window."""
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


def _transfer_body(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """A request: whether the body making it is a community transfer body, and may ask to own the land."""
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


def _repeat_request(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    return Gathered({"refused_within_two_years": bool(_recent_refusals(session, case))})


def _other_requests(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """Other open requests for the land bar concluding this one's contract (s.84(2)), unless the disposal is one
    the Act excepts (s.84(12)-(13)); the exception relied on is recorded on the case with its basis."""
    exception = str(raw.get(scotland_atr.BAR_EXCEPTION) or "") or None
    if exception not in {item.id for item in disposal_bar.BAR_EXCEPTIONS}:
        exception = None
    claimed = disposals.Claimed(exception, _as_date(raw.get(scotland_atr.BAR_EXCEPTION_ON))) if exception else None
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
        start = _as_date(raw.get(field))
        if start is None:
            return Gathered()
        try:
            return Gathered(keep={fact: (compute(rule, start).due if rule else start).isoformat()})
        except RuleNotInForce:  # a start before the Act: its date guard refuses the transition, beside the field
            return Gathered()

    return provider


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


# The right to bid -----------------------------------------------------------------------------------------------


def _listed_on(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """An exempt disposal is checked against the listing it is of: the day the land was entered on the list."""
    listing = listings.current_listing(session, case.asset_id, lock=False) if case.asset_id else None
    listed_on = _as_date(listing.facts.get("entry_date")) if listing else None
    return Gathered({moratorium.LISTED_ON: listed_on} if listed_on else {})


def _disposal_barred(session: Session, case: Case, _raw: Mapping[str, Any]) -> Gathered:
    """A sale recorded through the system is refused while an asset transfer request for the land is open."""
    barring = disposals.barring_requests(session, case.asset_id)
    return Gathered({"disposal_barred": bool(barring), "disposal_barred_reasons": barring})


# Every provider a transition may name (Transition.facts), under its name.
FACTS: dict[str, Provider] = {
    # assets of community value
    "nominated_land": _nominated_land,
    "nominator_eligibility": _nominator_eligibility,
    # the right to bid
    "listed_on": _listed_on,
    "disposal_barred": _disposal_barred,
    # the community right to challenge
    "challenge_eligibility": _challenge,
    # Scotland: asset transfer requests
    "transfer_body_eligibility": _transfer_body,
    "repeat_request": _repeat_request,
    "other_requests_for_land": _other_requests,
    "decision_period_end": _period_end("decision_period_ends_on", "scotland.atr_decision", "validation_date"),
    "decision_period_agreed": _period_end("decision_period_ends_on", None, "decision_due_by"),
    "review_period_end": _period_end("review_period_ends_on", "scotland.atr_review_decision", "review_requested_on"),
    "review_period_agreed": _period_end("review_period_ends_on", None, "review_due_by"),
    "contract_period_end": _period_end("contract_period_ends_on", "scotland.atr_contract", "offer_submitted_on"),
    "contract_period_agreed": _period_end("contract_period_ends_on", None, "contract_due_by"),
    # asset transfer (England)
    **transfer_facts.FACTS,
}
