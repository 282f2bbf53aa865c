"""Forms for community groups: one class per page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from casework.assets import CATEGORIES
from web.forms import area, submit, text, yes_no
from workflows.eligibility import BODY_TYPE_LABELS


class GroupForm(FlaskForm):
    name = text("Name of the group")
    council = SelectField(
        "Which council's area is the group in?",
        widget=GovSelect(),
        choices={},
        validators=[InputRequired(message="Select the council")],
    )
    body_type = RadioField(
        "What kind of body is it?",
        widget=GovRadioInput(),
        choices={kind.value: label for kind, label in BODY_TYPE_LABELS.items()},
        validators=[InputRequired(message="Select what kind of body the group is")],
    )
    registration_number = text("Charity, company or society number", required=False, max_length=20)
    distributes_surplus = yes_no(
        "Does the group share any surplus (profit) among its members?", hint="A community body must not."
    )
    is_credit_union = yes_no("Is it a credit union?", required=False)
    is_public_authority = yes_no("Is it a public or local authority (other than a parish council)?")
    individual_members = IntegerField(
        "How many individual members does it have?",
        widget=GovTextInput(),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=10_000_000, message="Enter a number of members, like 25")],
    )
    local_elector_members = IntegerField(
        "How many members are on the electoral register in the council's area or a neighbouring one?",
        widget=GovTextInput(),
        default=0,
        description="An unincorporated group needs at least 21.",
        validators=[Optional(), NumberRange(min=0, max=10_000_000, message="Enter a number, like 21")],
    )
    activity_local = yes_no("Are the group's activities wholly or partly about the council's area?")
    surplus_local = yes_no("Is any surplus spent, at least partly, for the benefit of the area?")
    parish = text("Parish (for a parish council)", required=False, max_length=100)
    adjoining_parishes = text("Parishes next to it, separated by commas", required=False, max_length=1000)
    local_connection_evidence = area(
        "How the group is connected with the area",
        required=False,
        hint="For example, its objects, where its members live, where it works.",
    )
    email = text("Email address for notices", max_length=320)
    address = area("Postal address", required=False, max_length=1000)
    save = submit("Save group")


class UploadForm(FlaskForm):
    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a file")],
        description="PDF, JPG, PNG, DOCX or ODT, smaller than 10 MB",
    )
    description = text("What is it?", required=False, max_length=300)
    upload = submit("Upload")


class StartNominationForm(FlaskForm):
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


class AssetStepForm(FlaskForm):
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


class LandStepForm(FlaskForm):
    boundary_description = area(
        "Describe the land and its boundaries",
        hint="What is included: the building, car park, garden. You can upload a plan later.",
    )
    latitude_longitude = text(
        "Where is it? Latitude and longitude, if you know them",
        required=False,
        max_length=60,
        hint="For example, 52.1951, -2.0950",
    )
    save = submit("Save and continue")


class PeopleStepForm(FlaskForm):
    occupants = area("Who uses or occupies the land now?", hint="Give names if you know them, or say you do not know")
    ownership = area(
        "Who owns the land, and any leaseholders?",
        hint="Names and addresses as far as you know them, or say you do not know",
    )
    owner_email = text("The owner's email address, if you know it", required=False, max_length=320)
    save = submit("Save and continue")


class ReasonsStepForm(FlaskForm):
    reasons = area(
        "Why is the land of community value?",
        hint="How it is used now (or was recently) for the community's social wellbeing or interests, "
        "such as cultural, recreational or sporting use, and why that can continue",
    )
    save = submit("Save and continue")


class EvidenceStepForm(FlaskForm):
    eligibility_evidence = area(
        "Why is your group eligible to nominate?",
        hint="For example, your constitution or articles, and how the group is local",
    )
    save = submit("Save and continue")


class ListabilityStepForm(FlaskForm):
    residence = yes_no("Is any of the land someone's home, or land that goes with a home?")
    residence_partly = yes_no("If so, is the home only part of the building, like a flat above a pub?", required=False)
    caravan_site = yes_no("Is it a caravan site that needs a site licence?")
    operational_land = yes_no(
        "Is it operational land of a utility or transport company?",
        hint="For example, a railway line, a substation or a water works",
    )
    save = submit("Save and continue")


class SubmitForm(FlaskForm):
    send = submit("Send the nomination")


class BidForm(FlaskForm):
    group = RadioField(
        "Which group is asking to be treated as a potential bidder?",
        widget=GovRadioInput(),
        choices={},
        validators=[InputRequired(message="Select the group")],
    )
    send = submit("Send the request")
