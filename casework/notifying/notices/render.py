"""Render a notice as a subject, a plain-text body and a GOV.UK-styled HTML body; and say on what authority it is
sent, in the one line emails and letters print."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from casework.notifying.notices.content import CONTENT

_env = Environment(
    loader=PackageLoader("casework.notifying.notices", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
)


GOOD_PRACTICE = "Good practice"  # the basis of a notice no law requires: the council sends it all the same
_GOOD_PRACTICE_LINE = "We send this as good practice: no law requires it."


def basis_line(basis: str | None, statutory: str) -> str | None:
    """The line that says on what authority a notice is sent: `statutory` with the law filled in ("Legal basis:
    {basis}"), or, for a notice sent as good practice, that no law requires it, rather than citing good practice as
    if it were law. None for a notice with no basis. Emails and letters print it as it is."""
    if not basis:
        return None
    if basis == GOOD_PRACTICE:
        return _GOOD_PRACTICE_LINE
    return statutory.format(basis=basis)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, subject: str, context: Mapping[str, Any]) -> Rendered:
    """Fill the template's words from `context` and lay them out for email.

    `context` holds: council_name, service_name, reference, asset, address,
    dates (list of dicts: label, due, time, basis), basis, case_url (with
    link_text, "See the case" unless given), reasons, unsubscribe_url, and any
    {placeholder} the template's words use.
    """
    content = CONTENT[template]
    values = _Blank(context)
    page = {
        "heading": subject,
        "intro": content.intro.format_map(values),
        "next_steps": content.next_steps.format_map(values),
        "reasons": context.get("reasons") if content.show_reasons else None,
        **{key: context.get(key) for key in ("reference", "asset", "address", "case_url", "unsubscribe_url")},
        "basis_line": basis_line(context.get("basis"), "Legal basis: {basis}"),
        "link_text": context.get("link_text") or "See the case",
        "dates": context.get("dates") or [],
        "council_name": context.get("council_name", ""),
        "service_name": context.get("service_name", ""),
    }
    return Rendered(
        subject=f"{subject} ({context.get('reference')})" if context.get("reference") else subject,
        text=_env.get_template("email.txt").render(page),
        html=_env.get_template("email.html").render(page),
    )
