"""Who a community asset transfer tells, of what: the council's policy (STATUTE.md §4.3, T1-T11), not statute.

Each transition in workflows.asset_transfer.definition names the notices it sends.
"""

from __future__ import annotations

from workflows.definition import Notice
from workflows.roles import Party

ENQUIRY_RECEIVED = Notice("cat_enquiry", (Party.APPLICANT,), "Council policy (T1)", "Your enquiry has been received")
DECLINED = Notice("cat_refused", (Party.APPLICANT,), "Council policy (T2)", "The asset is not available")
EOI_INVITED = Notice(
    "cat_eoi_invited", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T3)", "Expressions of interest invited"
)
NO_EOI_IN_WINDOW = Notice(
    "cat_lapsed",
    (Party.APPLICANT,),
    "Council policy (T3)",
    "Your application has lapsed: no expression of interest in the window",
)
EOI_PASSED = Notice(
    "cat_eoi_passed",
    (Party.APPLICANT,),
    "Council policy (T4)",
    "Your expression of interest passed: please send a business case",
)
EOI_FAILED = Notice(
    "cat_refused", (Party.APPLICANT,), "Council policy (T4)", "Your expression of interest did not pass"
)
APPROVED = Notice(
    "cat_approved", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T7)", "Asset transfer approved in principle"
)
REFUSED = Notice("cat_refused", (Party.APPLICANT,), "Council policy (T7)", "Your application was not approved")
REFUSED_FOR_RIVAL = Notice(
    "cat_refused", (Party.APPLICANT,), "Council policy (T7)", "Another application for the asset was approved"
)
RIVAL_APPROVED = Notice(
    "cat_rival_approved",
    (Party.APPLICANT,),
    "Council policy (T7)",
    "Another application for the asset was approved: yours is kept in reserve",
)
COMPLETED = Notice(
    "cat_completed", (Party.APPLICANT, Party.SUBSCRIBERS), "Council policy (T9)", "Asset transfer completed"
)
LAPSED = Notice("cat_lapsed", (Party.APPLICANT,), "Council policy (T11)", "Your application has lapsed")
