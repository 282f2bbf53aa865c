"""The start page, the register, one page per entry, the date calculator and alerts."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from typing import cast
from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import text

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError
from casework.queries import register
from casework.services import alerts, documents
from web.auth import current_actor
from web.branding import show_council
from web.extensions import casework_db, csrf, storage
from web.forms import put_errors
from web.public import bp
from web.public.forms import AlertForm, CalculatorForm, RegisterSearchForm
from workflows import periods

CALCULATIONS = {
    "owners_notice": ("moratorium.interim", "moratorium.full", "moratorium.protected"),
    "nomination": ("acv.nomination_decision",),
    "listing": ("acv.listing_expiry",),
    "inclusion_notice": ("acv.review_request",),
    "review_request": ("acv.review_decision",),
    "review_decision": ("acv.tribunal_appeal",),
    "loss_ended": ("compensation.claim",),
}


TOO_LATE = "Enter an earlier date: the periods it starts would end after the year 9999"


@bp.route("/")
def home() -> ResponseReturnValue:
    return render_template("public/home.html")


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    with casework_db().reader() as session:
        session.execute(text("SELECT 1"))
    return Response("ok", mimetype="text/plain")


@bp.route("/register")
def register_list() -> ResponseReturnValue:
    form = RegisterSearchForm(request.args)
    filters = register.RegisterFilters(
        council=request.args.get("council") or None,
        q=(request.args.get("q") or "").strip() or None,
        list_kind=_one_of("list_kind", ("listed", "unsuccessful")),
        status=_one_of("status", ("current", "ended", "all")),
        category=request.args.get("category") or None,
        ward=request.args.get("ward") or None,
        page=_page_number(),
    )
    page = register.search(casework_db(), filters)
    form.council.choices = dict([("", "All councils"), *page.councils])
    form.ward.choices = dict([("", "Any ward"), *((w, w) for w in page.wards)])
    form.validate()
    return render_template("public/register.html", form=form, page=page, filters=filters, query=request.args)


def _page_number() -> int:
    """The page asked for, as a whole number (one past the end shows the last), or a 400 page saying what to give."""
    raw = request.args.get("page", "").strip() or "1"
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 100) or int(raw) < 1:  # "²" is a digit int() refuses
        abort(400, "Enter a page number, like 2")
    return int(raw)


def _one_of(name: str, allowed: tuple[str, ...]) -> str:
    """The query value if it is one of `allowed`, else the first (the default)."""
    value = request.args.get(name, "")
    return value if value in allowed else allowed[0]


@bp.route("/register/<council>/<path:reference>")
def entry(council: str, reference: str) -> ResponseReturnValue:
    view = register.entry(casework_db(), reference, council)
    explanations = {}
    if view.expiry_date and view.list_kind == "listed":
        explanations["expiry"] = periods.compute("acv.listing_expiry", view.entry_date)
    if view.notification_to_sell_date:
        interim, full, protected = periods.moratorium_timeline(view.notification_to_sell_date)
        explanations.update(interim=interim, full=full, protected=protected)
    alert = AlertForm(council=view.council_code, kind="category", asset_id=str(view.asset_id))
    show_council(view.council_code)  # the entry is on this council's register: its header and contact details
    return render_template("public/entry.html", entry=view, explanations=explanations, alert=alert)


@bp.route("/date-calculator")
def calculator() -> ResponseReturnValue:
    form = CalculatorForm(request.args)
    results = []
    if request.args and form.validate():
        day = cast(date, form.day.data)  # validated as a real date above
        try:
            results = [periods.compute(rule, day) for rule in CALCULATIONS[form.event.data]]
        except (OverflowError, ValueError):  # the calendar ends at 31 December 9999
            form.day.errors = [TOO_LATE]
    return render_template(
        "public/calculator.html",
        form=form if request.args else CalculatorForm(),
        results=results,
        submitted=bool(request.args),
    )


@bp.route("/alerts", methods=["GET", "POST"])
def subscribe() -> ResponseReturnValue:
    form = AlertForm()
    form.council.choices = dict(register.search(casework_db(), register.RegisterFilters()).councils)
    if request.method == "GET":
        form.process(data={"council": request.args.get("council"), "kind": request.args.get("kind")})
    if form.validate_on_submit():
        kind = form.kind.data
        try:
            alerts.subscribe(
                casework_db(),
                form.council.data,
                form.email.data,
                asset_id=uuid.UUID(form.asset_id.data) if form.asset_id.data else None,
                category=form.category.data if kind == "category" and not form.asset_id.data else None,
                ward=form.ward.data if kind == "ward" else None,
                postcode=form.postcode.data if kind == "area" else None,
                radius_m=form.radius_m.data if kind == "area" else None,
            )
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"email": "; ".join(refusal.reasons)}), "email")
        else:
            flash("You will get an email when something happens. Every email has a link to stop them.", "success")
            return redirect(url_for("public.subscribe"))
    return render_template("public/alerts.html", form=form)


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058 one-click: the mail client posts without a form token; the long token in the URL is the key
def unsubscribe(token: str) -> ResponseReturnValue:
    if request.method == "POST":
        alerts.unsubscribe(casework_db(), token)
        return render_template("public/unsubscribed.html")
    return render_template("public/unsubscribe.html", token=token)


@bp.route("/documents/<uuid:document_id>")
def document(document_id: uuid.UUID) -> ResponseReturnValue:
    stored = documents.open_document(casework_db(), storage(), current_actor(), document_id)
    response = Response(stored.content, mimetype=stored.content_type)
    response.headers["Content-Disposition"] = attachment(stored.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store" if not stored.public else "public, max-age=300"
    return response


def attachment(filename: str) -> str:
    """Content-Disposition for a download: an ASCII name for every client, the real one as RFC 6266 filename*.

    A header must be Latin-1 on the wire, so a name like "Доказательство.pdf" sent as it is breaks the response.
    """
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii").replace('"', "")
    if plain == filename:
        return f'attachment; filename="{plain}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


@bp.app_context_processor
def today() -> dict[str, object]:
    return {"today": london_date(utcnow())}
