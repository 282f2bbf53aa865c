"""What each asset transfer transition asks for, from the enquiry to the end of the agreement (STATUTE.md §4.3).

Named by the step that asks: the definition's rows refer to them (`fields.ENQUIRY`, `fields.APPROVAL`).
"""

from __future__ import annotations

from workflows.checklists import EXEMPT_DISPOSALS
from workflows.definition import Field, FieldKind
from workflows.policies import MAX_EOI_CRITERIA, TENURES

TENURE_CHOICES = tuple((t.id, t.label) for t in TENURES)
RIVALS_OUTCOMES = (
    ("refuse", "Refuse the other applications for this asset, telling each group why"),
    ("reserve", "Keep the other applications in reserve, in case this transfer does not go ahead"),
)
# The assessment's reasons are every criterion's reasons put together (each up to 5,000 characters).
_ASSESSMENT = 5000 * MAX_EOI_CRITERIA


def _date(name: str, label: str, *, allow_future: bool = False, required: bool = True, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, required=required, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True, hint: str = "", max_length: int = 5000) -> Field:
    return Field(name, FieldKind.TEXT, label, required=required, hint=hint, max_length=max_length)


_TENURE_SOUGHT = Field("tenure_sought", FieldKind.CHOICE, "kind of transfer sought", choices=TENURE_CHOICES)
_DECIDED_ON = _date("decided_on", "date of the decision")
_REASONS = _text("reasons", "reasons")
_DECISION_BODY = _text(
    "decision_body",
    "body that decided, if not the one the council's policy names",
    required=False,
    hint="Leave empty for the body the policy names",
)

ENQUIRY = (
    _date("enquiry_received_on", "date the council received the enquiry", stamped=True),
    _text("proposed_use", "what the group would use the asset for"),
    _TENURE_SOUGHT,
)
SUITABILITY_CHECK = (
    _date("checked_on", "date of the check"),
    Field("surplus", FieldKind.BOOL, "answer to whether the asset is surplus to the council's needs"),
    Field("open_space", FieldKind.BOOL, "answer to whether the land is open space"),
    _text("restrictions", "restrictions on the title, trusts or statutory duties", required=False),
)
DECIDED_WITH_REASONS = (_DECIDED_ON, _REASONS)  # declining the enquiry, or refusing for another's approval
EOI_INVITATION = (_date("eoi_invited_on", "date the opportunity was advertised"),)
EXPRESSION_OF_INTEREST = (
    _date("eoi_received_on", "date the council received the expression of interest", stamped=True),
    _text("activities", "services and activities planned"),
    _text("community_benefit", "outcomes, need and community support"),
    _text("track_record", "the group's track record and partnerships"),
    _text("running_costs_plan", "how the running costs will be met"),
    _TENURE_SOUGHT,
)
EOI_PASSED = (
    _date("eoi_assessed_on", "date of the assessment"),
    _text("eoi_reasons", "reasons, criterion by criterion", max_length=_ASSESSMENT),
)
EOI_FAILED = (
    _date("eoi_assessed_on", "date of the assessment"),
    _text("reasons", "reasons, criterion by criterion", max_length=_ASSESSMENT),
)
BUSINESS_CASE = (
    _date("business_case_received_on", "date the council received the business case", stamped=True),
    _text("business_plan", "business plan summary"),
    _text("funding", "funding secured and sought"),
    _text("governance", "governance and management of the asset"),
)
RECOMMENDATION = (_date("recommended_on", "date of the recommendation"),)
APPROVAL = (
    _DECIDED_ON,
    _DECISION_BODY,
    Field("tenure", FieldKind.CHOICE, "tenure agreed", choices=TENURE_CHOICES),
    _REASONS,
    _text(
        "ranking_reasons",
        "reasons for choosing this application over one ranked the same or higher",
        required=False,
    ),
    Field(
        "rivals_outcome",
        FieldKind.CHOICE,
        "what happens to the other applications for this asset",
        choices=RIVALS_OUTCOMES,
        required=False,
    ),
)
REFUSAL = (_DECIDED_ON, _DECISION_BODY, _REASONS)
DEFERRAL = (
    _date("deferred_on", "date of the deferral"),
    _DECISION_BODY,
    _text("deferral_reasons", "what the decision-maker needs"),
    _date("decide_by", "date the decision is now expected", allow_future=True),
)
RIVAL_APPROVED = (
    _date("rival_approved_on", "date the other application was approved"),
    _text("rival_approved", "reference of the application approved"),
)
PRE_COMPLETION = (
    _date("pre_completion_started_on", "date the steps started"),
    _date(
        "council_notice_on", "date the council gave itself notice of the disposal (listed land only)", required=False
    ),
    Field(
        "moratorium_exemption",
        FieldKind.CHOICE,
        "exemption from the moratorium that applies to this disposal, if one does",
        choices=tuple((item.id, item.text) for item in EXEMPT_DISPOSALS),
        required=False,
        hint="LA 2011 s.95(5); ACV Regs Sch.3",
    ),
)
COUNCIL_NOTICE = (_date("council_notice_on", "date the council gave itself notice of the disposal"),)
OPEN_SPACE_ADVERT = (
    _text("newspaper", "newspaper circulating in the area"),
    _date("advert_first_published_on", "date of the first notice"),
    _date("advert_second_published_on", "date of the second notice"),
    _date("objections_close_on", "closing date for objections the notice gives", allow_future=True),
)
OBJECTIONS = (
    _date("objections_considered_on", "date the objections were considered"),
    _text("objections_summary", "objections received and how each was considered"),
)
HEADS_OF_TERMS = (_date("heads_agreed_on", "date the heads of terms were agreed"), _text("heads_summary", "main terms"))
COMPLETION = (_date("completed_on", "date of completion"),)
ANNUAL_REVIEW = (_date("reviewed_on", "date of the review"), _text("review_notes", "targets met and actions agreed"))
AGREEMENT_ENDED = (_date("ended_on", "date the agreement ended"), _REASONS)
WITHDRAWAL = (_text("withdrawal_reasons", "reason for withdrawing", required=False),)
