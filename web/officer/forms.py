"""Forms for officers: queue filters, assignment, notes, documents, recording an owner."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovFileInput, GovRadioInput, GovSelect, GovTextInput
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Email, InputRequired, Length, Optional

from casework.assets import CATEGORIES
from casework.queries import definitions
from casework.queries.queue import DUE_CHOICES, SORT_CHOICES
from web.forms import GovDateField, GovForm, VersionField, area, submit, text
from web.quick_select import QuickSelect


class QueueFilterForm(GovForm):
    """The work queue's search, filters and sort: a GET form, so a filtered queue can be bookmarked and paged."""

    class Meta:
        csrf = False

    search = StringField(
        "Search",
        widget=GovTextInput(),
        validators=[Optional()],
        description="Reference, name of the place or group, address or postcode",
    )
    workflow = SelectField(
        "Process",
        widget=QuickSelect(),
        validators=[Optional()],
        choices=dict([("", "Any process"), *definitions.processes()]),
    )
    # Its choices are the chosen process's statuses (the page fills them in); with no process chosen it is disabled
    state = SelectField("Status", widget=QuickSelect(), validators=[Optional()], choices={})
    assignee = SelectField("Assigned to", widget=QuickSelect(), validators=[Optional()], choices={})
    category = SelectField(
        "Kind of asset",
        widget=QuickSelect(),
        validators=[Optional()],
        choices=dict([("", "Any kind"), *CATEGORIES.items()]),
    )
    ward = SelectField("Ward", widget=QuickSelect(), validators=[Optional()], choices={})
    due = SelectField(
        "Next deadline",
        widget=QuickSelect(),
        validators=[Optional()],
        choices=dict([("", "Any time"), *DUE_CHOICES.items()]),
    )
    sort = SelectField("Sort by", widget=QuickSelect(), validators=[Optional()], choices=SORT_CHOICES)
    apply = submit("Apply filters")


class AssignForm(GovForm):
    cases = SelectMultipleField("Cases", choices={}, validators=[InputRequired(message="Select at least one case")])
    # Posted as `assignee`, but not with the id of the queue's "Assigned to" filter on the same page
    assignee = SelectField(
        "Assign the selected cases to", id="assign-to", widget=QuickSelect(), choices={}, validators=[Optional()]
    )
    assign = submit("Assign")


class NoteForm(GovForm):
    text = area("Add a note", message="Enter the note")
    # Its own id: the upload form beside it on the case page has a `public` box too.
    public = BooleanField("Show this note on the public register", widget=GovCheckboxInput(), id="note-public")
    add_note = submit("Add note")


class CaseDocumentForm(GovForm):
    file = FileField(
        "Upload a document",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select a file")],
        description="PDF, JPG, PNG, DOCX or ODT, smaller than 10 MB",
    )
    description = text("What is it?", required=False)
    public = BooleanField("Publish it with the register entry", widget=GovCheckboxInput(), id="document-public")
    upload = submit("Upload")


class OwnerForm(GovForm):
    email = StringField(
        "Email address of the owner's account",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the email address of the owner's account"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=320),
        ],
    )
    kind = SelectField(
        "They are the",
        widget=GovSelect(),
        choices={"owner": "Owner", "agent": "Owner's agent"},
        validators=[InputRequired(message="Select whether they are the owner or the owner's agent")],
    )
    record = submit("Record as owner")


class ScoreForm(GovForm):
    """One assessor's score for one criterion; built with the criterion's id as prefix, so one page holds many."""

    score = RadioField("Your score", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select a score")])  # fmt: skip
    comment = area("Your comment", max_length=2000, hint="What in the application supports this score")
    save_score = submit("Save your score")


class ModerationForm(GovForm):
    score = RadioField("Agreed score", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select the agreed score")])  # fmt: skip
    reason = area("Why the panel agreed this score", required=False, max_length=2000,
                  hint="Needed when it differs from the assessors' median")  # fmt: skip
    agree = submit("Record the agreed score")


class ConflictForm(GovForm):
    details = area("What is your interest in this application?", max_length=1000, message="Enter what your interest is",
                   hint="For example, you are a member of the group, or related to someone on its board")  # fmt: skip
    declare = submit("Declare an interest")


def score_choices(max_score: int) -> dict[str, str]:
    return {str(n): str(n) for n in range(max_score + 1)}


class EoiAssessmentForm(GovForm):
    """T4: the expression of interest against each criterion the policy names; fields added per policy."""

    version = VersionField()
    assessed_on = GovDateField("Date of the assessment")
    record = submit("Record the assessment")


def eoi_assessment_form(criteria: tuple[str, ...]) -> type[EoiAssessmentForm]:
    """A form with, for each of the policy's criteria, met or not met and the reasons (checked by casework)."""
    fields: dict[str, object] = {}
    for number, criterion in enumerate(criteria, start=1):
        fields[f"met_{number}"] = RadioField(
            criterion, choices={"met": "Met", "not_met": "Not met"}, widget=GovRadioInput(),
            validators=[InputRequired(message=f"Select whether it meets: {criterion}")],
        )  # fmt: skip
        fields[f"reasons_{number}"] = area(f"Reasons: {criterion}", required=False)
    return type("PolicyEoiAssessmentForm", (EoiAssessmentForm,), fields)


class RecordBidForm(GovForm):
    """A community group's written request to be treated as a potential bidder, recorded by an officer."""

    version = VersionField()
    group = RadioField("Which group made the request?", widget=GovRadioInput(), choices={},
                       validators=[InputRequired(message="Select the group that made the request")])  # fmt: skip
    received_on = GovDateField("Date the council received the request",
                               hint="The day it arrived, whatever the day you record it")  # fmt: skip
    record = submit("Record the request")
