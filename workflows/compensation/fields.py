"""What each compensation transition asks for: the claim, the decision, a review, an appeal and its outcome."""

from __future__ import annotations

from workflows.acv_listing.fields import APPEAL_LODGED_AT
from workflows.definition import Field, FieldKind


def _date(name: str, label: str, *, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, stamped=stamped)


AMOUNT = Field("amount_awarded", FieldKind.MONEY, "amount awarded (0 if nothing)")
REASONS = Field("reasons", FieldKind.TEXT, "written reasons")

CLAIM = (
    _date("claim_received_on", "date the council received the claim", stamped=True),
    _date("loss_ended_on", "date the loss or expense was incurred or finished being incurred"),
    Field("amount_claimed", FieldKind.MONEY, "total amount claimed"),
    Field("claim_parts", FieldKind.TEXT, "amount claimed for each part of the claim, with the evidence"),
)
DECISION = (
    _date("decided_on", "date of the decision"),
    _date("reasons_given_on", "date written reasons were given"),
    AMOUNT,
    REASONS,
)
REVIEW_REQUEST = (
    _date("review_request_received_on", "date the council received the request for review", stamped=True),
    Field(
        "late_request_allowed_in_writing",
        FieldKind.BOOL,
        "answer to whether the council allowed a longer period in writing",
        required=False,
        staff_only=True,
    ),
    Field(
        "review_grounds",
        FieldKind.TEXT,
        "grounds for asking for the review",
        required=False,
        hint="The claimant's written representations (Sch.2 paras 2, 8)",
    ),
)
REVIEW_DECISION = (
    _date("review_decided_on", "date of the review decision"),
    _date("review_decision_sent_on", "date the review decision was sent"),
    AMOUNT,
    REASONS,
)
APPEAL = (
    _date("appeal_lodged_on", "date the appeal was lodged with the Tribunal"),
    APPEAL_LODGED_AT,
    Field("tribunal_extended_time", FieldKind.BOOL, "answer to whether the Tribunal extended time", required=False),
)
APPEAL_OUTCOME = (
    _date("tribunal_decided_on", "date of the Tribunal's decision"),
    Field("amount_awarded", FieldKind.MONEY, "amount awarded after the appeal", required=False),
    Field("outcome", FieldKind.TEXT, "outcome of the appeal"),
)
