"""Which eligibility questions a group's form must ask, given what kind of body it is."""

from __future__ import annotations

from workflows.eligibility import BodyType, questions_needed


def questions_for(body_type: str, *, shares_surplus: bool) -> frozenset[str]:
    """The answers the eligibility tests read for a body of this kind (workflows.eligibility.questions_needed):
    a form must ask for each rather than take an unanswered question for "no" or a blank for 0. An unknown kind
    raises ValueError."""
    return questions_needed(BodyType(body_type), shares_surplus=shares_surplus)
