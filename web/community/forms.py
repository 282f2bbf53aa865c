"""Forms for community groups: one class per page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovFileInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from casework import geometry
from casework.assets import CATEGORIES
from casework.queries.eligibility import questions_for
from casework.vocabulary import BODY_TYPE_LABELS, CONSTITUTION_QUESTIONS, REQUEST_TYPES, TENURES, BodyType
from web.forms import GovForm, VersionField, area, submit, text, yes_no


class GroupForm(GovForm):
    name = text("Name of the group", message="Enter the name of the group")
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
        validators=[Optional(), NumberRange(min=0, max=10_000_000, message="Enter a number of members, like 25")],
    )
    local_elector_members = IntegerField(
        "How many members are on the electoral register in the council's area or a neighbouring one?",
        widget=GovTextInput(),
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
    charitable_purposes_only = yes_no(
        "Is it established for charitable purposes only?", required=False, hint="Asked for the right to challenge"
    )
    community_benefit = yes_no(
        "Does it carry on its activities mainly for the benefit of the community?",
        required=False,
        hint="Asked for the right to challenge",
    )
    employer = SelectField(
        "For a group of council employees: which council employs them?",
        widget=GovSelect(),
        choices={},
        validators=[Optional()],
    )
    constitution = SelectMultipleField(
        "For a Scottish community transfer body: what does its written constitution do? Select all that apply.",
        widget=GovCheckboxesInput(),
        choices={
            **{name: f"It must {text}" for name, text in CONSTITUTION_QUESTIONS},
            "asset_lock_on_winding_up": "On winding up, its assets go to community purposes (s.80(2)(a)(ii))",
            "community_benefit_society": "It is registered as a community benefit society, not a co-operative",
        },
        validators=[Optional()],
    )
    email = text("Email address for notices", max_length=320)
    address = area("Postal address", required=False, max_length=1000)
    save = submit("Save group")

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """Each question the eligibility tests need for this kind of body must be answered: a blank is neither
        "no" nor 0 (casework.queries.eligibility.questions_for)."""
        valid = super().validate(extra_validators)
        if self.body_type.data not in {kind.value for kind in BodyType}:
            return valid
        needed = questions_for(self.body_type.data, shares_surplus=self.distributes_surplus.data == "yes")
        for answer, (name, message) in _UNANSWERED.items():
            field = self[name]
            if answer in needed and field.data in (None, "") and not field.errors:
                field.errors = [message]
                valid = False
        return valid


# What to say when a needed answer is missing, for each Body attribute: its field on GroupForm and the message.
_UNANSWERED = {
    "is_credit_union": ("is_credit_union", "Select yes if the society is a credit union"),
    "individual_members": ("individual_members", "Enter how many individual members the group has"),
    "local_elector_members": (
        "local_elector_members",
        "Enter how many members are on the electoral register in the council's area or a neighbouring one",
    ),
    "charitable_purposes_only": (
        "charitable_purposes_only",
        "Select yes if the group is established for charitable purposes only",
    ),
    "primarily_for_community_benefit": (
        "community_benefit",
        "Select yes if the group carries on its activities mainly for the benefit of the community",
    ),
}


class UploadForm(GovForm):
    file = FileField(
        "Upload a file",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a file")],
        description="PDF, JPG, PNG, DOCX or ODT, smaller than 10 MB",
    )
    description = text("What is it?", required=False, max_length=300)
    upload = submit("Upload")


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


class BidForm(GovForm):
    group = RadioField(
        "Which group is asking to be treated as a potential bidder?",
        widget=GovRadioInput(),
        choices={},
        validators=[InputRequired(message="Select the group")],
    )
    send = submit("Send the request")


_TENURES = {t.id: t.label for t in TENURES}


class TransferApplicationForm(GovForm):
    """England: the enquiry that starts a community asset transfer (council policy, stage T1)."""

    group = RadioField("Which group is applying?", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select the group")])  # fmt: skip
    proposed_use = area(
        "What would the group use it for?",
        hint="The services and activities you would run",
        message="Enter what the group would use it for",
    )
    tenure_sought = RadioField(
        "What kind of transfer are you asking for?",
        widget=GovRadioInput(),
        choices=_TENURES,
        validators=[InputRequired(message="Select the kind of transfer")],
    )
    send = submit("Send the enquiry")


class LandQuestionForm(GovForm):
    """Scotland: a question about the land before a request (S1, CE(S)A 2015 s.81(3))."""

    group = RadioField("Which community transfer body is asking?", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select the body")])  # fmt: skip
    information_sought = area(
        "What do you want to know about the land?",
        hint="For example who owns it, its title, any burdens or leases, and what it costs to run",
        message="Enter what you want to know about the land",
    )
    send = submit("Ask the council")


class TransferRequestForm(GovForm):
    """Scotland: an asset transfer request with what s.79 and the Procedure Regulations reg.3 require."""

    group = RadioField("Which community transfer body is making the request?", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select the body")])  # fmt: skip
    request_type = RadioField(
        "What are you asking for?",
        widget=GovRadioInput(),
        choices=dict(REQUEST_TYPES),
        validators=[InputRequired(message="Select what you are asking for")],
    )
    land_description = area("Which land is the request about?", message="Enter which land the request is about")
    reasons = area("Why are you making the request?", message="Enter why you are making the request")
    benefits = area(
        "What benefits do you expect?",
        hint="For example to economic development, health or wellbeing",
        message="Enter the benefits you expect",
    )
    price_or_terms = area(
        "What price, rent or terms are you proposing?",
        message="Enter the price, rent or terms you propose",
        hint="The price you would pay, or the rent, length and terms of a lease, or the rights you want",
    )
    proposed_use = area("How will you use the land?", message="Enter how you will use the land")
    funding = area("How will you pay for it and for running it?", message="Enter how you will pay for it")
    community_support = area(
        "What support does the community give the request?", message="Enter the support the community gives"
    )
    send = submit("Make the request")


class ChallengeForm(GovForm):
    """An expression of interest in running a service: the contents of SI 2012/1313 reg.3 and Sch.1."""

    group = RadioField("Which group is expressing an interest?", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select the group")])  # fmt: skip
    service = RadioField("Which service would you run?", widget=GovRadioInput(), choices={},
                         validators=[InputRequired(message="Select the service")])  # fmt: skip
    geographical_area = text(
        "Which area would the service cover?", max_length=500, message="Enter the area the service would cover"
    )
    financial_resources = area(
        "What financial resources does the group have?",
        message="Enter the group's financial resources",
        hint="Give them for each member of a consortium and each sub-contractor too",
    )
    capability_evidence = area(
        "How will the group be able to provide the service by the time of any procurement?",
        message="Enter how the group will be able to provide the service",
        hint="Evidence for the group, each consortium member and each sub-contractor",
    )
    outcomes_wellbeing = area(
        "How would it promote or improve social, economic or environmental well-being in the area?",
        message="Enter how it would promote or improve well-being in the area",
    )
    outcomes_user_needs = area(
        "How would it meet the needs of the people who use the service?",
        message="Enter how it would meet the needs of the people who use the service",
    )
    employee_engagement = area(
        "How will you engage the other employees affected?",
        required=False,
        hint="Only for a group of the council's own employees",
    )
    send = submit("Send the expression of interest")
