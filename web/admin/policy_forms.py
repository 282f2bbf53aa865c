"""The council policy as GOV.UK forms: stages and target times, checks, criteria, weights, gates, threshold,
tenures, services and windows, each a field, so that an admin never edits JSON to publish a version.

Rows people add or remove (criteria, checks, services) are "Add another" and "Remove" buttons that post the
form, so it all works without JavaScript. The form checks shape (numbers, dates, something entered); the
policy's own rules come back from casework as problems at a place in the document, which `put_problems` puts
beside the field that place is (web.admin.policy_editing adds and removes rows and places the problems;
web.admin.policy_documents turns a published document into the form's values and a form into a document).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DecimalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from casework.queries import definitions
from casework.vocabulary import MAX_EOI_CRITERIA, OPTIONAL_PERIODS, TENURES, Unit
from web.forms import GovDateField

UNITS = {
    Unit.DAYS.value: "Days",
    Unit.WORKING_DAYS.value: "Working days",
    Unit.WEEKS.value: "Weeks",
    Unit.MONTHS.value: "Months",
    Unit.YEARS.value: "Years",
}
ADVERTS = {
    "per_asset": "One window for each building or space, open to every group, once the first enquiry is checked",
    "per_application": "A window for each application",
}
ROW = "{row}"  # in a row's messages, replaced by which row it is ("criterion 3"), as the error summary needs


def _number(label: str, *, required: bool, low: int, high: int | None = None) -> IntegerField:
    between = f"from {low} to {high}" if high is not None else f"{low} or more"
    return IntegerField(
        label,
        widget=GovTextInput(),
        invalid_value_message=f"The {label.lower()} of {ROW} must be a whole number, like {max(low, 1)}",
        validators=[
            InputRequired(message=f"Enter the {label.lower()} of {ROW}") if required else Optional(),
            NumberRange(min=low, max=high, message=f"The {label.lower()} of {ROW} must be {between}"),
        ],
    )


class PeriodForm(Form):
    """One stage's target time (or a published period): its name, length, unit and where the policy sets it."""

    label = StringField(
        "Name of the stage",
        widget=GovTextInput(),
        validators=[InputRequired(message=f"Enter the name of {ROW}"), Length(max=200)],
    )
    length = _number("Length", required=True, low=1, high=1000)
    unit = SelectField("Unit", widget=GovSelect(), choices=UNITS, default=Unit.WEEKS.value)
    basis = StringField(
        "Where the policy sets it (optional)",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Length(max=300, message=f"Where the policy sets {ROW} must be 300 characters or fewer"),
        ],
    )


class OptionalPeriodForm(PeriodForm):
    """A period the policy may leave out: the law names no length for it."""

    label = StringField("Name of the stage", widget=GovTextInput(), validators=[Optional(), Length(max=200)])
    length = _number("Length", required=False, low=1, high=1000)


class CriterionForm(Form):
    """One criterion the panel scores, with its weight; a gate also has a pass mark it must reach."""

    id = HiddenField()
    label = StringField(
        "Criterion",
        widget=GovTextInput(),
        validators=[InputRequired(message=f"Enter the name of {ROW}"), Length(max=200)],
    )
    guidance = TextAreaField(
        "Guidance for the panel (optional)",
        widget=GovTextArea(),
        validators=[Optional(), Length(max=2000, message=f"The guidance for {ROW} must be 2000 characters or fewer")],
    )
    weight = DecimalField(
        "Weight",
        widget=GovTextInput(),
        places=None,
        invalid_value_message=f"The weight of {ROW} must be a number, like 25",
        validators=[
            InputRequired(message=f"Enter the weight of {ROW}, like 25"),
            NumberRange(min=0, max=1000, message=f"The weight of {ROW} must be from 0 to 1000"),
        ],
    )
    max_score = _number("Highest score", required=True, low=1, high=100)
    gate = BooleanField(
        "It is a gate: an application must reach the pass mark whatever its total", widget=GovCheckboxInput()
    )
    pass_mark = _number("Pass mark", required=False, low=0, high=100)

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.gate.data and self.pass_mark.data is None and not self.pass_mark.errors:
            self.pass_mark.errors = [f"Enter the pass mark of {ROW}, which is a gate"]
            return False
        return valid


