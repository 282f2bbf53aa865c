"""Putting the person's own words on an action's form: the words are the transition's (Transition.party_words).

A definition names each action and field as the council records it ("Record a request for review"), which is right
for the officer entering a letter; the owner or group asking is told in their own words, and a yes/no question they
answer by ticking a box is asked as one checkbox.
"""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import Optional

from casework.vocabulary import PartyWords


def in_party_words(form_class: type, words: PartyWords) -> type:
    """The action's form class with the yes/no questions the person answers by ticking a box made checkboxes."""
    ticks = {
        name: BooleanField(label, widget=GovCheckboxInput(), validators=[Optional()])
        for name, label in words.ticks
        if hasattr(form_class, name)
    }
    return type(form_class.__name__, (form_class,), ticks) if ticks else form_class


def relabel(form: object, words: PartyWords) -> None:
    """Put the person's words on a form built from the definition."""
    for name, label in words.labels:
        bound = getattr(form, name, None)
        if bound is not None:
            bound.label.text = label
    for name, hint in words.hints:
        bound = getattr(form, name, None)
        if bound is not None:
            bound.description = hint
    form.submit_action.label.text = words.submit  # type: ignore[attr-defined]
