"""Lay a notice out as a letter: its words fixed when the notice is planned, its PDF made by WeasyPrint later.

`letter_content` is cheap and runs while the notice is planned (in its
transaction): the words, dates and addresses are fixed then, as an email's are.
`letter_pdf` is the slow part (fonts, layout) and runs in the worker with no
transaction open. `merged` puts letters into one PDF for printing in one go.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from casework.notifying.letters import layout
from casework.notifying.notices.content import CONTENT
from casework.notifying.notices.render import basis_line
from workflows.periods import long_date

_env = Environment(
    loader=PackageLoader("casework.notifying.letters", "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",)),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


_GIVEN_UNDER = "This notice is given under {basis}."


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def address_lines(name: str, address: str | None) -> list[str]:
    """The lines for the envelope window: the name, then the address split at line breaks or commas, at most
    seven in all (GOV.UK Notify's limit), extra lines joined onto the one before the postcode."""
    parts = [part.strip() for part in re.split(r"[\n,]", address or "") if part.strip()]
    room = layout.ADDRESS_MAX_LINES - 1
    if len(parts) > room:
        parts = [*parts[: room - 2], ", ".join(parts[room - 2 : -1]), parts[-1]]
    return [name.strip(), *parts]


def letter_content(
    template: str,
    subject: str,
    context: Mapping[str, Any],
    *,
    parties: Sequence[str],
    dated: date,
    return_address: str | None,
) -> dict[str, Any]:
    """What the letter says, as JSON to store: the same words as the email, with the date it is written and the
    council's return address."""
    words = CONTENT[template]
    values = _Blank(context)
    return {
        "heading": subject,
        "intro": words.intro.format_map(values),
        "next_steps": words.next_steps.format_map(values),
        "reasons": context.get("reasons") if words.show_reasons else None,
        "reference": context.get("reference"),
        "asset": context.get("asset"),
        "asset_address": context.get("address"),
        "basis": context.get("basis"),
        "basis_line": basis_line(context.get("basis"), _GIVEN_UNDER),
        "dates": list(context.get("dates") or []),
        "case_url": None if context.get("unsubscribe_url") else context.get("case_url"),
        "council_name": context.get("council_name", ""),
        "return_address": [line.strip() for line in (return_address or "").splitlines() if line.strip()],
        "parties": [party.replace("_", " ") for party in parties],
        "dated": dated.isoformat(),
    }


def letter_html(content: Mapping[str, Any], recipient_name: str, address: str | None) -> str:
    """The letter as HTML for WeasyPrint: every block placed in millimetres where Notify's specification allows."""
    return _env.get_template("letter.html").render(
        letter={**_EMPTY, **content, "basis_line": _basis_line(content)},
        paragraphs=_paragraphs(content),
        lines=address_lines(recipient_name, address),
        recipient_name=recipient_name,
        dated=long_date(date.fromisoformat(content["dated"])),
        layout=layout,
    )


_EMPTY: dict[str, Any] = {
    "intro": "", "next_steps": "", "reasons": None, "reference": None, "asset": None, "asset_address": None,
    "basis": None, "dates": [], "case_url": None, "council_name": "", "return_address": [], "parties": [],
    "text": None,
}  # fmt: skip


def _basis_line(content: Mapping[str, Any]) -> str | None:
    """The line the content carries; a letter planned before its content carried one (stored, and shown to
    officers long after) says it from its basis, in the same words."""
    return content["basis_line"] if "basis_line" in content else basis_line(content.get("basis"), _GIVEN_UNDER)


def _paragraphs(content: Mapping[str, Any]) -> list[str]:
    """A letter that follows an email carries the email's text: its paragraphs, less the heading it repeats."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", content.get("text") or "") if p.strip()]
    return paragraphs[1:] if paragraphs and paragraphs[0] == content.get("heading") else paragraphs


def letter_pdf(content: Mapping[str, Any], recipient_name: str, address: str | None) -> tuple[bytes, int]:
    """The PDF of the letter and its number of pages."""
    from weasyprint import HTML  # imported when used: loading Pango takes a while, and the web rarely renders

    document = HTML(string=letter_html(content, recipient_name, address)).render()
    return document.write_pdf(), len(document.pages)


def merged(pdfs: Sequence[bytes]) -> bytes:
    """Several letters as one PDF, each starting on a new sheet, for printing in one go."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
        if len(writer.pages) % 2:  # printed on both sides, the next letter starts on a sheet of its own
            writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
