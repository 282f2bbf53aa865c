"""The admin's page for postcode centroids: upload Code-Point Open files, so that residents' alerts by postcode
find the places near them."""

from __future__ import annotations

from pathlib import Path

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.file import MultipleFileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput
from wtforms.validators import InputRequired

from casework.postcodes import PostcodeFileProblem
from casework.services import postcodes
from casework.vocabulary import Role
from web import auth
from web.admin import bp
from web.auth import require_actor
from web.extensions import casework_db
from web.forms import GovForm, refuse, submit


class PostcodesForm(GovForm):
    files = MultipleFileField(
        "Code-Point Open files",
        widget=GovFileInput(multiple=True),
        validators=[InputRequired(message="Select one or more Code-Point Open files")],
        description="The CSV file for each postcode area you need (bs.csv, b.csv...), or the whole zip as "
        "downloaded (up to 40 MB)",
    )
    upload = submit("Load the postcodes")


def _page(form: PostcodesForm, status: int = 200, report: postcodes.LoadReport | None = None) -> ResponseReturnValue:
    summary = postcodes.summary(casework_db())
    return render_template("admin/postcodes.html", form=form, summary=summary, report=report), status


@bp.route("/postcodes", methods=["GET", "POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def postcodes_page() -> ResponseReturnValue:
    """Every row of every file is checked first; a wrong row is named with its file and line, and nothing loads."""
    actor = require_actor()
    form = PostcodesForm()
    uploads = [f for f in (form.files.data or []) if f and f.filename]
    if not form.validate_on_submit() or not uploads:
        if form.is_submitted() and not form.files.errors:
            refuse(form, "files", "Select one or more Code-Point Open files")
        return _page(form, 400 if form.errors else 200)
    sources = [(Path(upload.filename or "postcodes.csv").name, upload.read()) for upload in uploads]
    try:
        report = postcodes.load(casework_db(), sources, actor=actor)
    except PostcodeFileProblem as problem:
        refuse(form, "files", str(problem))
        return _page(form, 400)
    if not report.ok:
        count = len(report.problems) + report.more_problems
        refuse(form, "files", f"{count} row{'s' if count != 1 else ''} could not be read, so nothing was loaded")
        return _page(form, 400, report)
    skipped = f"; {report.without_coordinates} without coordinates were left out" if report.without_coordinates else ""
    flash(f"{report.loaded} postcode{'s' if report.loaded != 1 else ''} loaded{skipped}.", "success")
    return redirect(url_for("admin.postcodes_page"))
