"""Words people read, built from the definitions and the answers: no internal ids, no answers nobody gave."""

from __future__ import annotations

import re
from datetime import date

import pytest

from casework.notifying.letters.render import letter_content, letter_html
from casework.notifying.notices.render import render
from casework.queries.submissions import nomination_groups
from workflows import registry
from workflows.definition import Definition


def test_a_notice_sent_as_good_practice_says_so_rather_than_naming_good_practice_as_its_legal_basis() -> None:
    context = {"reference": "BDC-ACV-1", "asset": "The Bull", "basis": "Good practice"}
    rendered = render("nomination_acknowledged", "Nomination received", context)
    for text in (rendered.text, rendered.html):
        assert "We send this as good practice: no law requires it." in text and "Legal basis" not in text
    cited = render("nomination_acknowledged", "Nomination received", {**context, "basis": "ACV Regs reg.7"})
    assert "Legal basis: ACV Regs reg.7" in cited.text
    letter = letter_content("nomination_acknowledged", "Nomination received", context, parties=["nominator"],
                            dated=date(2026, 4, 1), return_address="Council Offices")  # fmt: skip
    html = letter_html(letter, "Friends of the Bull", "1 High Street, Ambridge, AB1 2CD")
    assert "We send this as good practice: no law requires it." in html and "given under Good practice" not in html


_GOOD_PRACTICE_NOTICES = sorted(
    {(n.template, n.title) for d in registry.all_definitions() for n in d.notices if n.basis == "Good practice"}
)


@pytest.mark.parametrize(("template", "title"), _GOOD_PRACTICE_NOTICES, ids=[t for t, _ in _GOOD_PRACTICE_NOTICES])
def test_every_notice_no_law_requires_says_so_in_its_email_and_its_letter(template: str, title: str) -> None:
    context = {"reference": "BDC-ACV-1", "asset": "The Bull", "basis": "Good practice"}
    rendered = render(template, title, context)
    letter = letter_content(
        template, title, context, parties=["nominator"], dated=date(2026, 4, 1), return_address="Council Offices"
    )
    html = letter_html(letter, "Friends of the Bull", "1 High Street, Ambridge, AB1 2CD")
    for words in (rendered.text, rendered.html, html):
        assert "We send this as good practice: no law requires it." in words
        assert "Legal basis" not in words and "given under" not in words


def test_a_letter_planned_before_its_words_carried_their_basis_line_still_says_on_what_authority_it_is_sent() -> None:
    planned = {"heading": "Notice of listing", "dated": "2026-04-01", "council_name": "Borsetshire District Council"}
    said_for = {
        "LA 2011 s.91(2)": "This notice is given under LA 2011 s.91(2).",
        "Good practice": "We send this as good practice: no law requires it.",
    }
    for basis, said in said_for.items():
        assert said in letter_html({**planned, "basis": basis}, "Bull Inns Ltd", "1 High Street, AB1 2CD")


@pytest.mark.parametrize("defn", registry.all_definitions(), ids=lambda d: d.name)
def test_no_status_a_person_reads_carries_an_internal_stage_id(defn: Definition) -> None:
    """Row ids of STATUTE.md (T1, M4) belong in citations, not in the words a group reads under a status."""
    for state in defn.states:
        assert not re.search(r"\([A-Z]{1,3}\d+\)", f"{state.label} {state.description or ''}"), state.id


def test_check_answers_asks_whether_the_home_is_only_part_of_the_building_only_of_a_home() -> None:
    def listability(land: dict[str, bool]) -> dict[str, str]:
        groups = nomination_groups({"land": land}, ())
        [group] = [g for g in groups if g.page == "listability"]
        return {answer.label: answer.value for answer in group.answers}

    not_a_home = listability({"residence": False, "residence_partly_other_use": False})
    assert not_a_home["Someone's home, or land that goes with a home"] == "No"
    assert "The home is only part of the building" not in not_a_home
    flat_above = listability({"residence": True, "residence_partly_other_use": True})
    assert flat_above["The home is only part of the building"] == "Yes"
