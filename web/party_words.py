"""What an owner or a group reads on an action's form, where the definition's words are the council's.

A definition names each action and field as the council records it ("Record a request for review", "answer to
whether an oral hearing was asked for"), which is right for the officer entering a letter. The person asking
for the review is doing something else, and is told in the second person what happens next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput
from wtforms import BooleanField
from wtforms.validators import Optional


@dataclass(frozen=True)
class PartyWords:
    title: str
    submit: str
    labels: Mapping[str, str] = field(default_factory=dict)  # a field's label, by the field's name
    hints: Mapping[str, str] = field(default_factory=dict)
    ticks: Mapping[str, str] = field(default_factory=dict)  # a yes/no field asked as one box to tick, with its label
    next_steps: tuple[str, ...] = ()


WORDS: dict[tuple[str, str], PartyWords] = {
    ("acv_listing", "request_review"): PartyWords(
        title="Ask for a review",
        submit="Send the request for a review",
        labels={"review_grounds": "Why should the council review the listing?"},
        hints={
            "review_grounds": "Say why you think the land does not meet the test of community value, or what the "
            "council got wrong. You can add documents to the case afterwards."
        },
        ticks={"oral_hearing_requested": "I would like an oral hearing"},
        next_steps=(
            "The council will write to you to say how the review will be carried out.",
            (
                "A senior officer who took no part in the listing decision will review it. They must decide within "
                "8 weeks of the day the council received your request, unless you agree a longer time."
            ),
            (
                "If you asked for an oral hearing, the council will tell you when and where it will be. You can "
                "bring someone to speak for you."
            ),
            (
                "The land stays listed while the review is carried out. If the review confirms the listing, you "
                "can appeal to the First-tier Tribunal."
            ),
        ),
    ),
}


def words_for(workflow: str, trigger: str) -> PartyWords | None:
    return WORDS.get((workflow, trigger))


def in_party_words(form_class: type, words: PartyWords) -> type:
    """The action's form class with the yes/no questions the person answers by ticking a box made checkboxes."""
    ticks = {
        name: BooleanField(label, widget=GovCheckboxInput(), validators=[Optional()])
        for name, label in words.ticks.items()
        if hasattr(form_class, name)
    }
    return type(form_class.__name__, (form_class,), ticks) if ticks else form_class


def relabel(form: object, words: PartyWords) -> None:
    """Put the person's words on a form built from the definition."""
    for name, label in words.labels.items():
        bound = getattr(form, name, None)
        if bound is not None:
            bound.label.text = label
    for name, hint in words.hints.items():
        bound = getattr(form, name, None)
        if bound is not None:
            bound.description = hint
    form.submit_action.label.text = words.submit  # type: ignore[attr-defined]
