"""GOV.UK select lists drawn in Python, for the work queue whose eight lists are drawn on every request.

`GovSelect` renders each list through its own Jinja template (`render_template`, the context
processors, then the `govukSelect` macro with its attribute macro once per option): on the work
queue at 10^6 cases that was 5.6 of the page's 18.5 ms (bench B4-GET queue). `QuickSelect` keeps
GovSelect's mapping of the field to the macro's params (its public `map_gov_params`) and replaces
only its `render` step, writing the markup govuk-frontend 5's select template writes for the params
used here. `tests/unit/test_quick_select.py` compares the two, element by element, for every field
of the queue's forms; params this module does not draw are refused rather than dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govuk_frontend_wtf.wtforms_widgets import GovSelect
from markupsafe import Markup

# The params GovSelect builds, and the ones the queue's template passes in (`params=`).
DRAWN = frozenset({"id", "name", "label", "hint", "errorMessage", "attributes", "items", "classes", "disabled"})


class QuickSelect(GovSelect):
    """A GOV.UK select list, as `GovSelect` draws it, without a template per field."""

    def render(self, params: dict[str, Any]) -> Markup:
        return select_markup(params)


def select_markup(params: Mapping[str, Any]) -> Markup:
    """The form group of label, hint, error message and select that the `govukSelect` macro writes."""
    undrawn = {key for key, value in params.items() if value} - DRAWN
    if undrawn:
        raise ValueError(f"QuickSelect does not draw {', '.join(sorted(undrawn))}: use GovSelect for this field")
    field_id = params.get("id") or params["name"]
    hint, error = params.get("hint"), params.get("errorMessage")
    described = [f"{field_id}-{part}" for part, given in (("hint", hint), ("error", error)) if given]
    group = "govuk-form-group govuk-form-group--error" if error else "govuk-form-group"
    parts = [
        Markup('<div class="{}"><label class="govuk-label" for="{}">{}</label>').format(
            group, field_id, params["label"]["text"]
        )
    ]
    if hint:
        parts.append(Markup('<div id="{}-hint" class="govuk-hint">{}</div>').format(field_id, hint["text"]))
    if error:
        parts.append(
            Markup(
                '<p id="{}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {}</p>'
            ).format(field_id, error["text"])
        )
    classes = " ".join(filter(None, ("govuk-select", params.get("classes"), "govuk-select--error" if error else "")))
    parts.append(Markup('<select class="{}" id="{}" name="{}"').format(classes, field_id, params["name"]))
    if params.get("disabled"):
        parts.append(Markup(" disabled"))
    if described:
        parts.append(Markup(' aria-describedby="{}"').format(" ".join(described)))
    parts.extend(_attributes(params.get("attributes") or {}))
    parts.append(Markup(">"))
    parts.extend(
        Markup('<option value="{}"{}>{}</option>').format(
            item["value"], Markup(" selected") if item.get("selected") else "", item["text"]
        )
        for item in params.get("items") or ()
    )
    parts.append(Markup("</select></div>"))
    return Markup("").join(parts)


def _attributes(attributes: Mapping[str, Any]) -> list[Markup]:
    """Attributes as govukAttributes writes them from a mapping: `name="value"`, a bare name for True, none for
    False or None."""
    return [
        Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value)
        for name, value in attributes.items()
        if value is not False and value is not None
    ]
