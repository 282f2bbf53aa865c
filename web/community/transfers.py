"""Groups applying for council buildings and spaces (England: asset transfer; Scotland: a statutory request),
and challenging to run a council service."""

from __future__ import annotations

import uuid

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.queries import dashboard, offers
from casework.services import asset_transfers, challenges
from casework.services import transfer_requests as requests
from casework.vocabulary import Role
from web import auth
from web.auth import require_actor
from web.community import bp
from web.community.transfer_forms import ChallengeForm, LandQuestionForm, TransferApplicationForm, TransferRequestForm
from web.extensions import casework_db
from web.forms import answers, send_to_service


@bp.route("/transfers")
@auth.acting_as(Role.COMMUNITY_MEMBER)
def transfers_list() -> ResponseReturnValue:
    return render_template("community/transfers.html", assets=offers.offered_assets(casework_db()))


@bp.route("/transfers/<uuid:asset_id>", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def apply(asset_id: uuid.UUID) -> ResponseReturnValue:
    """One form for England (an enquiry under the council's policy) and one for Scotland (a request under the Act)."""
    actor = require_actor()
    asset = offers.offered_asset(casework_db(), asset_id)
    groups = {str(g.id): g.name for g in dashboard.my_organisations(casework_db(), actor)}
    scottish = asset.nation == "scotland"
    form: TransferApplicationForm | TransferRequestForm = (
        TransferRequestForm() if scottish else TransferApplicationForm()
    )
    form.group.choices = groups
    if isinstance(form, TransferApplicationForm) and asset.tenures:
        form.tenure_sought.choices = dict(asset.tenures)  # only what the council's policy offers
    if form.validate_on_submit():
        today = london_date(utcnow())
        group = uuid.UUID(form.group.data)
        if isinstance(form, TransferRequestForm):
            data = answers(form, "group", "send")
            result = send_to_service(form, lambda: requests.make_request(
                casework_db(), actor, asset.id, group, {**data, "request_received_on": today}
            ), fallback="send", refused_on="group")  # fmt: skip
        else:
            result = send_to_service(form, lambda: asset_transfers.start_application(
                casework_db(), actor, asset.id, group, enquiry_received_on=today,
                proposed_use=form.proposed_use.data, tenure_sought=form.tenure_sought.data,
            ), fallback="send", refused_on="group")  # fmt: skip
        if result is not None:
            return redirect(url_for("cases.confirmation_page", reference=result.reference))
    return render_template("community/transfer_apply.html", form=form, asset=asset, scottish=scottish, groups=groups)


@bp.route("/transfers/<uuid:asset_id>/question", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def ask_about_land(asset_id: uuid.UUID) -> ResponseReturnValue:
    """Scotland: ask the council about the land first; the request is later made from the same draft."""
    actor = require_actor()
    asset = offers.offered_asset(casework_db(), asset_id)
    if asset.nation != "scotland":
        abort(404)
    groups = {str(g.id): g.name for g in dashboard.my_organisations(casework_db(), actor)}
    form = LandQuestionForm()
    form.group.choices = groups
    if form.validate_on_submit():
        result = send_to_service(form, lambda: requests.ask_about_land(
            casework_db(), actor, asset.id, uuid.UUID(form.group.data), form.information_sought.data
        ), fallback="send", refused_on="group")  # fmt: skip
        if result is not None:
            return redirect(url_for("cases.confirmation_page", reference=result.reference))
    return render_template("community/transfer_question.html", form=form, asset=asset, groups=groups)


@bp.route("/challenges/new", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def challenge() -> ResponseReturnValue:
    """An expression of interest in running a service: first the council, then the service and the details."""
    actor = require_actor()
    today = london_date(utcnow())
    councils = offers.challenge_councils(casework_db(), today)
    code = (request.values.get("council") or "").upper()
    if not code:
        return render_template("community/challenge_council.html", councils=councils)
    if code not in dict(councils):
        abort(404)
    policy_label, services = offers.challenge_services(casework_db(), code, today)
    form = ChallengeForm()
    form.group.choices = {str(g.id): g.name for g in dashboard.my_organisations(casework_db(), actor)}
    form.service.choices = {s.id: f"{s.name} (expressions of interest {s.window})" for s in services}
    if services and form.validate_on_submit():
        data = answers(form, "group", "send")
        result = send_to_service(form, lambda: challenges.express_interest(
            casework_db(), actor, code, uuid.UUID(form.group.data), {**data, "eoi_received_on": today}
        ), fallback="send", refused_on="service")  # fmt: skip
        if result is not None:
            return redirect(url_for("cases.confirmation_page", reference=result.reference))
    return render_template(
        "community/challenge.html", form=form, council=code, council_name=dict(councils)[code],
        policy_label=policy_label, services=services,
    )  # fmt: skip
