"""Who the moratorium tells, of what, on what authority (LA 2011 ss.97-98; ACV Regs regs 2, 13, 19, 21).

Each transition in workflows.moratorium.definition names the notices it sends.
"""

from __future__ import annotations

from workflows.definition import Notice
from workflows.roles import Party

INTEREST = (Party.OWNER, Party.NOMINATOR, Party.COMMUNITY_INTEREST_GROUPS)  # everyone with a stake in the sale

OWNERS_NOTICE_RECEIVED = Notice(
    "owners_notice_received",
    (Party.NOMINATOR, Party.PARISH_COUNCIL, Party.SUBSCRIBERS),
    "LA 2011 s.97(3)-(4)",
    "Owner intends to sell listed land: the moratorium has started",
)
OWNERS_NOTICE_ACKNOWLEDGED = Notice(
    "owners_notice_acknowledged",
    (Party.OWNER,),
    "LA 2011 s.97(2)",
    "Your notice has been received: the dates that apply",
)
BIDDER_REQUEST_PASSED_ON = Notice(
    "bidder_request_passed_on",
    (Party.OWNER,),
    "LA 2011 s.98(2)",
    "A community interest group wants to be treated as a potential bidder",
)
BIDDER_REQUEST_RECORDED = Notice(
    "bidder_request_recorded",
    (Party.NOMINATOR, Party.COMMUNITY_INTEREST_GROUPS),
    "ACV Regs reg.2(a)",
    "Request to bid recorded: the full moratorium applies",
)
INTERIM_END_CORRECTED = Notice(
    "interim_end_corrected",
    (Party.OWNER, Party.NOMINATOR, Party.COMMUNITY_INTEREST_GROUPS, Party.SUBSCRIBERS),
    "LA 2011 s.95(3)(a); ACV Regs reg.2(a)",
    "Correction: a request to bid arrived in time, so the full moratorium applies",
)
INTERIM_ENDED = Notice(
    "interim_ended", (Party.OWNER, Party.NOMINATOR), "LA 2011 s.95(3)(a)", "The interim moratorium has ended"
)
FULL_ENDED = Notice("full_ended", INTEREST, "LA 2011 s.95(3)(b)", "The full moratorium has ended")
DISPOSED_TO_CIG = Notice(
    "disposed_to_cig",
    (Party.OWNER, Party.NOMINATOR),
    "ACV Regs reg.13(1), reg.19(2)",
    "Sale to a community interest group recorded",
)
DISPOSED = Notice("disposed", (Party.OWNER, Party.NOMINATOR), "ACV Regs reg.2(b), reg.19(2)", "Sale recorded")
PROTECTED_PERIOD_ENDED = Notice(
    "protected_period_ended",
    (Party.OWNER,),
    "LA 2011 s.95(4)",
    "The protected period has ended: a new notice is needed before any sale",
)
EXEMPT_DISPOSAL_RECORDED = Notice(
    "exempt_disposal_recorded",
    (Party.OWNER, Party.NOMINATOR),
    "LA 2011 s.95(5)",
    "Exempt disposal recorded: the land stays listed",
)
DISPOSAL_IN_BREACH = Notice(
    "disposal_in_breach", (Party.OWNER,), "ACV Regs reg.21", "A disposal in breach of the moratorium is ineffective"
)
MORATORIUM_LAPSED = Notice(
    "moratorium_lapsed", INTEREST, "LA 2011 s.95(1)", "The land is no longer listed: the moratorium no longer applies"
)
