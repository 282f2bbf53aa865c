"""Forms for council admins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovFileInput, GovRadioInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp

from casework.services.councils import ReminderTimer
from casework.services.holidays import HOLIDAY_KINDS
from casework.vocabulary import CLOSURE
from web.forms import GovDateField, GovForm, area, submit, text

STAFF_CHOICES = [("officer", "Officer"), ("reviewer", "Reviewer"), ("council_admin", "Council admin")]


class InviteForm(GovForm):
    name = text("Full name")
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter their email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=320),
        ],
    )
    role = RadioField(
        "Role", widget=GovRadioInput(), choices=dict(STAFF_CHOICES), validators=[InputRequired(message="Select a role")]
    )
    invite = submit("Send invitation")


class NeighboursForm(GovForm):
    neighbours = SelectMultipleField(
        "Councils whose area shares a boundary with ours",
        widget=GovCheckboxesInput(),
        choices={},
        validators=[Optional()],
    )
    save_neighbours = submit("Save neighbouring councils")


class HolidayForm(GovForm):
    day = GovDateField("Date of the holiday")
    name = text("Name of the holiday", max_length=100, hint="For example, a council staff closure day")
    kind = RadioField(
        "Whose holiday is it?",
        widget=GovRadioInput(),
        choices=dict(HOLIDAY_KINDS),
        default=CLOSURE,  # a form sent without it enters the day that moves no statutory or Tribunal limit
        validators=[DataRequired(message="Select whose holiday it is")],
    )
    add_holiday = submit("Add holiday")


class OrganisationForm(GovForm):
    organisation = text(
        "Organisation in planning.data.gov.uk",
        required=False,
        max_length=60,
        hint="As its list of organisations writes it, like local-authority:CMD. Leave empty to use "
        "local-authority and your council code.",
    )
    save_organisation = submit("Save organisation")


class OffsetsForm(GovForm):
    """The reminder days for every deadline: one field per workflow and timer (`offsets_form` adds them)."""

    save_offsets = submit("Save reminders")


DAYS_LIST = re.compile(r"^[\d,\s]*$")


def offsets_form(timers: Sequence[ReminderTimer]) -> type[OffsetsForm]:
    """An OffsetsForm with a field per timer, named by workflow and timer (`acv_listing__decision_due`), so
    that two processes' "Decision due" are two fields, and each error names its deadline in words."""
    fields: dict[str, Any] = {
        timer.key: StringField(
            timer.label,
            widget=GovTextInput(),
            description=f"The workflow's own: {', '.join(map(str, timer.defaults)) or 'none'}",
            validators=[
                Length(max=100, message=f"Reminders for {timer.described} must be 100 characters or fewer"),
                Regexp(
                    DAYS_LIST,
                    message=f"Reminders for {timer.described} must be numbers of days separated by commas, "
                    "like 14, 7, 1",
                ),
            ],
        )
        for timer in timers
    }
    return type("ReminderOffsetsForm", (OffsetsForm,), fields)


def days_before(text: str | None) -> list[int]:
    """ "14, 7, 1" as [14, 7, 1]; the field's validator has checked it holds only digits, commas and spaces."""
    return [int(part) for part in re.split(r"[,\s]+", text or "") if part]


class ImportForm(GovForm):
    file = FileField(
        "Your register",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select your register file")],
        description="A CSV (UTF-8 or Windows), Excel (.xlsx) or OpenDocument (.ods) spreadsheet, in your own "
        "layout: you choose which column holds what on the next page",
    )
    columns = FileField(
        "Column mapping (optional)",
        widget=GovFileInput(),
        validators=[Optional()],
        description="A column.csv in the planning.data.gov.uk (digital-land) format, if you have one",
    )
    upload = submit("Upload and map the columns")


class MappingForm(GovForm):
    upload_id = HiddenField()
    check = submit("Check every row")


class ConfirmImportForm(GovForm):
    upload_id = HiddenField()
    load = submit("Load the register")


class PolicyJsonForm(GovForm):
    """A whole policy as JSON, for people who keep their policy as a file (import), beside the forms."""

    document = area(
        "The policy, as JSON",
        max_length=100_000,
        hint="Periods, criteria and weights, gates, the pass threshold, tenures and the decision-making body; "
        "or, for the right to challenge, the services and their windows. Paste the file you downloaded from a "
        "published version, changed",
    )
    effective_from = GovDateField("First day new cases use it", required=False, hint="Leave empty for today")
    publish = submit("Publish this version")
