"""One form class per account page."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovTextInput
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length

from web.forms import GovForm, submit

_EMAIL = [
    InputRequired(message="Enter your email address"),
    Email(message="Enter an email address in the correct format, like name@example.com"),
    Length(max=320, message="Email address must be 320 characters or fewer"),
]


PURPOSES = {
    "community": "Nominate land or bid for it with a community group, or register a group",
    "owner": "Act for land I own, or for its owner: give notice of a sale, ask for a review, claim compensation",
}


def _password(label: str, message: str) -> PasswordField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=message),
            Length(max=256, message="Password must be 256 characters or fewer"),
        ],
    )


class RegisterForm(GovForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your full name"),
            Length(max=300, message="Name must be 300 characters or fewer"),
        ],
    )
    email = StringField("Email address", widget=GovTextInput(), validators=_EMAIL)
    purpose = RadioField(
        "What are you here to do?",
        widget=GovRadioInput(),
        choices=PURPOSES,
        validators=[InputRequired(message="Select what you are here to do")],
    )  # no answer chosen for them: the GOV.UK Design System never preselects a radio
    password = _password("Create a password", "Enter a password")
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your password"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    create = submit("Create account")


class SignInForm(GovForm):
    email = StringField("Email address", widget=GovTextInput(), validators=_EMAIL)
    password = _password("Password", "Enter your password")
    sign_in = submit("Sign in")


class ForgotPasswordForm(GovForm):
    email = StringField("Email address", widget=GovTextInput(), validators=_EMAIL)
    send = submit("Send me a link")


class ResetPasswordForm(GovForm):
    password = _password("New password", "Enter a new password")
    confirm = PasswordField(
        "Confirm your new password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    save = submit("Save password")


class ChangePasswordForm(GovForm):
    current_password = _password("Current password", "Enter your current password")
    new_password = _password("New password", "Enter a new password")
    change = submit("Change password")


class RoleForm(GovForm):
    role = RadioField(
        "Which role are you acting in?",
        widget=GovRadioInput(),
        choices={},
        validators=[InputRequired(message="Select a role")],
    )
    switch = submit("Continue")


class TokenForm(GovForm):
    name = StringField(
        "Token name",
        widget=GovTextInput(),
        description="So you can tell your tokens apart",
        validators=[
            InputRequired(message="Enter a name for the token"),
            Length(max=100, message="Token name must be 100 characters or fewer"),
        ],
    )
    create_token = submit("Create token")


class AcceptInvitationForm(GovForm):
    accept = submit("Accept the invitation")


class ConfirmEmailForm(GovForm):
    confirm = submit("Confirm my email address")
