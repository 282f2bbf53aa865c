"""Forms for community groups: their profile and eligibility, uploading a file, and asking to bid."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovFileInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, Optional

from casework.queries.eligibility import questions_for
from casework.vocabulary import BODY_TYPE_LABELS, CONSTITUTION_QUESTIONS, BodyType
from web.forms import GovForm, area, submit, text, yes_no


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


class BidForm(GovForm):
    group = RadioField(
        "Which group is asking to be treated as a potential bidder?",
        widget=GovRadioInput(),
        choices={},
        validators=[InputRequired(message="Select the group")],
    )
    send = submit("Send the request")
