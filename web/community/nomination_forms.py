"""Forms for nominating land: the group that nominates, then one form for each question page of the draft, and
the check-answers page that sends it. Each page saves its answers, so each form asks only its own questions."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextInput
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from casework import geometry
from casework.assets import CATEGORIES
from web.forms import GovForm, VersionField, area, submit, text, yes_no


class StartNominationForm(GovForm):
    group = RadioField(
        "Which group is nominating?",
        widget=GovRadioInput(),
        choices={},
        validators=[InputRequired(message="Select the group")],
    )
    council = SelectField(
        "Which council is the land in?",
        widget=GovSelect(),
        choices={},
        validators=[InputRequired(message="Select the council")],
    )
    start = submit("Continue")


class AssetStepForm(GovForm):
    name = text("Name of the place", hint="For example, The Bull")
    address = area("Address", max_length=1000)
    postcode = StringField("Postcode", widget=GovTextInput(), validators=[Optional(), Length(max=10)])
    uprn = StringField(
        "Unique property reference number (UPRN), if you know it",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=12)],
    )
    category = RadioField(
        "What kind of place is it?",
        widget=GovRadioInput(),
        choices=dict(CATEGORIES),
        validators=[InputRequired(message="Select what kind of place it is")],
    )
    ward = text("Ward, if you know it", required=False, max_length=100)
    parishes = text(
        "Parish or parishes the land is in, separated by commas",
        required=False,
        max_length=500,
        hint="Leave empty if the land is not in a parish",
    )
    save = submit("Save and continue")


class LandStepForm(GovForm):
    boundary_description = area(
        "Describe the land and its boundaries",
        hint="What is included: the building, car park, garden. You can upload a plan later.",
    )
    latitude_longitude = text(
        "Where is it? Latitude and longitude, if you know them",
        required=False,
        max_length=60,
        hint="For example, 52.1951, -2.0950. Placing the point on the map fills this in.",
    )
    boundary = area(
        "The boundary as well-known text (WKT), if you have it",
        required=False,
        max_length=100_000,
        hint="Drawing the boundary on the map fills this in. Or paste a polygon in longitude and latitude, "
        "like POLYGON ((-2.0955 52.1949, -2.0945 52.1949, -2.0945 52.1953, -2.0955 52.1949))",
    )
    save = submit("Save and continue")

    def validate_latitude_longitude(self, field: StringField) -> None:
        """Two numbers, latitude first, in range; a point that cannot be read is refused rather than dropped."""
        if not field.data:
            return
        parts = [part.strip() for part in field.data.split(",")]
        try:
            latitude, longitude = (float(part) for part in parts) if len(parts) == 2 else (None, None)
        except ValueError:
            latitude = longitude = None
        if latitude is None or longitude is None:
            raise ValidationError(
                "Enter the latitude and longitude as two numbers separated by a comma, like 52.1951, -2.0950"
            )
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValidationError("Enter a latitude between -90 and 90, then a longitude between -180 and 180")

    def validate_boundary(self, field: TextAreaField) -> None:
        if field.data:
            try:
                geometry.normalise_boundary(field.data)
            except ValueError as wrong:
                raise ValidationError(str(wrong)) from None


class PeopleStepForm(GovForm):
    occupants = area(
        "Who uses or occupies the land now?",
        hint="Give names if you know them, or say you do not know",
        message="Enter who uses or occupies the land, or say you do not know",
    )
    ownership = area(
        "Who owns the land, and any leaseholders?",
        message="Enter who owns the land, or say you do not know",
        hint="Names and addresses as far as you know them, or say you do not know",
    )
    owner_email = StringField(
        "The owner's email address, if you know it",
        widget=GovTextInput(),
        validators=[
            Optional(),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=320, message="The owner's email address must be 320 characters or fewer"),
        ],
    )
    save = submit("Save and continue")


class ReasonsStepForm(GovForm):
    reasons = area(
        "Why is the land of community value?",
        message="Enter why the land is of community value",
        hint="How it is used now (or was recently) for the community's social wellbeing or interests, "
        "such as cultural, recreational or sporting use, and why that can continue",
    )
    save = submit("Save and continue")


class EvidenceStepForm(GovForm):
    eligibility_evidence = area(
        "Why is your group eligible to nominate?",
        message="Enter why your group is eligible to nominate",
        hint="For example, your constitution or articles, and how the group is local",
    )
    save = submit("Save and continue")


class ListabilityStepForm(GovForm):
    residence = yes_no("Is any of the land someone's home, or land that goes with a home?")
    residence_partly = yes_no("If so, is the home only part of the building, like a flat above a pub?", required=False)
    caravan_site = yes_no("Is it a caravan site that needs a site licence?")
    operational_land = yes_no(
        "Is it operational land of a utility or transport company?",
        hint="For example, a railway line, a substation or a water works",
    )
    save = submit("Save and continue")


class SubmitForm(GovForm):
    version = VersionField()  # the draft as the check page showed it: answers changed since are not sent unseen
    send = submit("Send the nomination")
