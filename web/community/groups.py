"""A group's profile: the questions the eligibility rules ask (STATUTE.md §2.2, §3.1) and its evidence."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework.errors import CaseworkError
from casework.queries import groups as group_queries
from casework.queries import register
from casework.services import organisations
from casework.services.organisations import OrganisationDetails
from casework.vocabulary import BodyType, Role
from web import auth
from web.auth import require_actor
from web.community import bp
from web.community.forms import GroupForm, UploadForm
from web.extensions import casework_db
from web.forms import put_errors
from web.uploads import store_upload


def _councils() -> list[tuple[str, str]]:
    return list(register.search(casework_db(), register.RegisterFilters()).councils)


def _choices(form: GroupForm) -> None:
    councils = dict(_councils())
    form.council.choices = councils
    form.employer.choices = {"": "Not a group of employees", **councils}


def _details(form: GroupForm) -> OrganisationDetails:
    kind = BodyType(form.body_type.data)
    number = (form.registration_number.data or "").strip() or None
    local = [form.council.data] if form.activity_local.data == "yes" else []
    return OrganisationDetails(
        name=form.name.data,
        body_type=kind,
        charity_number=number if kind is BodyType.CHARITY else None,
        company_number=number
        if kind in (BodyType.COMPANY_LIMITED_BY_GUARANTEE, BodyType.COMMUNITY_INTEREST_COMPANY)
        else None,
        society_number=number if kind is BodyType.CO_OPERATIVE_OR_COMMUNITY_BENEFIT_SOCIETY else None,
        distributes_surplus=form.distributes_surplus.data == "yes",
        is_credit_union=form.is_credit_union.data == "yes",
        is_public_authority=form.is_public_authority.data == "yes" or kind is BodyType.PARISH_COUNCIL,
        individual_members=form.individual_members.data or 0,
        local_elector_members=form.local_elector_members.data or 0,
        activity_areas=tuple(local),
        surplus_areas=tuple([form.council.data] if form.surplus_local.data == "yes" else []),
        parish=(form.parish.data or "").strip() or None,
        adjoining_parishes=tuple(p.strip() for p in (form.adjoining_parishes.data or "").split(",") if p.strip()),
        parish_councils=tuple([form.council.data] if kind is BodyType.PARISH_COUNCIL else []),
        local_connection_evidence=form.local_connection_evidence.data or None,
        email=form.email.data,
        address=form.address.data or None,
        details={
            "charitable_purposes_only": _answer(form.charitable_purposes_only.data),
            "primarily_for_community_benefit": _answer(form.community_benefit.data),
            "employer": form.employer.data or None,
            "constitution": dict.fromkeys(form.constitution.data or [], True),
        },
    )


def _answer(data: str | None) -> bool | None:
    """A yes/no answer, or None when the question was left unanswered: kept as "not answered", never as "no"."""
    return {"yes": True, "no": False}.get(data or "")


@bp.route("/groups/new", methods=["GET", "POST"])
@auth.signed_in
def new_group() -> ResponseReturnValue:
    form = GroupForm()
    _choices(form)
    if form.validate_on_submit():
        council_id = group_queries.council_id(casework_db(), form.council.data)
        try:
            group_id = organisations.register_organisation(casework_db(), council_id, _details(form), founder=g.user.id)
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"name": "; ".join(refusal.reasons)}), "name")
        else:
            auth.act_as(f"{Role.COMMUNITY_MEMBER.value}:", reload=True)
            profile = group_queries.profile(casework_db(), require_actor(), group_id)
            flash(_registered(profile.vcb.ok and profile.local.ok), "success")
            return redirect(url_for("community.group", group_id=group_id))
    return render_template("community/group_form.html", form=form, title="Register your group")


def _registered(may_nominate: bool) -> str:
    """The banner agrees with the checks shown under it: it promises nominations only when they pass."""
    if may_nominate:
        return "Your group has been registered. You can now nominate land for it."
    return "Your group has been registered. Before it can nominate land, it must meet the conditions listed as missing."


@bp.route("/groups/<uuid:group_id>", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def group(group_id: uuid.UUID) -> ResponseReturnValue:
    actor = require_actor()
    profile = group_queries.profile(casework_db(), actor, group_id)
    form = GroupForm(data=profile.form_data) if request.method == "GET" else GroupForm()
    _choices(form)
    if form.validate_on_submit():
        try:
            organisations.update_organisation(casework_db(), actor, group_id, _details(form))
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"name": "; ".join(refusal.reasons)}), "name")
        else:
            flash("The group's details have been saved.", "success")
            return redirect(url_for("community.group", group_id=group_id))
    upload = UploadForm()
    return render_template("community/group.html", form=form, details=form, profile=profile, upload=upload)


@bp.route("/groups/<uuid:group_id>/evidence", methods=["POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def upload_evidence(group_id: uuid.UUID) -> ResponseReturnValue:
    actor = require_actor()
    form = UploadForm()
    if store_upload(form, actor, fallback_name="evidence", organisation_id=group_id):
        flash("The file has been uploaded.", "success")
        return redirect(url_for("community.group", group_id=group_id))
    profile = group_queries.profile(casework_db(), actor, group_id)
    details = GroupForm(formdata=None, data=profile.form_data)
    details.council.choices = dict(_councils())
    return render_template("community/group.html", form=form, details=details, profile=profile, upload=form), 400
