"""Who a compensation claim tells, of what, on what authority (ACV Regs regs 14, 16; Sch.2).

Each transition in workflows.compensation.definition names the notices it sends.
"""

from __future__ import annotations

from workflows.definition import Notice
from workflows.roles import Party

CLAIM_ACKNOWLEDGED = Notice("claim_acknowledged", (Party.CLAIMANT, Party.OFFICER), "Good practice", "Claim received")
CLAIM_DECIDED = Notice("claim_decided", (Party.CLAIMANT,), "ACV Regs reg.14(6)", "Compensation decision and reasons")
CLAIM_REVIEW_PROCEDURE = Notice(
    "claim_review_procedure",
    (Party.CLAIMANT, Party.REVIEWER),
    "ACV Regs Sch.2 para.6",
    "How the review will be carried out",
)
CLAIM_REVIEW_DECIDED = Notice(
    "claim_review_decided", (Party.CLAIMANT,), "ACV Regs reg.16(3)", "Review decision and reasons"
)
