"""The listing's clocks: the decision on a nomination, the review and appeal windows, five years on a list.

Each runs from a date recorded on the case (STATUTE.md §2.7); the periods themselves are rules in
workflows.periods.
"""

from __future__ import annotations

from workflows.acv_listing.states import LISTED_STATES
from workflows.definition import Timer, TimerVariant
from workflows.roles import Party

TIMERS = (
    Timer(
        "decision_due",
        "acv.nomination_decision",
        "nomination_received_on",
        frozenset({"nomination_received", "under_consideration"}),
        "Decide the nomination",
        escalate=True,
        reminders=(14, 7, 1),
        remind=(Party.OFFICER,),
    ),
    Timer(
        "review_request_window",
        "acv.review_request",
        "inclusion_notice_given_on",
        frozenset({"listed"}),
        "Owner may ask for a review",
        armed_by=frozenset({"list"}),
        public=True,
    ),
    Timer(
        "listing_expiry",
        "acv.listing_expiry",
        "entry_date",
        frozenset(LISTED_STATES),
        "Listing ends",
        armed_by=frozenset({"list"}),
        on_expiry="expire",
        reminders=(90, 30),
        remind=(Party.OFFICER, Party.NOMINATOR),
        public=True,
    ),
    Timer(
        "review_decision_due",
        "acv.review_decision",
        "review_request_received_on",
        frozenset({"review_requested"}),
        "Complete the review",
        escalate=True,
        reminders=(14, 7, 1),
        remind=(Party.REVIEWER, Party.OFFICER),
    ),
    Timer(
        "tribunal_appeal_window",
        "acv.tribunal_appeal",
        "review_decision_sent_on",
        frozenset({"listed"}),
        "Owner may appeal to the Tribunal",
        armed_by=frozenset({"uphold_listing"}),
        public=True,
    ),
    Timer(
        "tribunal_response_due",
        "acv.tribunal_response",
        "notice_of_appeal_received_on",
        frozenset({"appeal_pending"}),
        "File the council's response to the appeal",
        escalate=True,
        reminders=(7, 2),
        remind=(Party.OFFICER,),
    ),
    Timer(  # s.93(3)(a): 5 years on the unsuccessful list, from the decision that put it there
        "unsuccessful_retention",
        "acv.unsuccessful_retention",
        "decided_on",
        frozenset({"unsuccessful"}),
        "Unsuccessful entry may be removed",
        variant=TimerVariant("review_decided_on", "acv.unsuccessful_retention", "review_decided_on"),
    ),
)
