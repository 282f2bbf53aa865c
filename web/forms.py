"""Shared form pieces: GOV.UK date and yes/no fields, and forms built from a workflow transition's fields.

Forms check shape only (a real date, a choice from the list); the rules
belong to casework, whose refusals are put back on the fields they concern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, HiddenField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from casework.errors import CaseworkError
from casework.queries.case_page import ActionView, FieldView
from casework.vocabulary import InvalidData, WorkflowRefusal


class GovForm(FlaskForm):
    """A form whose errors are in GOV.UK words: what WTForms says by default is rewritten with the field's label.

    Its hidden CSRF field renders without an id: a page with several forms would otherwise repeat
    `id="csrf_token"`, and nothing (no label, no error link) ever points at a hidden field.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        token = getattr(self, "csrf_token", None)  # absent when CSRF is switched off (tests, the API)
        if token is not None:
            token.render_kw = {**(token.render_kw or {}), "id": False}

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for field in self:
            field.errors = [govuk_message(field, message) for message in field.errors]
        return valid


# WTForms' own messages, and what GOV.UK says instead; {label} is the field's label, {0}... the numbers matched.
_DEFAULTS: tuple[tuple[re.Pattern[str], str, str], ...] = tuple(
    (re.compile(pattern), statement, question)
    for pattern, statement, question in (
        (r"Not a valid (integer|decimal|float) value\.", "{label} must be a number, like 25", "Enter a number"),
        (r"This field is required\.|Please enter data\.", "Enter {lower}", "Enter an answer"),
        (r"Invalid email address\.", *["Enter an email address in the correct format, like name@example.com"] * 2),
        (r"Not a valid date(time)? value\.", "{label} must be a real date", "Enter a real date"),
        (r"Field cannot be longer than (\d+) characters?\.", "{label} must be {n} characters or fewer",
         "The answer must be {n} characters or fewer"),
        (r"Field must be at least (\d+) characters? long\.", "{label} must be {n} characters or more",
         "The answer must be {n} characters or more"),
        (r"Number must be between (\S+) and (\S+)\.", "{label} must be between {n} and {m}",
         "The answer must be between {n} and {m}"),
    )
)  # fmt: skip


def govuk_message(field: Any, message: str) -> str:
    """The GOV.UK Design System's wording for one of WTForms' default messages; any other message as it is."""
    label = str(field.label.text).strip() or "The answer"
    question = "?" in label
    lower = label[0].lower() + label[1:]
    if "not a valid choice" in message.lower():  # the field's own "Select ..." says it best
        required = next((v.message for v in field.validators if isinstance(v, InputRequired) and v.message), None)
        return required or ("Select an answer" if question else f"Select {lower}")
    for pattern, statement, asked in _DEFAULTS:
        if found := pattern.fullmatch(message):
            numbers = [group for group in found.groups() if group and group[0].isdigit()] + ["", ""]
            return (asked if question else statement).format(label=label, lower=lower, n=numbers[0], m=numbers[1])
    return message


class GovDateField(DateField):
    """Day, month and year boxes, with GOV.UK error messages."""

    def __init__(self, label: str, *, required: bool = True, hint: str = "", **kwargs: Any) -> None:
        validators = [InputRequired(message=f"Enter the {label.lower()}")] if required else [Optional()]
        super().__init__(
            label,
            format="%d %m %Y",
            widget=GovDateInput(),
            validators=validators,
            description=hint or "For example, 27 3 2026",
            **kwargs,
        )

    def process_formdata(self, valuelist: list[str]) -> None:
        if len(valuelist) != 3:  # the widget shows back exactly three boxes: day, month, year
            self.raw_data = [*valuelist, "", "", ""][:3] if valuelist else None
            valuelist = self.raw_data or []
        if not valuelist or not any(part.strip() for part in valuelist):
            self.data = None
            return
        try:
            day, month, year = (int(part) for part in valuelist)
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError(f"The {str(self.label.text).lower()} must be a real date") from None


def yes_no(label: str, *, required: bool = True, hint: str = "") -> RadioField:
    validators = [InputRequired(message=f"Select yes or no: {label.lower().rstrip('?')}")] if required else [Optional()]
    return RadioField(
        label,
        choices={"yes": "Yes", "no": "No"},
        widget=GovRadioInput(),
        validators=validators,
        description=hint,
    )


def _missing(label: str, message: str | None) -> str:
    """ "Enter the name of the group"; a question label needs its own message, so ask for one."""
    if message:
        return message
    if label.endswith("?"):
        raise ValueError(f"Give a message saying what to enter for the question {label!r}")
    return f"Enter {label[0].lower()}{label[1:]}"


