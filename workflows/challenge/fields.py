"""What each right-to-challenge transition asks for: the expression of interest, the decision, the procurement.

The grounds for rejecting one are the only ones SI 2012/1647 allows (LA 2011 s.83(11)).
"""

from __future__ import annotations

from workflows.definition import Field, FieldKind

# SI 2012/1647 Schedule: the only grounds on which an expression of interest may be rejected (s.83(11)).
REJECTION_GROUNDS = (
    ("non_compliant", "It does not comply with s.81 or the regulations on what it must contain (para.1)"),
    ("inadequate_information", "Its information is inadequate or inaccurate in a material particular (para.2)"),
    ("unsuitable_body", "The body, a consortium member or a sub-contractor is not suitable (para.3)"),
    ("service_stopping", "The council has decided, in writing, to stop providing the service (para.4)"),
    ("integrated_nhs", "Users also receive an integrated NHS service critical to their well-being (para.5)"),
    ("already_procuring", "The service is already the subject of a procurement exercise (para.6)"),
    ("negotiations", "The council is negotiating, at least partly in writing, with a third party (para.7)"),
    ("employee_mutual", "The council has published an intention to consider an employee mutual (para.8)"),
    ("frivolous", "It is frivolous or vexatious (para.9)"),
    ("unlawful", "Accepting it would probably breach an enactment, rule of law or statutory duty (para.10)"),
)


def _date(name: str, label: str, *, allow_future: bool = False, stamped: bool = False) -> Field:
    return Field(name, FieldKind.DATE, label, allow_future=allow_future, stamped=stamped)


def _text(name: str, label: str, *, required: bool = True, hint: str = "") -> Field:
    return Field(name, FieldKind.TEXT, label, required=required, hint=hint)


EXPRESSION_OF_INTEREST = (
    _date("eoi_received_on", "date the council received the expression of interest", stamped=True),
    _text("service", "service the group wants to run"),
    _text("geographical_area", "area the service would cover (Sch.1 para.3)"),
    _text(
        "financial_resources",
        "financial resources of the group, each consortium member and sub-contractor (Sch.1 para.1)",
    ),
    _text(
        "capability_evidence",
        "evidence the group will be able to provide the service by the time of any procurement (Sch.1 para.2)",
    ),
    _text(
        "outcomes_wellbeing",
        "how it would promote or improve social, economic or environmental well-being in the area (Sch.1 para.4(a))",
    ),
    _text("outcomes_user_needs", "how it would meet the needs of the service's users (Sch.1 para.4(b))"),
    _text(
        "employee_engagement",
        "how other employees affected will be engaged (Sch.1 para.5)",
        required=False,
        hint="Only for a group of the council's employees",
    ),
    Field(
        "consider_outside_window",
        FieldKind.BOOL,
        "answer to whether the council has decided to consider it although it arrived outside the window",
        required=False,
        hint="LA 2011 s.82(4)",
        staff_only=True,
    ),
)
DECISION_PERIOD = (
    _date("decision_period_notified_on", "date the group was told"),
    _date("expected_decision_by", "date by which the council expects to decide", allow_future=True),
)
MODIFICATION = (
    _date("modification_proposed_on", "date the modification was proposed"),
    _text(
        "proposed_modification",
        "modification proposed, and why the expression of interest could not otherwise be accepted",
    ),
)
DECISION = (
    _date("decided_on", "date of the decision"),
    _date("decision_notified_on", "date the group was told in writing"),
)
ACCEPTANCE = (*DECISION, _text("reasons", "reasons", required=False))
ACCEPTANCE_AS_MODIFIED = (
    *DECISION,
    Field("body_agreed_modification", FieldKind.BOOL, "answer to whether the group agreed the modification"),
    _text("modification", "modification agreed"),
    _text("reasons", "reasons for the modification"),
)
REJECTION = (
    *DECISION,
    Field("ground", FieldKind.CHOICE, "ground for rejecting it", choices=REJECTION_GROUNDS),
    _text("reasons", "reasons for the decision"),
)
PROCUREMENT = (
    _date("procurement_started_on", "date the procurement exercise started"),
    _text("procurement_route", "procurement route, suited to the value and nature of the contract"),
)
AWARD = (
    _date("contract_awarded_on", "date the contract was awarded"),
    Field("awarded_to", FieldKind.TEXT, "name of the provider awarded the contract", max_length=300),
    Field("challenger_won", FieldKind.BOOL, "answer to whether the group that challenged won it"),
)
NO_AWARD = (_date("procurement_ended_on", "date the procurement exercise ended"), _text("reasons", "reasons"))
WITHDRAWAL = (_text("withdrawal_reasons", "reason for withdrawing", required=False),)
