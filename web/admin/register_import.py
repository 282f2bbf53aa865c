"""Importing a register: upload a file, map its columns and check every row, then the worker loads it.

An upload is kept on disk under its council and admin until it is loaded or a day has passed."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework import clock
from casework.actors import Actor
from casework.clock import utcnow
from casework.errors import NotFound
from casework.register import imports as register_import
from casework.register import jobs as register_jobs
from casework.register.columns import FIELDS, MappingProblem, guess, read_column_csv, write_column_csv
from casework.register.files import FileProblem, Table, decode, read_table
from casework.register.rows import read_register
from casework.services import councils
from casework.vocabulary import Role
from web import auth
from web.admin import bp
from web.admin.forms import ConfirmImportForm, ImportForm, MappingForm
from web.auth import require_actor
from web.extensions import casework_db, settings
from web.forms import refuse

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
@auth.acting_as(Role.COUNCIL_ADMIN)
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
@auth.acting_as(Role.COUNCIL_ADMIN)
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
@auth.acting_as(Role.COUNCIL_ADMIN)
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
@auth.acting_as(Role.COUNCIL_ADMIN)
def import_progress(job_id: uuid.UUID) -> ResponseReturnValue:
    """Step 4: the load's progress; the page asks again every second (import-progress in app.js)."""
    try:
        job = register_jobs.job_status(casework_db(), require_actor(), job_id)
    except NotFound:
        abort(404)
    return render_template("admin/import_progress.html", job=job)


@bp.route("/import/jobs/<uuid:job_id>/status")
@auth.acting_as(Role.COUNCIL_ADMIN)
def import_progress_status(job_id: uuid.UUID) -> ResponseReturnValue:
    try:
        job = register_jobs.job_status(casework_db(), require_actor(), job_id)
    except NotFound:
        abort(404)
    return {"status": job.status, "done": job.done, "total": job.total, "percent": job.percent, "message": job.message}


@bp.route("/import/column.csv")
@auth.acting_as(Role.COUNCIL_ADMIN)
def import_columns() -> ResponseReturnValue:
    """The council's saved mapping as a digital-land column.csv, for the national pipeline or the next import."""
    text = write_column_csv(register_jobs.saved_mapping(casework_db(), require_actor()))
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="column.csv"'})
