"""The council settings page: neighbouring councils, the council's own closure days, reminder days and the
organisation named in its register's national data. One page of several forms: whichever was sent is saved."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple, cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from casework.actors import Actor
from casework.errors import CaseworkError
from casework.services import councils, holidays
from casework.vocabulary import Role
from web import auth
from web.admin import bp
from web.admin.forms import HolidayForm, NeighboursForm, OffsetsForm, OrganisationForm, days_before, offsets_form
from web.auth import require_actor
from web.extensions import casework_db
from web.forms import put_errors, refuse


@bp.route("/settings", methods=["GET", "POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def council_settings() -> ResponseReturnValue:
    actor = require_actor()
    current = councils.council_settings(casework_db(), actor)
    timers = councils.reminder_timers()
    saved = {t.key: ", ".join(map(str, current.reminder_offsets.get(t.key, t.defaults))) for t in timers}
    forms = _SettingsForms(
        neighbours=NeighboursForm(neighbours=list(current.neighbours)),
        holiday=HolidayForm(),
        # Another of the page's forms sent: show the saved days, not the empty fields it did not send.
        offsets=offsets_form(timers)(**({} if "save_offsets" in request.form else {"formdata": None, "data": saved})),
        organisation=OrganisationForm(organisation=current.organisation),
    )
    forms.neighbours.neighbours.choices = dict(current.others)
    processes = [
        (title, [t for t in timers if t.process == title]) for title in dict.fromkeys(t.process for t in timers)
    ]
    page = {"settings": current, "processes": processes, **forms._asdict()}
    if request.method == "POST":
        failed = _save_settings(actor, forms, timers)
        if failed is None:
            return redirect(url_for("admin.council_settings"))
        return render_template("admin/settings.html", form=failed, **page), 400
    return render_template("admin/settings.html", **page)


class _SettingsForms(NamedTuple):
    neighbours: NeighboursForm
    holiday: HolidayForm
    offsets: OffsetsForm
    organisation: OrganisationForm


def _save_settings(actor: Actor, forms: _SettingsForms, timers: list[councils.ReminderTimer]) -> FlaskForm | None:
    """Apply whichever settings form was submitted; return the form with errors, or None when saved."""
    if "save_neighbours" in request.form and forms.neighbours.validate_on_submit():
        councils.set_my_neighbours(casework_db(), actor, list(forms.neighbours.neighbours.data or []))
        flash("Neighbouring councils saved.", "success")
        return None
    if "add_holiday" in request.form:
        return _add_holiday(actor, forms.holiday)
    if "save_offsets" in request.form:
        return _save_offsets(actor, forms.offsets, timers)
    if "save_organisation" in request.form:
        return _save_organisation(actor, forms.organisation)
    abort(400)


def _save_organisation(actor: Actor, form: OrganisationForm) -> FlaskForm | None:
    if not form.validate_on_submit():
        return form
    try:
        written = councils.set_my_organisation(casework_db(), actor, form.organisation.data)
    except CaseworkError as refusal:
        put_errors(form, getattr(refusal, "errors", {}) or {"organisation": "; ".join(refusal.reasons)}, "organisation")
        return form
    flash(f"Organisation saved. Your register's national data names {written}.", "success")
    return None


def _add_holiday(actor: Actor, holiday: HolidayForm) -> FlaskForm | None:
    if not holiday.validate_on_submit() or actor.council_id is None:
        return holiday
    try:
        day = cast(date, holiday.day.data)  # validated above
        moved = holidays.add_holiday(
            casework_db(), actor, actor.council_id, day, holiday.name.data, kind=holiday.kind.data
        )
    except CaseworkError as refusal:
        refuse(holiday, "day", *refusal.reasons)
        return holiday
    flash(f"Holiday added. {len(moved)} pending deadline{'s' if len(moved) != 1 else ''} moved.", "success")
    return None


def _save_offsets(actor: Actor, offsets: OffsetsForm, timers: list[councils.ReminderTimer]) -> FlaskForm | None:
    """Save the days of every timer on the form; a timer whose field was not sent keeps what it had."""
    if not offsets.validate_on_submit():
        return offsets
    sent = {t.key: days_before(offsets[t.key].data) for t in timers if t.key in request.form}
    try:
        councils.set_reminder_offsets(casework_db(), actor, sent)
    except CaseworkError as refusal:
        put_errors(
            offsets, getattr(refusal, "errors", {}) or {"save_offsets": "; ".join(refusal.reasons)}, "save_offsets"
        )
        return offsets
    flash("Reminder days saved. They apply to deadlines set from now on.", "success")
    return None


@bp.route("/settings/holidays/<day>/remove", methods=["POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def remove_holiday(day: str) -> ResponseReturnValue:
    actor = require_actor()
    try:
        when = date.fromisoformat(day)
    except ValueError:
        abort(404)
    if actor.council_id is None:
        abort(403)
    try:
        moved = holidays.remove_holiday(casework_db(), actor, actor.council_id, when)
    except CaseworkError as refusal:  # already removed, perhaps by another admin: say so on the settings page
        flash("; ".join(refusal.reasons))
    else:
        flash(f"Holiday removed. {len(moved)} pending deadline{'s' if len(moved) != 1 else ''} moved back.", "success")
    return redirect(url_for("admin.council_settings"))
