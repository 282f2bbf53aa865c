"""Forms for owners: the notice of intended sale (with the exempt-disposal checker) and a compensation claim."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovTextInput
from wtforms import HiddenField, IntegerField, RadioField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, Optional

from casework.vocabulary import EXEMPT_DISPOSALS
from web.forms import GovDateField, GovForm, area, submit, text, yes_no


class NoticeForm(GovForm):
    disposal_type = RadioField(
        "What do you want to do?",
        widget=GovRadioInput(),
        choices={
            "freehold": "Sell the freehold",
            "lease": "Grant or assign a lease",
            "share_sale": "Sell shares in the company that owns the land",
        },
        validators=[InputRequired(message="Select what you want to do")],
    )
    lease_years = IntegerField(
        "How long is the lease, in years?",
        widget=GovTextInput(),
        validators=[Optional(), NumberRange(min=0, max=999, message="Enter a number of years")],
    )
    vacant_possession = yes_no(
        "Will the buyer or tenant get vacant possession?",
        hint="That is, nobody else will have a right to occupy the land",
    )
    exemptions = SelectMultipleField(
        "Do any of these describe the sale? Select all that apply.",
        widget=GovCheckboxesInput(),
        validators=[Optional()],
        choices={item.id: f"{item.text} ({item.basis})" for item in EXEMPT_DISPOSALS},
    )
    listed_before_obligation = yes_no(
        "Was the land already listed when any option or planning obligation was made?", required=False
    )
    notice_method = RadioField(
        "How are you sending the notice?",
        widget=GovRadioInput(),
        default="portal",
        choices={"portal": "Online, with this form"},
        validators=[Optional()],
    )
    stage = HiddenField(default="check")
    check = submit("Check what applies")


class ExemptForm(GovForm):
    disposal_entered_on = GovDateField("Date of the disposal")
    exemption = RadioField(
        "Which exemption applies?",
        widget=GovRadioInput(),
        choices={item.id: item.text for item in EXEMPT_DISPOSALS},
        validators=[InputRequired(message="Select the exemption")],
    )
    details = area("Details of the disposal and the new owner")
    right_granted_on = GovDateField(
        "Date the planning obligation was made or the option or right was granted",
        required=False,
        hint="Only for a disposal under a planning obligation, option, nomination right, pre-emption right or right "
        "of first refusal: it is not exempt if the land was already listed then. For example, 27 3 2026",
    )
    record = submit("Record the exempt disposal")


class ClaimForm(GovForm):
    loss_ended_on = GovDateField("Date the loss or expense was incurred, or finished being incurred")
    amount_claimed = text("Total amount claimed", max_length=20, hint="In pounds, like 1250.00")
    claim_parts = area("The amount claimed for each part of the claim, and your evidence")
    public_body = yes_no(
        "Is the owner a public body, such as a council?",
        hint="Public bodies cannot claim (Assets of Community Value Regulations, regulation 15)",
    )
    send = submit("Send the claim")
