"""Owners: their land, a notice of intended sale checked before it is sent, exempt disposals and claims."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError
from casework.queries import dashboard as queries
from casework.queries.owner_notice import NoticeCheck, check_notice
from casework.services import compensation, moratoria
from casework.vocabulary import InvalidData, Role, WorkflowRefusal
from web import auth
from web.auth import require_actor
from web.extensions import casework_db
from web.forms import put_errors, refuse, send_to_service
from web.owner import bp
from web.owner.forms import ClaimForm, ExemptForm, NoticeForm


@bp.route("/")
@auth.acting_as(Role.OWNER)
def dashboard() -> ResponseReturnValue:
    actor = require_actor()
    assets, cases = queries.owner_cases(casework_db(), actor)
    return render_template("owner/dashboard.html", assets=assets, cases=cases)


@bp.route("/land/<uuid:asset_id>")
@auth.acting_as(Role.OWNER)
def asset(asset_id: uuid.UUID) -> ResponseReturnValue:
    return render_template("owner/asset.html", asset=queries.owned_asset(casework_db(), require_actor(), asset_id))


@bp.route("/land/<uuid:asset_id>/notice", methods=["GET", "POST"])
@auth.acting_as(Role.OWNER)
def notice(asset_id: uuid.UUID) -> ResponseReturnValue:
    """Check the intended sale against s.95-96 and Sch.3 first, showing the dates; then send the notice.

    While the protected period of an earlier notice runs, no new notice can start a moratorium (s.95(4)):
    the page says so, and until when, instead of offering a notice the council would refuse.
    """
    actor = require_actor()
    owned = queries.owned_asset(casework_db(), actor, asset_id)
    today = london_date(utcnow())
    running = owned.protected_period_on(today)
    if running is not None:
        return render_template("owner/notice_running.html", asset=owned, cycle=running)
    form = NoticeForm()
    check = None
    if form.validate_on_submit():
        check = _check(form, today)
        if form.stage.data == "send" and check.moratorium_applies:
            reference = _send_notice(form, check, asset_id, today)
            if reference is not None:
                return redirect(url_for("cases.confirmation_page", reference=reference))
    return render_template("owner/notice.html", form=form, asset=owned, check=check, exempt=ExemptForm())


def _check(form: NoticeForm, today: date) -> NoticeCheck:
    """What applies to the disposal the form describes, were the notice received today."""
    return check_notice(
        form.disposal_type.data,
        vacant_possession=form.vacant_possession.data == "yes",
        lease_years=form.lease_years.data,
        exemptions=form.exemptions.data or (),
        listed_before_obligation=form.listed_before_obligation.data == "yes",
        received_on=today,
    )


def _send_notice(form: NoticeForm, check: NoticeCheck, asset_id: uuid.UUID, today: date) -> str | None:
    """Send the checked notice; its case's reference, or None with the refusal put on the form."""
    try:
        result = moratoria.record_owner_notice(
            casework_db(),
            require_actor(),
            asset_id,
            received_on=today,
            notice_method="portal",
            disposal_type=check.notice_disposal_type,
            vacant_possession=form.vacant_possession.data == "yes",
        )
    except (CaseworkError, WorkflowRefusal) as refusal:
        refuse(form, "check", *refusal.reasons)
        return None
    return result.reference


@bp.route("/land/<uuid:asset_id>/exempt-disposal", methods=["POST"])
@auth.acting_as(Role.OWNER)
def exempt_disposal(asset_id: uuid.UUID) -> ResponseReturnValue:
    actor = require_actor()
    owned = queries.owned_asset(casework_db(), actor, asset_id)
    form = ExemptForm()
    if form.validate_on_submit():
        try:
            moratoria.record_exempt_disposal(
                casework_db(),
                actor,
                asset_id,
                disposal_entered_on=cast(date, form.disposal_entered_on.data),
                exemption=form.exemption.data,
                details=form.details.data,
                right_granted_on=form.right_granted_on.data,
            )
        except InvalidData as invalid:
            put_errors(
                form, {("details" if k == "disposal_details" else k): v for k, v in invalid.errors.items()}, "details"
            )
        except (CaseworkError, WorkflowRefusal) as refusal:
            refuse(form, "record", *refusal.reasons)
        else:
            flash("The exempt disposal has been recorded. The land stays listed.", "success")
            return redirect(url_for("owner.asset", asset_id=asset_id))
    return render_template("owner/exempt.html", form=form, asset=owned), 400


@bp.route("/land/<uuid:asset_id>/claim", methods=["GET", "POST"])
@auth.acting_as(Role.OWNER)
def claim(asset_id: uuid.UUID) -> ResponseReturnValue:
    actor = require_actor()
    owned = queries.owned_asset(casework_db(), actor, asset_id)
    form = ClaimForm()
    if form.validate_on_submit():
        result = send_to_service(form, lambda: compensation.submit_claim(
            casework_db(), actor, asset_id, claim_received_on=london_date(utcnow()),
            loss_ended_on=cast(date, form.loss_ended_on.data), amount_claimed=form.amount_claimed.data,
            claim_parts=form.claim_parts.data, claimant_is_public_body=form.public_body.data == "yes",
        ), fallback="send", refused_on="send")  # fmt: skip
        if result is not None:
            return redirect(url_for("cases.confirmation_page", reference=result.reference))
    return render_template("owner/claim.html", form=form, asset=owned)
