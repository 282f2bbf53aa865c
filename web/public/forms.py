"""Forms on the public pages: searching the register, the date calculator, alerts."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional

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


class AlertForm(GovForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
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
        },
        validators=[InputRequired(message="Select what to hear about")],
    )
    category = SelectField("Kind of asset", widget=GovSelect(), choices=dict(CATEGORIES), validators=[Optional()])
    ward = StringField("Ward", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[Optional(), Length(max=10)])
    radius_m = IntegerField(
        "Distance in metres",
        widget=GovTextInput(),
        default=1000,
        validators=[Optional(), NumberRange(min=1, max=50000, message="Enter a distance between 1 and 50000 metres")],
    )
    asset_id = StringField(validators=[Optional()])
    subscribe = submit("Send me alerts")
