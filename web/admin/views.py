"""Admin pages: staff and roles, neighbours, holidays, reminders, workflow diagrams, register import."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple, cast

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from casework import clock
from casework.actors import Actor
from casework.clock import utcnow
from casework.errors import CaseworkError, NotFound
from casework.queries import definitions
from casework.queries.people import council_staff
from casework.register import imports as register_import
from casework.register import jobs as register_jobs
from casework.register.columns import FIELDS, MappingProblem, guess, read_column_csv, write_column_csv
from casework.register.files import FileProblem, Table, decode, read_table
from casework.register.rows import read_register
from casework.services import accounts, councils, holidays, invitations
from casework.vocabulary import Role
from web import auth
from web.admin import bp
from web.admin.forms import (
    ConfirmImportForm,
    HolidayForm,
    ImportForm,
    InviteForm,
    MappingForm,
    NeighboursForm,
    OffsetsForm,
    OrganisationForm,
    days_before,
    offsets_form,
)
from web.app_security import CSP
from web.auth import require_actor
from web.extensions import casework_db, settings
from web.forms import put_errors, refuse

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
    return render_template("admin/workflows.html", definitions=definitions.all_definitions())


@bp.route("/workflows/<name>/<int:version>")
@auth.acting_as(ADMIN)
def workflow(name: str, version: int) -> ResponseReturnValue:
    drawn = definitions.drawn(name, version)
    return render_template("admin/workflow.html", defn=drawn.definition, diagram=drawn.diagram)


# Mermaid draws the diagram with inline styles; only this page lets them in (flask-talisman's per-view options).
workflow.talisman_view_options = {  # type: ignore[attr-defined]
    "content_security_policy": {**CSP, "style-src": "'self' 'unsafe-inline'"},
    "content_security_policy_nonce_in": ["script-src"],
}


IMPORT_KEPT = timedelta(hours=24)  # an uploaded file not loaded within a day is deleted
PREVIEW_ROWS = 5


@dataclass
class _Upload:
    """A register an admin uploaded and is mapping and checking: kept under its council and the admin who
    uploaded it, so that nobody else can load it (or learn its name)."""

    path: Path
    filename: str
    mapping: dict[str, str | None]
    checked: int | None = None  # listings the file makes, once checked with this mapping and found valid

    @property
    def sidecar(self) -> Path:
        return self.path.with_suffix(".json")

    def save(self) -> None:
        record = {"filename": self.filename, "mapping": self.mapping, "checked": self.checked}
        self.sidecar.write_text(json.dumps(record), encoding="utf-8")

    def table(self) -> Table:
        return read_table(self.path.read_bytes(), self.filename)


def _imports_dir(actor: Actor) -> Path:
    return Path(settings().upload_dir) / "imports" / str(actor.council_id) / str(actor.user_id)


def _upload(actor: Actor, upload_id: str) -> _Upload | None:
    """The upload `upload_id` of this admin; None for an id no upload gave them, or one loaded or expired."""
    if not re.fullmatch(r"[0-9a-f]{32}", upload_id) or actor.council_id is None or actor.user_id is None:
        return None
    sidecar = _imports_dir(actor) / f"{upload_id}.json"
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = next((p for p in sidecar.parent.glob(f"{upload_id}.*") if p.suffix != ".json"), None)
    if path is None:
        return None
    return _Upload(path, str(record["filename"]), dict(record["mapping"]), record.get("checked"))


def _expire_imports(now: datetime) -> None:
    """Delete uploaded files nobody loaded in time, whoever uploaded them."""
    for path in (Path(settings().upload_dir) / "imports").glob("*/*/*"):
        with contextlib.suppress(FileNotFoundError):  # another web process got there first
            if now - datetime.fromtimestamp(path.stat().st_mtime, UTC) > IMPORT_KEPT:
                path.unlink()


@bp.route("/import", methods=["GET", "POST"])
@auth.acting_as(ADMIN)
def import_register() -> ResponseReturnValue:
    """Step 1: the register file, and the council's column.csv if it has one."""
    actor = require_actor()
    form = ImportForm()
    saved = register_jobs.saved_mapping(casework_db(), actor)
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("admin/import.html", form=form, saved=saved), status
    _expire_imports(utcnow())
    filename = Path(form.file.data.filename or "register.csv").name
    data = form.file.data.read()
    try:
        table = read_table(data, filename)
    except FileProblem as problem:
        refuse(form, "file", str(problem))
        return render_template("admin/import.html", form=form, saved=saved), 400
    given: dict[str, str] = {}
    if form.columns.data:
        try:
            given = read_column_csv(decode(form.columns.data.read())[0])
        except (FileProblem, MappingProblem) as problem:
            refuse(form, "columns", f"The mapping file: {problem}")
            return render_template("admin/import.html", form=form, saved=saved), 400
    upload_id = uuid.uuid4().hex
    folder = _imports_dir(actor)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{upload_id}{Path(filename).suffix.lower() or '.csv'}"
    path.write_bytes(data)
    _Upload(path, filename, guess(table.headers, given, saved)).save()
    return redirect(url_for("admin.import_mapping", upload_id=upload_id))


