"""Between the policy forms and the published document: a version's document as the form's starting values, and
the document a filled-in form describes, in the format JSON import and export use. Rows keep their ids as
published; a new row's id is made from its name, numbered when two would be the same."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from wtforms import Form

from casework.vocabulary import TENURES
from web.admin.policy_forms import ChallengePolicyForm, PolicyForm, TransferPolicyForm, stages


def form_data(workflow: str, document: Mapping[str, Any]) -> dict[str, Any]:
    """A published document as the form's starting values."""
    periods = document.get("periods") or {}
    data: dict[str, Any] = {
        "title": document.get("title", ""),
        "source": document.get("source", ""),
        "example": bool(document.get("example")),
        "periods": {key: dict(periods.get(key) or {"label": label}) for key, label in stages(workflow).items()},
    }
    if workflow == "challenge":
        data["services"] = [_service_data(s) for s in document.get("services") or []] or [{}]
        return data
    rubric = document.get("rubric") or {}
    criteria = [{**c, "weight": Decimal(str(c.get("weight", 0)))} for c in rubric.get("criteria") or []]
    return data | {
        "eoi_checks": list(document.get("eoi_criteria") or []) or [""],
        "eoi_advert": document.get("eoi_advert", "per_asset"),
        "criteria": [{"max_score": 5, **c} for c in criteria] or [{"max_score": 5}],
        "pass_threshold": Decimal(str(rubric.get("pass_threshold", 60))),
        "tenures": list(document.get("tenures") or []),
        "decision_body": document.get("decision_body", ""),
    }


def _service_data(service: Mapping[str, Any]) -> dict[str, Any]:
    data = {"id": service.get("id", ""), "name": service.get("name", "")}
    window = service.get("window") or {}
    for end in ("opens", "closes"):
        if window.get(end):
            month, day = str(window[end]).split("-")
            data |= {f"{end}_day": int(day), f"{end}_month": int(month)}
    return data


def document_from(workflow: str, form: PolicyForm) -> dict[str, Any]:
    """The policy document the form describes, in the published format (the one JSON import and export use)."""
    document: dict[str, Any] = {"title": form.title.data.strip()}
    if form.example.data:
        document["example"] = True
    if (form.source.data or "").strip():
        document["source"] = form.source.data.strip()
    document["periods"] = {
        group.short_name: _period(group.form)
        for group in form.periods.form
        if group.form.length.data is not None  # an optional period left empty is not set
    }
    if isinstance(form, ChallengePolicyForm):
        document["services"] = _services(form)
        return document
    assert isinstance(form, TransferPolicyForm)  # noqa: S101 - form_class makes one or the other
    return document | {
        "eoi_advert": form.eoi_advert.data,
        "eoi_criteria": [text.strip() for text in form.eoi_checks.data if text and text.strip()],
        "rubric": {"pass_threshold": _plain(form.pass_threshold.data), "criteria": _criteria(form)},
        "tenures": [t.id for t in TENURES if t.id in (form.tenures.data or [])],
        "decision_body": form.decision_body.data.strip(),
    }


def _period(group: Form) -> dict[str, Any]:
    period = {"length": group.length.data, "unit": group.unit.data, "label": (group.label.data or "").strip()}
    basis = (group.basis.data or "").strip()
    return period | {"basis": basis} if basis else period


def _criteria(form: TransferPolicyForm) -> list[dict[str, Any]]:
    taken: set[str] = set()
    criteria = []
    for entry in form.criteria:
        row = entry.form
        criterion: dict[str, Any] = {
            "id": _unique(row.id.data or _slug(row.label.data), taken),
            "label": row.label.data.strip(),
            "weight": _plain(row.weight.data),
            "max_score": row.max_score.data,
        }
        if row.gate.data:
            criterion |= {"gate": True, "pass_mark": row.pass_mark.data}
        if (row.guidance.data or "").strip():
            criterion["guidance"] = row.guidance.data.strip()
        criteria.append(criterion)
    return criteria


def _services(form: ChallengePolicyForm) -> list[dict[str, Any]]:
    taken: set[str] = set()
    services = []
    for entry in form.services:
        row = entry.form
        service: dict[str, Any] = {"id": _unique(row.id.data or _slug(row.name.data), taken), "name": row.name.data}
        if row.opens_day.data is not None:
            service["window"] = {
                "opens": f"{row.opens_month.data:02d}-{row.opens_day.data:02d}",
                "closes": f"{row.closes_month.data:02d}-{row.closes_day.data:02d}",
            }
        services.append(service)
    return services


def _plain(number: Decimal | None) -> int | float:
    """A weight or threshold as JSON writes a number: 25, not "25.00"."""
    value = number if number is not None else Decimal(0)
    return int(value) if value == value.to_integral_value() else float(value)


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (text or "").lower()).strip("_")[:50] or "item"


def _unique(wanted: str, taken: set[str]) -> str:
    """A row's id: kept as published, or made from its name, with a number when two would be the same."""
    chosen, number = wanted, 2
    while chosen in taken:
        chosen, number = f"{wanted}_{number}", number + 1
    taken.add(chosen)
    return chosen
