"""The work queue's select lists, drawn in Python, are the GOV.UK select the library's macro draws."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import Flask
from wtforms import Form, SelectField

from web.officer.forms import AssignForm, QueueFilterForm
from web.quick_select import QuickSelect, select_markup


class _Elements(HTMLParser):
    """Each start tag with its attributes (classes as a set), and each piece of text, whitespace aside."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: (frozenset((value or "").split()) if name == "class" else value) for name, value in attrs}
        self.found.append((tag, attributes))

    def handle_endtag(self, tag: str) -> None:
        self.found.append(f"/{tag}")

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.found.append(" ".join(data.split()))


def elements(html: str) -> list[object]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


def both(field: SelectField, **kwargs: object) -> tuple[list[object], list[object]]:
    """The field drawn by the library's template and by QuickSelect, from the same params."""
    widget = QuickSelect()
    kwargs.setdefault("id", field.id)
    params = widget.map_gov_params(field, items=[], **kwargs)
    params["items"] = [{"text": label, "value": value, "selected": selected}
                       for value, label, selected, _ in field.iter_choices()]  # fmt: skip
    library = super(QuickSelect, widget).render(params)
    return elements(str(library)), elements(str(select_markup(params)))


def queue_fields() -> list[tuple[str, SelectField, dict[str, object]]]:
    filters = QueueFilterForm(data={"workflow": "moratorium", "ward": "Ward 2", "sort": "received"})
    filters.state.choices = {"": "Any status", "moratorium:interim": "Interim moratorium"}
    filters.assignee.choices = {"": "Anyone", "me": "Me", "none": "Nobody", "a1": "Sam <Officer> & co"}
    filters.ward.choices = {"": "Any ward", "Ward 1": "Ward 1", "Ward 2": "Ward 2"}
    assign = AssignForm()
    assign.assignee.choices = {"": "Nobody", "a1": "Sam Officer"}
    errored = QueueFilterForm()
    errored.due.errors = ["Select when the next deadline falls"]
    return [
        ("a list with one chosen", filters.ward, {}),
        ("the process list", filters.workflow, {}),
        ("a status list not yet offered", filters.state,
         {"params": {"hint": {"text": "Choose a process first"}, "disabled": True}, "data-statuses": '{"a": ["b"]}'}),
        ("names that need escaping", filters.assignee, {}),
        ("a sort list in another form", filters.sort, {"params": {"attributes": {"form": "queue-filters"}}}),
        ("a list with an error", errored.due, {}),
        ("the assignment list", assign.assignee, {}),
    ]  # fmt: skip


def test_each_of_the_queue_lists_is_drawn_as_the_govuk_macro_draws_it(app: Flask) -> None:
    with app.test_request_context("/officer/cases"):
        for what, field, kwargs in queue_fields():
            library, quick = both(field, **kwargs)
            assert quick == library, what


def test_a_param_it_does_not_draw_is_refused_rather_than_dropped(app: Flask) -> None:
    with app.test_request_context("/officer/cases"), pytest.raises(ValueError, match="formGroup"):
        QueueFilterForm().ward(params={"formGroup": {"classes": "wide"}})


class _Plain(Form):
    size = SelectField("Size", widget=QuickSelect(), choices={"": "Any", "s": "Small"})


def test_a_select_list_renders_through_the_field_as_any_widget_does(app: Flask) -> None:
    with app.test_request_context("/"):
        html = str(_Plain(data={"size": "s"}).size())
    assert '<option value="s" selected>Small</option>' in html
    assert '<label class="govuk-label" for="size">Size</label>' in html
