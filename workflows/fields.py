"""The data an actor supplies with a trigger, checked and converted field by field (dates, times, money...).

Shape only: whether a date is late is a guard's business. Kept apart from the machines so the forms, the API's
action bodies and the writer all read one parser.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Any

from workflows.definition import Field, FieldKind, Transition
from workflows.errors import InvalidData


def parse_data(transition: Transition, raw: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """Check and convert the data supplied with a trigger; raises InvalidData with one message per field.

    Shape only: whether a date is late is a guard's business, not this one's.
    """
    known = {f.name for f in transition.fields}
    errors = {key: f"{transition.label} does not take {key!r}" for key in raw if key not in known}
    data: dict[str, Any] = {}
    for spec in transition.fields:
        value = raw.get(spec.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.required:
                errors[spec.name] = _missing(spec)
            continue
        try:
            data[spec.name] = _CONVERTERS[spec.kind](spec, value, today)
        except ValueError as exc:
            errors[spec.name] = str(exc)
    if errors:
        raise InvalidData(errors)
    return data


def _missing(spec: Field) -> str:
    if spec.kind in (FieldKind.CHOICE, FieldKind.BOOL):
        return f"Select the {spec.label}"
    return f"Enter the {spec.label}"


def _date(spec: Field, value: Any, today: date) -> date:
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"The {spec.label} must be a real date, like 2026-03-27") from None
    if parsed > today and not spec.allow_future:
        raise ValueError(f"The {spec.label} must be today or in the past")
    return parsed


def _time(spec: Field, value: Any, _today: date) -> time:
    """A time of day on the 24-hour clock, like 16:30 (seconds are not asked for)."""
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    text = str(value).strip()
    hours, _, minutes = text.partition(":")
    if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError(f"The {spec.label} must be a time on the 24-hour clock, like 16:30")
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"The {spec.label} must be a real time on the 24-hour clock, like 16:30") from None


def _text(spec: Field, value: Any, _today: date) -> str:
    text = str(value).strip()
    if len(text) > spec.max_length:
        raise ValueError(f"The {spec.label} must be {spec.max_length} characters or fewer")
    return text


def _bool(spec: Field, value: Any, _today: date) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "true", "1", "y", "on"}:
        return True
    if text in {"no", "false", "0", "n", "off"}:
        return False
    raise ValueError(f"Select yes or no for the {spec.label}")


def _choice(spec: Field, value: Any, _today: date) -> str:
    text = str(value).strip()
    if text not in {key for key, _ in spec.choices}:
        raise ValueError(f"Select one of the options for the {spec.label}")
    return text


def _money(spec: Field, value: Any, _today: date) -> str:
    try:
        amount = Decimal(str(value).strip().replace(",", "").lstrip("£"))
    except InvalidOperation:
        raise ValueError(f"The {spec.label} must be an amount of money, like 1250.00") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"The {spec.label} must be an amount of money, like 1250.00")
    return f"{amount:.2f}"


def _reference(spec: Field, value: Any, _today: date) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise ValueError(f"The {spec.label} is not a valid reference") from None


_CONVERTERS: dict[FieldKind, Callable[[Field, Any, date], Any]] = {
    FieldKind.DATE: _date,
    FieldKind.TIME: _time,
    FieldKind.TEXT: _text,
    FieldKind.BOOL: _bool,
    FieldKind.CHOICE: _choice,
    FieldKind.MONEY: _money,
    FieldKind.REFERENCE: _reference,
}
