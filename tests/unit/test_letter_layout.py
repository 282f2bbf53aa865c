"""Every notice as a letter: its words, and every mark on the page inside GOV.UK Notify's printable areas."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest

from casework.notifying.letters import layout
from casework.notifying.letters.render import address_lines, letter_content, letter_pdf, merged
from casework.notifying.notices.content import CONTENT

MM = 72 / 25.4  # PDF points in a millimetre
CONTEXT = {
    "council_name": "Borsetshire District Council",
    "reference": "BDC-ACV-00001",
    "asset": "The Bull",
    "address": "1 High Street, Ambridge",
    "nominator": "Friends of the Bull",
    "applicant": "Friends of the Bull",
    "group": "Ambridge Community Pub Ltd",
    "notice_date": "Wednesday 1 April 2026",
    "basis": "LA 2011 s.91(2); ACV Regs reg.9",
    "reasons": "The pub furthers the social wellbeing of the village.",
    "dates": [{"label": "Owner may ask for a review", "due": "Friday 15 May 2026", "time": None,
               "basis": "ACV Regs Sch.2 para.1"}],
    "case_url": "https://casework.example/cases/BDC-ACV-00001",
}  # fmt: skip
RETURN = "Council Offices\nMain Street\nBorchester\nBC1 1AA"


def _letter(template: str, name: str = "Borchester Brewery Ltd", address: str = "5 Mill Lane, Borchester, BC2 3EF"):
    content = letter_content(
        template, f"Notice: {template}", CONTEXT, parties=["owner"], dated=date(2026, 4, 1), return_address=RETURN
    )
    pdf, pages = letter_pdf(content, name, address)
    return content, pdf, pages


def _words(page: pdfplumber.page.Page) -> list[dict[str, float | str]]:
    return page.extract_words(keep_blank_chars=False)


@pytest.mark.parametrize("template", sorted(CONTENT))
def test_every_notice_prints_as_a_letter_with_its_words_inside_notifys_printable_areas(template: str) -> None:
    content, pdf, pages = _letter(template)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == pages
        text = "\n".join(page.extract_text() for page in document.pages)
        flat = " ".join(text.split())
        for part in (f"Notice: {template}", "BDC-ACV-00001", "Wednesday 1 April 2026", "Dear Borchester Brewery Ltd"):
            assert part in flat
        assert " ".join(content["intro"].split())[:60] in flat
        assert "This notice is given under LA 2011 s.91(2); ACV Regs reg.9." in flat
        assert "Friday 15 May 2026" in flat and "Owner may ask for a review" in flat
        for number, page in enumerate(document.pages, start=1):
            assert (round(page.width / MM), round(page.height / MM)) == (210, 297)  # A4 portrait
            for char in page.chars:
                assert char["x0"] >= layout.MARGIN_SIDE * MM and char["x1"] <= (210 - layout.MARGIN_SIDE) * MM
                assert char["top"] >= layout.MARGIN_TOP_BOTTOM * MM and char["bottom"] <= 292 * MM
                if number == 1 and char["top"] < layout.BODY_TOP * MM:
                    assert _in_a_first_page_area(char), char


def _in_a_first_page_area(char: dict[str, float]) -> bool:
    """Above the body on page 1, ink only in the sender's area, the address window or the return address column."""
    x0, x1, top, bottom = (char[k] / MM for k in ("x0", "x1", "top", "bottom"))
    sender = top >= layout.LOGO_TOP and bottom <= layout.LOGO_BOTTOM and x1 <= layout.LOGO_RIGHT
    window = (x0 >= layout.ADDRESS_LEFT and x1 <= layout.ADDRESS_RIGHT
              and top >= layout.ADDRESS_TOP and bottom <= layout.ADDRESS_BOTTOM)  # fmt: skip
    column = x0 >= layout.SERVICE_ADDRESS_LEFT and bottom <= layout.BODY_TOP
    return sender or window or column


def test_the_recipients_name_and_address_sit_in_the_envelope_window_postcode_last() -> None:
    _, pdf, _ = _letter("listed", "Bull Inns Ltd", "Registered office\n5 Mill Lane\nBorchester\nBorsetshire\nBC2 3EF")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        window = document.pages[0].crop(
            (layout.ADDRESS_LEFT * MM, layout.ADDRESS_TOP * MM, layout.ADDRESS_RIGHT * MM, layout.ADDRESS_BOTTOM * MM)
        )
        lines = window.extract_text().splitlines()
    assert lines == ["Bull Inns Ltd", "Registered office", "5 Mill Lane", "Borchester", "Borsetshire", "BC2 3EF"]


def test_a_long_address_is_folded_into_notifys_seven_lines_and_still_ends_with_the_postcode() -> None:
    lines = address_lines(
        "A Person", "Flat 1, The Mill, Mill Lane, Upper Ambridge, Ambridge, Borchester, Borsetshire, BC2 3EF"
    )
    assert len(lines) == layout.ADDRESS_MAX_LINES
    assert lines[0] == "A Person" and lines[-1] == "BC2 3EF"
    assert "Ambridge, Borchester, Borsetshire" in lines[-2]
    _, pdf, _ = _letter("listed", "A Person", ", ".join(lines[1:]))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        window = document.pages[0].crop(
            (layout.ADDRESS_LEFT * MM, layout.ADDRESS_TOP * MM, layout.ADDRESS_RIGHT * MM, layout.ADDRESS_BOTTOM * MM)
        )
        assert window.extract_text().splitlines()[-1] == "BC2 3EF"


def test_letters_printed_together_each_start_on_a_fresh_sheet() -> None:
    one = _letter("listed")[1]
    two = _letter("not_listed", "Ambridge Parish Council", "The Village Hall, Ambridge, BC3 1AA")[1]
    together = merged([one, two])
    with pdfplumber.open(io.BytesIO(together)) as document:
        firsts = [i for i, page in enumerate(document.pages) if "Dear " in (page.extract_text() or "")]
        assert len(firsts) == 2 and all(i % 2 == 0 for i in firsts)
        assert "Ambridge Parish Council" in document.pages[firsts[1]].extract_text()
