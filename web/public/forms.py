"""Forms on the public pages: searching the register, the date calculator, alerts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from casework.assets import CATEGORIES
from web.forms import GovDateField, GovForm, submit

EVENTS = [
    ("owners_notice", "The council received an owner's notice of intended sale"),
    ("nomination", "The council received a nomination"),
    ("listing", "Land was entered in the list"),
    ("inclusion_notice", "Notice that land was listed was given to the owner"),
    ("review_request", "The council received a request for review"),
    ("review_decision", "A review decision was sent"),
    ("loss_ended", "An owner's loss or expense finished being incurred"),
]


class RegisterSearchForm(GovForm):
    class Meta:
        csrf = False  # a GET search: nothing changes

    q = StringField(
        "Search by name, address, postcode or reference",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=100, message="Search must be 100 characters or fewer")],
    )
    council = SelectField("Council", widget=GovSelect(), validators=[Optional()], choices={})
    list_kind = RadioField(
        "List",
        choices={"listed": "Assets of community value", "unsuccessful": "Unsuccessful nominations"},
        default="listed",
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    status = RadioField(
        "Show",
        choices={"current": "Current entries", "ended": "Ended entries", "all": "All"},
        default="current",
        widget=GovRadioInput(),
        validators=[Optional()],
    )
    category = SelectField(
        "Kind of asset",
        widget=GovSelect(),
        validators=[Optional()],
        choices=dict([("", "Any kind"), *CATEGORIES.items()]),
    )
    ward = SelectField("Ward", widget=GovSelect(), validators=[Optional()], choices={})
    search = submit("Search")


class CalculatorForm(GovForm):
    class Meta:
        csrf = False

    event = RadioField(
        "What happened?",
        choices=dict(EVENTS),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select what happened")],
    )
    day = GovDateField("Date it happened")
    calculate = submit("Work out the dates")


DISTANCES = {  # metres: what a person near a town or in the country would choose
    1609: "Within 1 mile (1.6 km)",
    3219: "Within 2 miles (3.2 km)",
    8047: "Within 5 miles (8 km)",
    16093: "Within 10 miles (16 km)",
}


class AlertForm(GovForm):
    """What to be alerted about: one kind of asset, a ward, or everywhere within a distance of a postcode (or, from
    a register entry, that asset). Only the chosen kind's own answers are read; the service checks the choice."""

    email = StringField(
        "Email address",
        widget=GovTextInput(),
        description="We will email you a link to confirm. Nothing else is sent until you follow it",
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=320, message="Email address must be 320 characters or fewer"),
        ],
    )
    council = SelectField(
        "Council", widget=GovSelect(), choices={}, validators=[InputRequired(message="Select the council")]
    )
    kind = RadioField(
        "What do you want to hear about?",
        widget=GovRadioInput(),
        choices={
            "category": "A kind of asset, like pubs",
            "ward": "Everything in a ward",
            "area": "Everything near a postcode",
            "asset": "This asset",
        },
        validators=[InputRequired(message="Select what you want to hear about")],
    )
    category = SelectField(
        "Kind of asset",
        widget=GovSelect(),
        choices=dict([("", "Choose a kind of asset"), *CATEGORIES.items()]),
        validators=[Optional()],
    )
    ward = StringField("Ward", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    postcode = StringField(
        "Postcode",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=10, message="Enter a real postcode, like SW1A 1AA")],
    )
    radius_m = RadioField(
        "How far from the postcode?",
        widget=GovRadioInput(),
        choices=DISTANCES,
        coerce=int,
        validators=[Optional()],
    )
    asset_id = HiddenField(validators=[Optional()])
    subscribe = submit("Send me alerts")

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """The chosen kind's own answer is required; a choice the page did not offer is refused in words."""
        valid = super().validate(extra_validators)
        if self.radius_m.errors:  # WTForms says "Invalid Choice: could not coerce" for a distance not offered
            self.radius_m.errors = ["Select how far from the postcode"]
        needed = {
            "category": (self.category, "Select the kind of asset"),
            "ward": (self.ward, "Enter the name of the ward"),
            "area": (self.postcode, "Enter a postcode"),
        }.get(self.kind.data or "")
        if needed and not (needed[0].data or "").strip() and not needed[0].errors:
            needed[0].errors = [needed[1]]
            valid = False
        if self.kind.data == "area" and self.radius_m.data is None and not self.radius_m.errors:
            self.radius_m.errors = ["Select how far from the postcode"]
            valid = False
        if self.kind.data == "asset" and not self.asset_id.data:
            self.kind.errors = ["Select what you want to hear about"]
            valid = False
        return valid


class ConfirmAlertForm(GovForm):
    confirm = submit("Confirm and start my alerts")