@bp.route("/import/<upload_id>", methods=["GET", "POST"])
@auth.acting_as(ADMIN)
def import_mapping(upload_id: str) -> ResponseReturnValue:
    """Step 2: each header and the field it maps to, the first rows as they will load; then check every row."""
    actor = require_actor()
    upload = _upload(actor, upload_id)
    if upload is None:
        flash("There is no uploaded file to check. It may have been loaded already or have expired: upload it again")
        return redirect(url_for("admin.import_register"))
    try:
        table = upload.table()
    except FileProblem:  # read once already, at upload: only a file changed on disk gets here
        abort(404)
    form = MappingForm(upload_id=upload_id)
    report = None
    if form.validate_on_submit():
        chosen = {header: request.form.get(f"field-{index}") or None for index, header in enumerate(table.headers)}
        upload.mapping = {header: field if field in FIELDS else None for header, field in chosen.items()}
        code = councils.council_settings(casework_db(), actor).code
        report = register_import.import_register(casework_db(), code, table, mapping=upload.mapping, dry_run=True)
        upload.checked = report.listings if report.ok else None
        upload.save()
    preview, problems = read_register(
        Table(table.headers, table.rows[:PREVIEW_ROWS]), upload.mapping, today=clock.london_date(utcnow())
    )
    return render_template(
        "admin/import_mapping.html",
        form=form,
        upload=upload,
        headers=list(enumerate(table.headers)),
        samples=[record for _, record in itertools.islice(table.records(), PREVIEW_ROWS)],
        fields=FIELDS,
        preview=preview,
        mapping_problems=problems,
        report=report,
        row_count=len(table.rows),
        confirm=ConfirmImportForm(upload_id=upload_id) if report is not None and report.ok else None,
    ), 400 if report is not None and not report.ok else 200


@bp.route("/import/load", methods=["POST"])
@auth.acting_as(ADMIN)
def load_register() -> ResponseReturnValue:
    """Step 3: keep the confirmed mapping for next time and hand the checked file to the worker."""
    actor = require_actor()
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    upload = _upload(actor, form.upload_id.data or "")  # no id at all is no such upload, not a crash
    if upload is None or upload.checked is None:  # loaded already, expired, unchecked, or someone else's
        flash("There is no checked file to load. It may have been loaded already or have expired: check it again")
        return redirect(url_for("admin.import_register"))
    register_jobs.save_mapping(casework_db(), actor, upload.mapping)
    job_id = register_jobs.queue_import(
        casework_db(), actor, upload.path, upload.filename, upload.mapping, upload.checked
    )
    upload.sidecar.unlink(missing_ok=True)  # the worker has the file now; it cannot be loaded twice
    return redirect(url_for("admin.import_progress", job_id=job_id))


@bp.route("/import/jobs/<uuid:job_id>")
@auth.acting_as(ADMIN)
def import_progress(job_id: uuid.UUID) -> ResponseReturnValue:
    """Step 4: the load's progress; the page asks again every second (import-progress in app.js)."""
    try:
        job = register_jobs.job_status(casework_db(), require_actor(), job_id)
    except NotFound:
        abort(404)
    return render_template("admin/import_progress.html", job=job)


@bp.route("/import/jobs/<uuid:job_id>/status")
@auth.acting_as(ADMIN)
def import_progress_status(job_id: uuid.UUID) -> ResponseReturnValue:
    try:
        job = register_jobs.job_status(casework_db(), require_actor(), job_id)
    except NotFound:
        abort(404)
    return {"status": job.status, "done": job.done, "total": job.total, "percent": job.percent, "message": job.message}


@bp.route("/import/column.csv")
@auth.acting_as(ADMIN)
def import_columns() -> ResponseReturnValue:
    """The council's saved mapping as a digital-land column.csv, for the national pipeline or the next import."""
    text = write_column_csv(register_jobs.saved_mapping(casework_db(), require_actor()))
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="column.csv"'})