class ServiceForm(Form):
    """A service open to challenge, and the yearly window for expressions of interest in it, if it has one."""

    id = HiddenField()
    name = StringField(
        "Service",
        widget=GovTextInput(),
        validators=[InputRequired(message=f"Enter the name of {ROW}"), Length(max=200)],
    )
    opens_day = _number("Day the window opens", required=False, low=1, high=31)
    opens_month = _number("Month the window opens", required=False, low=1, high=12)
    closes_day = _number("Day the window closes", required=False, low=1, high=31)
    closes_month = _number("Month the window closes", required=False, low=1, high=12)

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """A window is all four numbers or none, and each end a real day of the year (29 February allowed)."""
        valid: bool = super().validate(extra_validators)
        parts = (self.opens_day, self.opens_month, self.closes_day, self.closes_month)
        if any(part.errors for part in parts) or all(part.data is None for part in parts):
            return valid
        missing = [part for part in parts if part.data is None]
        if missing:
            missing[0].errors = [f"Give both days and months of the window of {ROW}, or none for all year"]
            return False
        for day, month, end in (
            (self.opens_day, self.opens_month, "open"),
            (self.closes_day, self.closes_month, "close"),
        ):
            try:
                date(2024, month.data, day.data)  # a leap year: a window may end on 29 February
            except ValueError:
                day.errors = [f"The window of {ROW} must {end} on a real day, like 1 3 for 1 March"]
                return False
        return valid


class PolicyForm(FlaskForm):
    """What both kinds of policy have: a title, what it is, whether its figures are examples, and when it starts."""

    title = StringField(
        "Title of the policy",
        widget=GovTextInput(),
        validators=[InputRequired(message="Enter the title of the policy"), Length(max=300)],
    )
    source = TextAreaField(
        "About this policy (optional)",
        widget=GovTextArea(),
        description="Where it comes from, for example the cabinet decision that adopted it",
        validators=[Optional(), Length(max=5000, message="About this policy must be 5000 characters or fewer")],
    )
    example = BooleanField(
        "Its figures are examples, not the council's own (shown to admins only)", widget=GovCheckboxInput()
    )
    effective_from = GovDateField("First day new cases use it", required=False, hint="Leave empty for today")
    publish = SubmitField("Publish this version", widget=GovSubmitInput())


class TransferPolicyForm(PolicyForm):
    eoi_checks = FieldList(
        StringField(
            "Check",
            widget=GovTextInput(),
            validators=[Optional(), Length(max=500, message=f"{ROW} must be 500 characters or fewer")],
        ),
        min_entries=1,
        max_entries=MAX_EOI_CRITERIA,
    )
    add_eoi_check = SubmitField("Add another check", widget=GovSubmitInput())
    eoi_advert = RadioField(
        "How are expressions of interest invited?",
        widget=GovRadioInput(),
        choices=ADVERTS,
        validators=[InputRequired(message="Select how expressions of interest are invited")],
    )
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=60)
    add_criterion = SubmitField("Add another criterion", widget=GovSubmitInput())
    pass_threshold = DecimalField(
        "Pass threshold",
        widget=GovTextInput(),
        places=None,
        invalid_value_message="The pass threshold must be a number, like 60",
        description="The share of the highest possible weighted score an application needs, as a percentage",
        validators=[
            InputRequired(message="Enter the pass threshold, like 60"),
            NumberRange(min=0, max=100, message="The pass threshold must be a percentage from 0 to 100"),
        ],
    )
    tenures = SelectMultipleField(
        "Tenures the council offers",
        widget=GovCheckboxesInput(),
        choices={t.id: t.label for t in TENURES},
        validators=[InputRequired(message="Select at least one tenure the council offers")],
    )
    decision_body = StringField(
        "Who decides",
        widget=GovTextInput(),
        description="The body or officer that decides an application, for example the Cabinet",
        validators=[InputRequired(message="Enter who decides"), Length(max=300)],
    )


class ChallengePolicyForm(PolicyForm):
    services = FieldList(FormField(ServiceForm), min_entries=1, max_entries=100)
    add_service = SubmitField("Add another service", widget=GovSubmitInput())


ROWS = {"eoi_checks": "check", "criteria": "criterion", "services": "service"}


def stages(workflow: str) -> dict[str, str]:
    """Each period the policy sets, by key, with what it is for in the workflow (casework's policy_stages)."""
    return definitions.policy_stages(workflow)


def form_class(workflow: str) -> type[PolicyForm]:
    """The form for `workflow`'s policy, with a group of period fields for each stage its workflow has."""
    optional = OPTIONAL_PERIODS[workflow]
    fields = {key: FormField(OptionalPeriodForm if key in optional else PeriodForm) for key in stages(workflow)}
    periods = type("PeriodsForm", (Form,), fields)
    base = TransferPolicyForm if workflow == "asset_transfer" else ChallengePolicyForm
    return type(f"{base.__name__}WithPeriods", (base,), {"periods": FormField(periods)})
