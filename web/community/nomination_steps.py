"""The nomination's question pages as data: for each step, its title and form, how the saved draft fills the
form in, and how the answers sent change the draft. The views run any step the same way from this list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from flask import abort
from flask_wtf import FlaskForm

from casework.assets import PartyDetails
from casework.services.nominations import Nomination
from casework.vocabulary import LandAnswers
from web.community.nomination_forms import (
    AssetStepForm,
    EvidenceStepForm,
    LandStepForm,
    ListabilityStepForm,
    PeopleStepForm,
    ReasonsStepForm,
)


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form: type[FlaskForm]
    load: Callable[[Nomination], dict[str, Any]]
    save: Callable[[FlaskForm, Nomination], Nomination]


def _csv(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _point(text: str | None) -> str | None:
    parts = _csv(text)
    if len(parts) != 2:
        return None
    try:
        latitude, longitude = float(parts[0]), float(parts[1])
    except ValueError:
        return None
    return f"POINT ({longitude} {latitude})"


def _latitude_longitude(point: str | None) -> str:
    if not point:
        return ""
    longitude, latitude = point.removeprefix("POINT (").rstrip(")").split()
    return f"{latitude}, {longitude}"


def _save_asset(form: FlaskForm, n: Nomination) -> Nomination:
    asset = replace(
        n.asset,
        name=form.name.data,
        address=form.address.data,
        postcode=form.postcode.data or None,
        uprn=form.uprn.data or None,
        category=form.category.data,
        ward=form.ward.data or None,
        parishes=_csv(form.parishes.data),
    )
    return replace(n, asset=asset)


def _save_land(form: FlaskForm, n: Nomination) -> Nomination:
    asset = replace(n.asset, point=_point(form.latitude_longitude.data), boundary=form.boundary.data or None)
    return replace(n, boundary_description=form.boundary_description.data, asset=asset)


def _save_people(form: FlaskForm, n: Nomination) -> Nomination:
    owners = (PartyDetails("owner", "Owner", None, form.owner_email.data),) if form.owner_email.data else ()
    return replace(n, occupants=form.occupants.data, ownership=form.ownership.data, owners=owners)


def _save_listability(form: FlaskForm, n: Nomination) -> Nomination:
    answers = LandAnswers(
        residence=form.residence.data == "yes",
        residence_partly_other_use=form.residence_partly.data == "yes",
        caravan_site=form.caravan_site.data == "yes",
        operational_land=form.operational_land.data == "yes",
    )
    return replace(n, land=answers, land_answered=True)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _load_asset(n: Nomination) -> dict[str, Any]:
    """The place as saved; its kind only once the page has been answered (a new draft's "other" is a default,
    not the group's choice)."""
    answered = bool(n.asset.name)
    return {"name": n.asset.name, "address": n.asset.address, "postcode": n.asset.postcode, "uprn": n.asset.uprn,
            "category": n.asset.category if answered else None, "ward": n.asset.ward,
            "parishes": ", ".join(n.asset.parishes)}  # fmt: skip


def _load_listability(n: Nomination) -> dict[str, Any]:
    if not n.land_answered:
        return {}
    land = n.land
    return {"residence": _yes(land.residence), "residence_partly": _yes(land.residence_partly_other_use),
            "caravan_site": _yes(land.caravan_site), "operational_land": _yes(land.operational_land)}  # fmt: skip


STEPS = [
    Step("asset", "About the place", AssetStepForm, _load_asset, _save_asset),
    Step("land", "The land and its boundaries", LandStepForm,
         lambda n: {"boundary_description": n.boundary_description,
                    "latitude_longitude": _latitude_longitude(n.asset.point), "boundary": n.asset.boundary or ""},
         _save_land),
    Step("people", "Who uses and owns it", PeopleStepForm,
         lambda n: {"occupants": n.occupants, "ownership": n.ownership,
                    "owner_email": n.owners[0].email if n.owners else ""}, _save_people),
    Step("reasons", "Why it matters to the community", ReasonsStepForm, lambda n: {"reasons": n.reasons},
         lambda f, n: replace(n, reasons=f.reasons.data)),
    Step("evidence", "Why your group can nominate", EvidenceStepForm,
         lambda n: {"eligibility_evidence": n.eligibility_evidence},
         lambda f, n: replace(n, eligibility_evidence=f.eligibility_evidence.data)),
    Step("listability", "Land that cannot be listed", ListabilityStepForm, _load_listability, _save_listability),
]  # fmt: skip
STEP_NAMES = [step.name for step in STEPS]


def step_named(name: str) -> Step:
    """The step called `name`; a 404 for a name no step has (the step is part of the page's address)."""
    for step in STEPS:
        if step.name == name:
            return step
    abort(404)
