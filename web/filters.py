"""Jinja filters: dates in GOV.UK style, file sizes, labels."""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Flask

from casework.assets import CATEGORIES
from casework.vocabulary import LONDON, long_date


def gov_date(value: date | datetime | None) -> str:
    """'5 September 2025' (GOV.UK style), or '' for nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def gov_datetime(value: datetime | None) -> str:
    """'5 September 2025 at 2:05pm', in England's time."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    return f"{gov_date(local)} at {clock}"


def gov_time(value: time | None) -> str:
    if value is None:
        return ""
    hour = value.hour % 12 or 12
    return f"{hour}{'am' if value.hour < 12 else 'pm'}" if value.minute == 0 else f"{hour}:{value.minute:02d}"


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def register(app: Flask) -> None:
    app.add_template_filter(gov_date)
    app.add_template_filter(gov_datetime)
    app.add_template_filter(gov_time)
    app.add_template_filter(long_date)
    app.add_template_filter(file_size)
    app.add_template_filter(lambda value: CATEGORIES.get(value, value), "category_label")
    app.add_template_filter(lambda value: str(value).replace("_", " ").capitalize(), "humanise")
