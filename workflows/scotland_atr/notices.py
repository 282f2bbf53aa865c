"""Who an asset transfer request's process tells, of what, on what authority (CE(S)A 2015 ss.82-83; the ATR
Procedure Regs regs 4-11 and Review Regs reg.9).

Each transition in the tables of workflows.scotland_atr names the notices it sends.
"""

from __future__ import annotations

from workflows.definition import Notice
from workflows.roles import Party

RECEIVED = Notice(
    "atr_received", (Party.APPLICANT,), "ATR Procedure Regs reg.4", "Your asset transfer request has been received"
)
INCOMPLETE = Notice(
    "atr_incomplete",
    (Party.APPLICANT,),
    "ATR Procedure Regs reg.4(1)-(2)",
    "Your asset transfer request is missing information",
)
VALIDATED = Notice(
    "atr_validated",
    (Party.APPLICANT,),
    "ATR Procedure Regs reg.4(4)-(5)",
    "Your asset transfer request is complete: the validation date",
)
PUBLISHED = Notice(
    "atr_published",
    (Party.OWNER, Party.OCCUPIER, Party.LEASEHOLDERS, Party.SUBSCRIBERS),
    "ATR Procedure Regs regs 6-7",
    "Asset transfer request: representations invited",
)
REPRESENTATIONS_SENT = Notice(
    "atr_representations",
    (Party.APPLICANT,),
    "ATR Procedure Regs reg.8",
    "Representations on your asset transfer request",
)
AGREED = Notice(
    "atr_agreed", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.83; reg.11", "Asset transfer request agreed"
)
REFUSED = Notice(
    "atr_refused", (Party.APPLICANT, Party.SUBSCRIBERS), "CE(S)A 2015 s.82(7); reg.11", "Asset transfer request refused"
)
AGREED_ON_REVIEW = Notice(
    "atr_agreed",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "ATR Review Regs reg.9",
    "Asset transfer request agreed on review",
)
REFUSED_ON_REVIEW = Notice(
    "atr_review_refused",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "ATR Review Regs reg.9",
    "Asset transfer request refused on review",
)
CONTRACT_PERIOD_ENDED = Notice(
    "atr_contract_period_ended",
    (Party.APPLICANT,),
    "CE(S)A 2015 s.83(6)",
    "No contract was concluded in the contract period",
)
NO_OFFER_LAPSED = Notice(
    "atr_lapsed",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "CE(S)A 2015 s.83",
    "Asset transfer request lapsed: no offer was made",
)
NO_CONTRACT_LAPSED = Notice(
    "atr_lapsed",
    (Party.APPLICANT, Party.SUBSCRIBERS),
    "CE(S)A 2015 s.83(6)",
    "Asset transfer request lapsed: no contract and no appeal",
)
