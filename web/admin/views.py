"""Admin pages: staff and roles, neighbours, holidays, reminders, workflow diagrams, register import."""

from __future__ import annotations

import contextlib
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple, cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from casework.actors import Actor
from casework.clock import utcnow
from casework.errors import CaseworkError
from casework.queries.people import council_staff
from casework.services import accounts, councils, holidays, invitations, register_import
from web import auth
from web.admin import bp
from web.admin.forms import (
    ConfirmImportForm,
    HolidayForm,
    ImportForm,
    InviteForm,
    NeighboursForm,
    OffsetsForm,
    OrganisationForm,
)
from web.app_security import CSP
from web.auth import require_actor
from web.extensions import casework_db, settings
from web.forms import put_errors, refuse
from workflows import registry
from workflows.mermaid import to_mermaid
from workflows.roles import Role

ADMIN = Role.COUNCIL_ADMIN


@bp.route("/")
@auth.acting_as(ADMIN)
def index() -> ResponseReturnValue:
    return render_template("admin/index.html")


@bp.route("/users", methods=["GET", "POST"])
@auth.acting_as(ADMIN)
def users() -> ResponseReturnValue:
    actor = require_actor()
    form = InviteForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        try:
            invitations.invite(
                casework_db(), actor, form.email.data, form.name.data, role, base_url=settings().base_url
            )
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"email": "; ".join(refusal.reasons)}), "email")
        else:
            # The same words whether or not the address has an account: nothing here says which.
            flash(
                f"An invitation has been sent to {form.email.data.strip()}. They will have the "
                f"{role.value.replace('_', ' ')} role once they accept it.",
                "success",
            )
            return redirect(url_for("admin.users"))
        return _users_page(actor, form), 400
    return _users_page(actor, form)


def _users_page(actor: Actor, form: InviteForm) -> str:
    return render_template(
        "admin/users.html",
        form=form,
        staff=council_staff(casework_db(), actor),
        invited=invitations.pending(casework_db(), actor),
    )


@bp.route("/users/<uuid:user_id>/roles/<role>/remove", methods=["POST"])
@auth.acting_as(ADMIN)
def remove_role(user_id: uuid.UUID, role: str) -> ResponseReturnValue:
    if role not in {r.value for r in (Role.OFFICER, Role.REVIEWER, Role.COUNCIL_ADMIN)}:
        abort(404)
    try:
        accounts.revoke_role(casework_db(), require_actor(), user_id, Role(role))
        flash("The role has been removed.", "success")
    except CaseworkError as refusal:
        flash("; ".join(refusal.reasons))
    return redirect(url_for("admin.users"))


@bp.route("/settings", methods=["GET", "POST"])
@auth.acting_as(ADMIN)
def council_settings() -> ResponseReturnValue:
    actor = require_actor()
    current = councils.council_settings(casework_db(), actor)
    forms = _SettingsForms(
        neighbours=NeighboursForm(neighbours=list(current.neighbours)),
        holiday=HolidayForm(),
        offsets=OffsetsForm(),
        organisation=OrganisationForm(organisation=current.organisation),
    )
    forms.neighbours.neighbours.choices = dict(current.others)
    timers = [(t.name, t.label, t.reminders) for d in registry.all_definitions() for t in d.timers if t.remind]
    if request.method == "POST":
        failed = _save_settings(actor, forms, timers)
        if failed is None:
            return redirect(url_for("admin.council_settings"))
        return render_template(
            "admin/settings.html", settings=current, timers=timers, form=failed, **forms._asdict()
        ), 400
    return render_template("admin/settings.html", settings=current, timers=timers, **forms._asdict())


class _SettingsForms(NamedTuple):
    neighbours: NeighboursForm
    holiday: HolidayForm
    offsets: OffsetsForm
    organisation: OrganisationForm


def _save_settings(
    actor: Actor, forms: _SettingsForms, timers: list[tuple[str, str, tuple[int, ...]]]
) -> FlaskForm | None:
    """Apply whichever settings form was submitted; return the form with errors, or None when saved."""
    if "save_neighbours" in request.form and forms.neighbours.validate_on_submit():
        councils.set_my_neighbours(casework_db(), actor, list(forms.neighbours.neighbours.data or []))
        flash("Neighbouring councils saved.", "success")
        return None
    if "add_holiday" in request.form:
        return _add_holiday(actor, forms.holiday)
    if "save_offsets" in request.form and forms.offsets.validate_on_submit():
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


