"""The states a nomination and a listing pass through, and which of them mean the land is on the list.

A listed asset stays listed while the owner asks for a review or appeals (STATUTE.md §2.5, L5 and L8).
"""

from __future__ import annotations

from workflows.definition import State

LISTED_STATES = ("listed", "review_requested", "appeal_pending")

STATES = (
    State("draft", "Draft nomination", description="Being written by the community group; not yet received."),
    State("nomination_received", "Nomination received", description="Received; the 8-week decision clock runs."),
    State("under_consideration", "Under consideration", description="The council is considering listing (reg.8)."),
    State("listed", "Listed", public=True, description="On the list of assets of community value."),
    State("review_requested", "Listed, review requested", public=True, description="The owner asked for a review."),
    State("appeal_pending", "Listed, appeal pending", public=True, description="The owner appealed to the Tribunal."),
    State("unsuccessful", "Unsuccessful nomination", public=True, description="On the unsuccessful list (s.93)."),
    State("removed", "Removed from the list", terminal=True, public=True),
    State("expired", "Listing expired", terminal=True, public=True, description="Five years passed (s.87(3))."),
    State("withdrawn", "Nomination withdrawn", terminal=True),
    State("unsuccessful_entry_removed", "Removed from the unsuccessful list", terminal=True),
)
