"""Facts an expression of interest's guards need that only the database knows (the community right to challenge).

Whether the group is a relevant body (LA 2011 s.81(6)), and whether the expression came within the window the
council's policy sets for the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from casework import policies
from casework.facts import bodies
from casework.facts.common import Provider, as_date, organisation_of
from casework.facts.gathered import Gathered
from casework.models import Case
from casework.repositories import councils
from workflows.eligibility import BodyType, is_relevant_body
from workflows.policies import ChallengePolicy, check_window


def _challenge(session: Session, case: Case, raw: Mapping[str, Any]) -> Gathered:
    """An expression of interest: whether the group is a relevant body, and whether it came within the window."""
    organisation = organisation_of(session, case)
    council = councils.get(session, case.council_id)
    body = bodies.body_of(organisation) if organisation else None
    relevant = is_relevant_body(body, council.code) if body else None
    pinned = policies.of_case(session, case)
    rules = pinned.rules
    service = rules.service(str(raw.get("service", ""))) if isinstance(rules, ChallengePolicy) else None
    received = as_date(raw.get("eoi_received_on"))
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


# The providers a challenge's transitions name (Transition.facts), under their names (see casework.facts.registry).
FACTS: dict[str, Provider] = {
    "challenge_eligibility": _challenge,
}
