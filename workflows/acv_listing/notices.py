"""Who the listing tells, of what, on what authority (LA 2011 ss.90-93; ACV Regs regs 2, 8-9, 11, Sch.2).

Each transition in workflows.acv_listing.definition names the notices it sends.
"""

from __future__ import annotations

from workflows.definition import Notice
from workflows.roles import Party

LISTING_PARTIES = (Party.OWNER, Party.OCCUPIER, Party.FREEHOLDER, Party.LEASEHOLDERS, Party.PARISH_COUNCIL)
REMOVAL = (*LISTING_PARTIES, Party.NOMINATOR)  # everyone told of a listing, and the nominator, hear of its end

NOMINATION_ACKNOWLEDGED = Notice(
    "nomination_acknowledged", (Party.NOMINATOR, Party.OFFICER), "Good practice", "Nomination received"
)
CONSIDERING_LISTING = Notice(
    "considering_listing", LISTING_PARTIES, "ACV Regs reg.8", "The council is considering listing"
)
LISTED = Notice(
    "listed",
    (*LISTING_PARTIES, Party.NOMINATOR, Party.SUBSCRIBERS),
    "LA 2011 s.91(2)-(3); reg.9",
    "Land included in the list of assets of community value",
)
NOT_LISTED = Notice("not_listed", (Party.NOMINATOR, Party.OWNER), "LA 2011 s.90(6)", "Nomination unsuccessful: reasons")
REVIEW_PROCEDURE = Notice(
    "review_procedure", (Party.OWNER, Party.REVIEWER), "ACV Regs Sch.2 para.6", "How the review will be carried out"
)
REVIEW_DECISION = Notice(
    "review_decision", (Party.OWNER, Party.NOMINATOR), "LA 2011 s.92(3)", "Review decision: listing confirmed"
)
REMOVED_ON_REVIEW = Notice(
    "removed_on_review", REMOVAL, "LA 2011 s.92(4), s.91(4); reg.9", "Review decision: land removed from the list"
)
APPEAL_DISMISSED = Notice(
    "appeal_dismissed", (Party.OWNER, Party.NOMINATOR), "ACV Regs reg.11", "Appeal dismissed: the land stays listed"
)
REMOVED_ON_APPEAL = Notice(
    "removed_on_appeal", REMOVAL, "ACV Regs reg.2(c)(i); LA 2011 s.91", "Appeal allowed: land removed from the list"
)
REMOVED = Notice("removed", REMOVAL, "LA 2011 s.91(4); reg.9", "Land removed from the list: reasons")
REMOVED_AFTER_DISPOSAL = Notice(
    "removed_after_disposal",
    REMOVAL,
    "ACV Regs reg.2(b); LA 2011 s.91",
    "Land removed from the list after its disposal",
)
ENTRY_AMENDED = Notice(
    "entry_amended",
    (Party.OWNER, Party.NOMINATOR),
    "ACV Regs reg.2(b)",
    "List entry amended after a disposal of part of the land",
)
LISTING_EXPIRED = Notice("listing_expired", REMOVAL, "LA 2011 s.87(3), s.91", "Listing ended after five years")