def _save_offsets(
    actor: Actor, offsets: OffsetsForm, timers: list[tuple[str, str, tuple[int, ...]]]
) -> FlaskForm | None:
    values: dict[str, list[int]] = {}
    for name, _, _ in timers:
        raw = request.form.get(f"offsets-{name}", "")
        if not re.fullmatch(r"[\d,\s]*", raw):
            refuse(offsets, "save_offsets", f"Reminders for {name} must be numbers of days, like 14, 7, 1")
            return offsets
        values[name] = [int(part) for part in re.split(r"[,\s]+", raw) if part]
    try:
        councils.set_reminder_offsets(casework_db(), actor, values)
    except CaseworkError as refusal:
        refuse(offsets, "save_offsets", *refusal.reasons)
        return offsets
    flash("Reminder days saved. They apply to deadlines set from now on.", "success")
    return None


@bp.route("/settings/holidays/<day>/remove", methods=["POST"])
@auth.acting_as(ADMIN)
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


@bp.route("/workflows")
@auth.acting_as(ADMIN)
def workflows() -> ResponseReturnValue:
    return render_template("admin/workflows.html", definitions=registry.all_definitions())


@bp.route("/workflows/<name>/<int:version>")
@auth.acting_as(ADMIN)
def workflow(name: str, version: int) -> ResponseReturnValue:
    defn = registry.get(name, version)
    return render_template("admin/workflow.html", defn=defn, diagram=to_mermaid(defn))


# Mermaid draws the diagram with inline styles; only this page lets them in (flask-talisman's per-view options).
workflow.talisman_view_options = {  # type: ignore[attr-defined]
    "content_security_policy": {**CSP, "style-src": "'self' 'unsafe-inline'"},
    "content_security_policy_nonce_in": ["script-src"],
}


IMPORT_KEPT = timedelta(hours=24)  # a checked file not loaded within a day is deleted


def _import_path(actor: Actor, upload_id: str) -> Path | None:
    """Where a checked file waits to be loaded: under its council and the admin who checked it, so that
    nobody else can load it (or learn its name). None for an id no check ever gave."""
    if not re.fullmatch(r"[0-9a-f]{32}", upload_id) or actor.council_id is None or actor.user_id is None:
        return None
    return _imports_dir(actor) / f"{upload_id}.csv"


def _imports_dir(actor: Actor) -> Path:
    return Path(settings().upload_dir) / "imports" / str(actor.council_id) / str(actor.user_id)


def _expire_imports(now: datetime) -> None:
    """Delete checked files nobody loaded in time, whoever checked them."""
    for path in (Path(settings().upload_dir) / "imports").glob("*/*/*.csv"):
        with contextlib.suppress(FileNotFoundError):  # another web process got there first
            if now - datetime.fromtimestamp(path.stat().st_mtime, UTC) > IMPORT_KEPT:
                path.unlink()


@bp.route("/import", methods=["GET", "POST"])
@auth.acting_as(ADMIN)
def import_register() -> ResponseReturnValue:
    actor = require_actor()
    form = ImportForm()
    if form.validate_on_submit():
        _expire_imports(utcnow())
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            refuse(form, "file", "The file must be saved as CSV UTF-8")
            return render_template("admin/import.html", form=form, report=None), 400
        code = councils.council_settings(casework_db(), actor).code
        report = register_import.import_register(casework_db(), code, text, dry_run=True)
        if not report.ok:  # nothing to load: keep nothing
            return render_template("admin/import.html", form=form, report=report, confirm=None)
        upload_id = uuid.uuid4().hex
        path = _imports_dir(actor) / f"{upload_id}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return render_template(
            "admin/import.html", form=form, report=report, confirm=ConfirmImportForm(upload_id=upload_id)
        )
    return render_template("admin/import.html", form=form, report=None)


@bp.route("/import/load", methods=["POST"])
@auth.acting_as(ADMIN)
def load_register() -> ResponseReturnValue:
    actor = require_actor()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    path = _import_path(actor, form.upload_id.data or "")  # no id at all is no such import, not a crash
    if path is None or not path.exists():  # loaded already, expired, or checked by someone else: nothing to load
        flash("There is no checked file to load. It may have been loaded already or have expired: check it again")
        return redirect(url_for("admin.import_register"))
    code = councils.council_settings(casework_db(), actor).code
    report = register_import.import_register(casework_db(), code, path.read_text(encoding="utf-8"), actor=actor)
    path.unlink(missing_ok=True)
    if not report.loaded:
        return render_template("admin/import.html", form=ImportForm(), report=report), 400
    flash(f"{len(report.rows)} entries loaded into the register.", "success")
    return redirect(url_for("public.register_list", council=code))
