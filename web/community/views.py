"""A group's dashboard, and asking to be treated as a potential bidder."""

from __future__ import annotations

import uuid

from flask import flash, g, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError
from casework.queries import dashboard as queries
from casework.services import moratoria
from casework.vocabulary import Role, WorkflowRefusal
from web import auth
from web.auth import require_actor
from web.community import bp
from web.community.forms import BidForm
from web.extensions import casework_db
from web.forms import refuse


@bp.route("/")
@auth.signed_in
def dashboard() -> ResponseReturnValue:
    """The community start page: it never turns a signed-in person away, it says what to do next.

    Someone acting in another role who belongs to a group acts for their group here (as "Start now" means);
    someone with no group yet is asked to register one, which makes them its first member.
    """
    if g.acting.role is not Role.COMMUNITY_MEMBER:
        member = next((r for r in g.user.roles if r.role is Role.COMMUNITY_MEMBER), None)
        if member is None:
            return render_template("community/no_group.html", owner=g.acting.role is Role.OWNER)
        auth.act_as(member.key)
        flash(f"You are now acting as {member.label}.", "success")
    actor = require_actor()
    return render_template(
        "community/dashboard.html",
        groups=queries.my_organisations(casework_db(), actor),
        cases=queries.group_cases(casework_db(), actor),
    )


@bp.route("/bids/<reference>", methods=["GET", "POST"])
@auth.acting_as(Role.COMMUNITY_MEMBER)
def bid(reference: str) -> ResponseReturnValue:
    """Ask to be treated as a potential bidder: only a community interest group may, and others are told why."""
    actor = require_actor()
    groups = queries.my_organisations(casework_db(), actor)
    cycle = queries.moratorium_for_bid(casework_db(), reference)
    form = BidForm()
    form.group.choices = {str(group.id): group.name for group in groups}
    if form.validate_on_submit():
        try:
            moratoria.record_bidder_request(
                casework_db(), actor, cycle.id, _group_id(form), received_on=london_date(utcnow())
            )
        except (CaseworkError, WorkflowRefusal) as refusal:
            refuse(form, "group", *refusal.reasons)
        else:
            return redirect(url_for("cases.confirmation_page", reference=reference))
    return render_template("community/bid.html", form=form, cycle=cycle)


def _group_id(form: BidForm) -> uuid.UUID:
    return uuid.UUID(form.group.data)
