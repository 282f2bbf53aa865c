"""Forms for taking on a council asset or service: an English asset transfer enquiry, a question about the land,
a Scottish asset transfer request (CE(S)A 2015 s.79) and an expression of interest in running a service."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput
from wtforms import RadioField
from wtforms.validators import InputRequired

from casework.vocabulary import REQUEST_TYPES, TENURES
from web.forms import GovForm, area, submit, text

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
