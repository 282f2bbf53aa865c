"""What each listing transition asks for: the nomination's receipt, the decision, a review, an appeal, a disposal."""

from __future__ import annotations

from workflows.definition import Field, FieldKind


def _date(name: str, label: str, *, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, required=required, stamped=stamped)


REASONS = Field("reasons", FieldKind.TEXT, "reasons for the decision")
DECIDED_ON = _date("decided_on", "date of the decision")
LATE_ALLOWED = Field(
    "late_request_allowed_in_writing",
    FieldKind.BOOL,
    "answer to whether the council allowed a longer period in writing",
    required=False,
    staff_only=True,
)
APPEAL_LODGED_AT = Field(
    "appeal_lodged_at",
    FieldKind.TIME,
    "time the Tribunal received the appeal",
    required=False,
    hint="24-hour clock, like 16:30. Needed if it arrived on the last day: it must arrive before 17:00",
)
TRIBUNAL_EXTENDED_TIME = Field(
    "tribunal_extended_time", FieldKind.BOOL, "answer to whether the Tribunal extended time", required=False
)

NOMINATION = (_date("nomination_received_on", "date the council received the nomination", stamped=True),)
WITHDRAWAL = (Field("reasons", FieldKind.TEXT, "reason for withdrawing", required=False),)
LISTING = (
    DECIDED_ON,
    _date("entry_date", "date of the entry in the list"),
    _date("inclusion_notice_given_on", "date written notice of inclusion was given"),
    Field(
        "community_value_basis",
        FieldKind.CHOICE,
        "test of community value that is met",
        choices=(("current_use", "Current use (s.88(1))"), ("recent_past", "Use in the recent past (s.88(2))")),
    ),
    REASONS,
)
REJECTION = (
    DECIDED_ON,
    Field(
        "grounds",
        FieldKind.CHOICE,
        "reason the land cannot be listed",
        choices=(
            ("not_in_area", "The land is not in the council's area (s.90(3)(a))"),
            ("not_of_community_value", "The land is not of community value (s.88)"),
            ("non_listable_land", "The land is of a description that cannot be listed (Sch.1)"),
            ("not_a_community_nomination", "The nominator is not eligible (s.89(2))"),
        ),
    ),
    REASONS,
)
REVIEW_REQUEST = (
    _date("review_request_received_on", "date the council received the request for review", stamped=True),
    Field(
        "oral_hearing_requested",
        FieldKind.BOOL,
        "answer to whether an oral hearing was asked for",
        required=False,
    ),
    LATE_ALLOWED,
    Field(
        "review_grounds",
        FieldKind.TEXT,
        "grounds for asking for the review",
        required=False,
        hint="The owner's written representations (Sch.2 para.8)",
    ),
)
REVIEW_DECISION = (
    _date("review_decided_on", "date of the review decision"),
    _date("review_decision_sent_on", "date the review decision was sent"),
    REASONS,
)
APPEAL = (
    _date("appeal_lodged_on", "date the appeal was lodged with the Tribunal"),
    APPEAL_LODGED_AT,
    _date("notice_of_appeal_received_on", "date the council received the notice of appeal", stamped=True),
    TRIBUNAL_EXTENDED_TIME,
)
TRIBUNAL_DECISION = (_date("tribunal_decided_on", "date of the Tribunal's decision"),)
REMOVAL = (DECIDED_ON, REASONS)
DISPOSAL = (
    _date("disposal_entered_on", "date the disposal was entered into"),
    Field("disposal_details", FieldKind.TEXT, "land disposed of and the new owner"),
)
