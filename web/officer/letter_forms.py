"""Forms for letters: marking letters posted, another reasonable step, writing to someone by post."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField, SelectMultipleField
from wtforms.validators import InputRequired

from web.forms import GovDateField, GovForm, area, submit, text


class PostedForm(GovForm):
    letters = SelectMultipleField(
        "Letters", choices={}, validators=[InputRequired(message="Select the letters you posted")]
    )
    posted_on = GovDateField("Date posted", hint="The day they went into the post, first class. For example, 27 3 2026")
    mark_posted = submit("Mark as posted")


class OtherStepForm(GovForm):
    step = area(
        "What did you do instead?",
        max_length=2000,
        message="Describe the step you took",
        hint="For example, a notice fixed to the building, or handed to the manager, and who did it",
    )
    taken_on = GovDateField("Date taken")
    record = submit("Record the step")


class ByPostForm(GovForm):
    name = text("Name", hint="The person or organisation, as it should appear on the envelope")
    address = area(
        "Postal address",
        max_length=300,
        message="Enter the address",
        hint="One line of the address a line, postcode last",
    )
    instead = RadioField(
        "Send the letter",
        choices={"as_well": "As well as the email", "instead": "Instead of the email"},
        default="as_well",
        widget=GovRadioInput(),
        validators=[InputRequired(message="Select whether the letter goes as well as or instead of the email")],
    )
    send = submit("Make the letter")
