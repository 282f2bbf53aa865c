"""Letters to post: the officers' list, downloading letters to print, marking them posted, other steps, and
writing to someone by post."""

from __future__ import annotations

import uuid
from datetime import date
from typing import cast

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError, NotFound
from casework.notifying.letters import posting
from casework.queries.letters import letter_file, letters_file, letters_page, post_choice
from web import auth
from web.auth import STAFF, require_actor
from web.extensions import casework_db
from web.forms import put_errors
from web.officer import bp
from web.officer.letter_forms import ByPostForm, OtherStepForm, PostedForm


def _pdf(data: bytes, filename: str) -> Response:
    return Response(
        data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/letters", methods=["GET", "POST"])
@auth.acting_as(*STAFF)
def letters() -> ResponseReturnValue:
    actor = require_actor()
    page = letters_page(casework_db(), actor, now=utcnow())
    form = PostedForm()
    form.letters.choices = {str(v.id): v.recipient_name for v in page.waiting}
    if request.method == "GET":
        form.posted_on.data = london_date(utcnow())
    elif form.validate_on_submit():
        chosen = [uuid.UUID(i) for i in form.letters.data or []]
        try:
            arrivals = posting.mark_posted(casework_db(), actor, chosen, cast(date, form.posted_on.data))
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"letters": "; ".join(refusal.reasons)}), "letters")
        else:
            count, arrive = (
                ("1 letter", "it arrives") if len(arrivals) == 1 else (f"{len(arrivals)} letters", "they arrive")
            )
            flash(f"{count} recorded as posted. In the ordinary course of post {arrive} on "
                  f"{arrivals[0]:%A %-d %B %Y} (Interpretation Act 1978 s.7).", "success")  # fmt: skip
            return redirect(url_for("officer.letters"))
    return render_template("officer/letters.html", page=page, form=form), 400 if form.errors else 200


@bp.route("/letters/all.pdf")
@auth.acting_as(*STAFF)
def letters_pdf() -> ResponseReturnValue:
    try:
        count, data = letters_file(casework_db(), require_actor())
    except NotFound:
        flash("There are no letters ready to print.")
        return redirect(url_for("officer.letters"))
    return _pdf(data, f"letters-to-post-{london_date(utcnow()):%Y-%m-%d}-{count}.pdf")


@bp.route("/letters/<uuid:letter_id>.pdf")
@auth.acting_as(*STAFF)
def letter_pdf(letter_id: uuid.UUID) -> ResponseReturnValue:
    filename, data = letter_file(casework_db(), require_actor(), letter_id)
    return _pdf(data, filename)


@bp.route("/letters/<uuid:letter_id>/other-step", methods=["GET", "POST"])
@auth.acting_as(*STAFF)
def letter_other_step(letter_id: uuid.UUID) -> ResponseReturnValue:
    actor = require_actor()
    page = letters_page(casework_db(), actor, now=utcnow())
    letter = next((v for v in page.waiting if v.id == letter_id), None)
    if letter is None:
        abort(404)
    form = OtherStepForm()
    if form.validate_on_submit():
        try:
            who = posting.record_other_step(
                casework_db(), actor, letter_id, form.step.data, cast(date, form.taken_on.data)
            )
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"step": "; ".join(refusal.reasons)}), "step")
        else:
            flash(f"The step taken instead of the letter to {who} has been recorded on the case.", "success")
            return redirect(url_for("officer.letters"))
    return render_template("officer/letter_other_step.html", letter=letter, form=form), 400 if form.errors else 200


@bp.route("/deliveries/<uuid:delivery_id>/by-post", methods=["GET", "POST"])
@auth.acting_as(*STAFF)
def send_by_post(delivery_id: uuid.UUID) -> ResponseReturnValue:
    actor = require_actor()
    choice = post_choice(casework_db(), actor, delivery_id)
    form = ByPostForm()
    if request.method == "GET":
        form.name.data = choice.recipient_name
        form.address.data = choice.recipient if choice.channel == "post" else ""
    elif form.validate_on_submit():
        instead = form.instead.data == "instead" and choice.may_replace
        try:
            who = posting.send_by_post(
                casework_db(), actor, delivery_id, form.name.data, form.address.data, instead=instead
            )
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"address": "; ".join(refusal.reasons)}), "address")
        else:
            flash(f"A letter to {who} is being prepared: it will be on the letters to post.", "success")
            return redirect(url_for("officer.case", reference=choice.case_reference))
    return render_template("officer/send_by_post.html", choice=choice, form=form), 400 if form.errors else 200
