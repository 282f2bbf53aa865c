"""The policy forms while an admin works on them: rows added and removed by buttons that post the form (no
JavaScript needed), and every problem, the form's own and the policy's, named and put beside its field."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from werkzeug.datastructures import MultiDict
from wtforms import Field, FieldList, Form, FormField

from web.admin.policy_forms import ROW, ROWS, PolicyForm
from web.forms import GovDateField

# Adding and removing rows ------------------------------------------------------------------------------------


def changed_rows(form: PolicyForm, sent: MultiDict[str, str]) -> PolicyForm | None:
    """The form again with a row added or removed, when "Add another" or "Remove" was pressed; else None.

    Nothing is checked or published: the admin is still writing. Removing renumbers the rows after it, so the
    form reads as if the row had never been there.
    """
    for name in ROWS:
        if f"add_{_one(name)}" in sent and hasattr(form, name):
            rows: FieldList = getattr(form, name)
            if len(rows) < (rows.max_entries or 100):
                rows.append_entry({"max_score": 5} if name == "criteria" else None)
            return form
        removed = sent.get(f"remove_{_one(name)}")
        if removed is not None and removed.isdigit() and hasattr(form, name):
            return type(form)(formdata=_without_row(sent, name, int(removed)))
    return None


def _one(name: str) -> str:
    return {"eoi_checks": "eoi_check", "criteria": "criterion", "services": "service"}[name]


def _without_row(sent: MultiDict[str, str], name: str, index: int) -> MultiDict[str, str]:
    row = re.compile(rf"^{name}-(\d+)(.*)$")
    kept: MultiDict[str, str] = MultiDict()
    for key, value in sent.items(multi=True):
        found = row.match(key)
        if key.startswith("remove_"):
            continue
        if found is None:
            kept.add(key, value)
        elif int(found.group(1)) != index:
            number = int(found.group(1))
            kept.add(f"{name}-{number - 1 if number > index else number}{found.group(2)}", value)
    if not any(row.match(key) for key in kept):  # removing the last row leaves one empty row to fill in
        kept.add(f"{name}-0" if name == "eoi_checks" else f"{name}-0-{'label' if name == 'criteria' else 'name'}", "")
    return kept


# Errors ------------------------------------------------------------------------------------------------------


def name_rows(form: PolicyForm) -> None:
    """Say which row each row's error is about ("Enter the weight of criterion 3"), and which stage."""
    for name, noun in ROWS.items():
        for index, entry in enumerate(getattr(form, name, ())):
            which = f"{noun} {index + 1}"
            for field in entry.form if isinstance(entry, FormField) else (entry,):
                field.errors = [_named(message, which) for message in field.errors]
    for group in form.periods.form:
        which = f"the stage \u201c{group.form.label.data or group.short_name.replace('_', ' ')}\u201d"
        for field in group.form:
            field.errors = [_named(message, which) for message in field.errors]


def _named(message: str, which: str) -> str:
    named = message.replace(ROW, which)
    return named[0].upper() + named[1:]


PAGE_ORDER = (
    "title", "source", "example", "periods", "eoi_advert", "eoi_checks", "criteria", "pass_threshold", "tenures",
    "decision_body", "services", "effective_from",
)  # fmt: skip


def fields(form: Form) -> Iterator[Field]:
    """Every field of the form, rows and groups included, in the order the page shows them."""
    top = {field.short_name: field for field in form}
    shown = [top[name] for name in PAGE_ORDER if name in top] if isinstance(form, PolicyForm) else list(form)
    for field in shown:
        if isinstance(field, FormField):
            yield from fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field:
                yield from fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


def error_list(form: PolicyForm) -> list[dict[str, str]]:
    """The error summary's items: each field's first error, linking to the field."""
    return [{"text": field.errors[0], "href": f"#{_target(field)}"} for field in fields(form) if field.errors]


def _target(field: Field) -> str:
    """Where a field's error link goes: its input (the first box of a date, the first of several checkboxes)."""
    if isinstance(field, GovDateField):
        return f"{field.name}-day"
    return str(field.id)


def put_problems(form: PolicyForm, errors: Mapping[str, str]) -> None:
    """Put the policy's problems (by place in the document: `rubric.criteria.2.weight`) beside their fields."""
    for path, message in errors.items():
        field = _field_at(form, path) or form.title
        field.errors = [*field.errors, message]


_PLACES = (
    (re.compile(r"^periods\.(\w+)(?:\.(\w+))?$"), lambda f, m: _in_group(f.periods.form, m[1], m[2] or "length")),
    (re.compile(r"^rubric\.criteria(?:\.(\d+)(?:\.(\w+))?)?$"), lambda f, m: _in_rows(f, "criteria", m[1], m[2])),
    (re.compile(r"^services(?:\.(\d+)(?:\.(\w+))?)?$"), lambda f, m: _in_rows(f, "services", m[1], m[2])),
    (re.compile(r"^eoi_criteria"), lambda f, m: f.eoi_checks[0] if hasattr(f, "eoi_checks") else None),
    (re.compile(r"^rubric\.pass_threshold$"), lambda f, m: getattr(f, "pass_threshold", None)),
)


def _field_at(form: PolicyForm, path: str) -> Field | None:
    for pattern, find in _PLACES:
        if found := pattern.match(path):
            return find(form, found)
    return next((field for field in form if field.short_name == path), None)


def _in_group(group: Form, key: str, name: str) -> Field | None:
    stage = group[key] if key in group else next(iter(group))  # an unknown period: on the first stage
    return getattr(stage.form, name, None) or stage.form.length


def _in_rows(form: PolicyForm, name: str, index: str | None, field: str | None) -> Field | None:
    rows = getattr(form, name, None)
    if rows is None or not len(rows):
        return None
    entry = rows[int(index)] if index is not None and int(index) < len(rows) else rows[0]
    first = "label" if name == "criteria" else "name"
    return getattr(entry.form, field or first, None) or getattr(entry.form, first)