def text(
    label: str, *, required: bool = True, max_length: int = 300, hint: str = "", message: str | None = None
) -> StringField:
    validators: list[Any] = [InputRequired(message=_missing(label, message))] if required else [Optional()]
    validators.append(Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"))
    return StringField(label, widget=GovTextInput(), validators=validators, description=hint)


def area(
    label: str, *, required: bool = True, max_length: int = 5000, hint: str = "", message: str | None = None
) -> TextAreaField:
    validators: list[Any] = [InputRequired(message=_missing(label, message))] if required else [Optional()]
    validators.append(Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"))
    return TextAreaField(label, widget=GovTextArea(), validators=validators, description=hint)


def submit(label: str) -> SubmitField:
    return SubmitField(label, widget=GovSubmitInput())


def answers(form: FlaskForm, *leave_out: str) -> dict[str, Any]:
    """What the person entered, by field name, for a service that takes the fields as they are named."""
    skip = {"csrf_token", *leave_out}
    return {name: value for name, value in form.data.items() if name not in skip and value}  # keyed by short name


def put_errors(form: FlaskForm, errors: Mapping[str, str], fallback: str) -> None:
    """Show a service's refusal on the fields it names, or on `fallback` when it names none of ours."""
    for name, message in errors.items():
        field = getattr(form, name, None) or getattr(form, fallback)
        field.errors = [*field.errors, message] if isinstance(field.errors, list) else [message]


def refuse(form: FlaskForm, fallback: str, *reasons: str) -> None:
    put_errors(form, {fallback: "; ".join(reasons)}, fallback)


def show_refusal(form: FlaskForm, fallback: str, refusal: WorkflowRefusal | CaseworkError) -> None:
    """A refusal on the form: each reason about one of its fields beside that field (and so a line of its own in
    the error summary), the rest together on `fallback`."""
    on_fields = {name: reasons for name, reasons in getattr(refusal, "on_fields", {}).items() if hasattr(form, name)}
    for name, reasons in on_fields.items():
        put_errors(form, {name: ". ".join(reasons)}, fallback)  # each a sentence of its own, not run together
    placed = {reason for reasons in on_fields.values() for reason in reasons}
    rest = [reason for reason in refusal.reasons if reason not in placed]
    if rest:
        refuse(form, fallback, *rest)


T = TypeVar("T")


def send_to_service(form: FlaskForm, call: Callable[[], T], *, fallback: str, refused_on: str) -> T | None:
    """Send a form's answers to the service it is for. The service's field errors go on the form's
    fields (or on `fallback`), a refusal on `refused_on`; then None, and the page shows the form again."""
    try:
        return call()
    except InvalidData as invalid:
        put_errors(form, invalid.errors, fallback)
    except (CaseworkError, WorkflowRefusal) as refusal:
        refuse(form, refused_on, *refusal.reasons)
    return None


NO_VERSION = "Reload the case and try again: the form did not say which version of the case you were looking at"


class VersionField(IntegerField):
    """The case version a page was built from, sent back hidden, so that a stale page is refused.

    Without one (or with one that is not a number) nothing is applied: falling back to the version the case
    has now would skip the very check the field is for.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            widget=HiddenInput(),
            validators=[InputRequired(message=NO_VERSION), NumberRange(min=1, message=NO_VERSION)],
            invalid_value_message=NO_VERSION,
            **kwargs,
        )


def show_hidden_errors(form: FlaskForm, visible: str, *hidden: str) -> None:
    """Move the errors of hidden fields onto `visible`, so the error summary links to something on the page."""
    for name in hidden:
        field = getattr(form, name)
        if field.errors:
            messages = list(dict.fromkeys(field.errors))
            field.errors = []
            put_errors(form, {visible: "; ".join(messages)}, visible)


class ActionFormBase(GovForm):
    version = VersionField()  # the case version this page was built from
    trigger = HiddenField()


def action_form(action: ActionView, *, auto_today: bool) -> type[ActionFormBase]:
    """A form class for one workflow action, its fields in the order the definition gives them.

    With `auto_today`, dates the system records itself (when the council
    received something the person is sending online) are not asked for.
    """
    attributes: dict[str, Any] = {}
    for spec in action.fields:
        if auto_today and (spec.stamped or spec.staff_only):  # a party is not asked the council's own answers
            continue
        attributes[spec.name] = _field(spec)
    attributes["submit_action"] = submit(action.label)
    return type(f"{action.trigger.title().replace('_', '')}Form", (ActionFormBase,), attributes)


def _field(spec: FieldView) -> Any:
    label = spec.label[0].upper() + spec.label[1:]
    if spec.kind == "date":
        return GovDateField(label, required=spec.required, hint=spec.hint)
    if spec.kind == "bool":
        return yes_no(label.removeprefix("Answer to whether ").capitalize(), required=spec.required, hint=spec.hint)
    if spec.kind == "choice":
        validators = [InputRequired(message=f"Select the {spec.label}")] if spec.required else [Optional()]
        return RadioField(
            label, choices=dict(spec.choices), widget=GovRadioInput(), validators=validators, description=spec.hint
        )
    if spec.kind == "money":
        return text(label, required=spec.required, max_length=20, hint=spec.hint or "In pounds, like 1250.00")
    if spec.kind == "time":
        return text(label, required=spec.required, max_length=5, hint=spec.hint or "24-hour clock, like 16:30")
    if spec.kind == "text" and spec.name in ("cig_name", "acquirer_name"):
        return text(label, required=spec.required, max_length=300, hint=spec.hint)
    return area(label, required=spec.required, hint=spec.hint)


def action_data(form: ActionFormBase, action: ActionView, *, today: date, auto_today: bool) -> dict[str, Any]:
    """The values to hand to casework, in its terms: ISO dates, yes/no as booleans."""
    data: dict[str, Any] = {}
    for spec in action.fields:
        if auto_today and spec.stamped:
            data[spec.name] = today.isoformat()
            continue
        if auto_today and spec.staff_only:
            continue
        value = getattr(form, spec.name).data
        if value in (None, ""):
            continue
        if spec.kind == "bool":
            value = value is True or value == "yes"  # a ticked box (the party's words) or a "yes" radio
        elif isinstance(value, date):
            value = value.isoformat()
        data[spec.name] = value
    return data
