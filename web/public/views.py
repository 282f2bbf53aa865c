"""The start page, the register, one page per entry, the date calculator and alerts."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date
from http import HTTPStatus
from typing import cast
from urllib.parse import quote

from flask import Response, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_limiter import RequestLimit
from sqlalchemy import text

from casework.clock import london_date, utcnow
from casework.errors import CaseworkError, NotFound
from casework.queries import periods, register
from casework.services import alerts, documents
from casework.vocabulary import RuleNotInForce
from web.auth import current_actor
from web.branding import show_council
from web.extensions import casework_db, csrf, limiter, settings, storage
from web.forms import put_errors
from web.public import bp
from web.public.forms import AlertForm, CalculatorForm, ConfirmAlertForm, RegisterSearchForm

CALCULATIONS = {
    "owners_notice": ("moratorium.interim", "moratorium.full", "moratorium.protected"),
    "nomination": ("acv.nomination_decision",),
    "listing": ("acv.listing_expiry",),
    "inclusion_notice": ("acv.review_request",),
    "review_request": ("acv.review_decision",),
    "review_decision": ("acv.tribunal_appeal",),
    "loss_ended": ("compensation.claim",),
}
# Each result says what happens on its date: "Interim moratorium ends", not the name of the period.
RESULT_HEADINGS = {
    "moratorium.interim": "Interim moratorium ends",
    "moratorium.full": "Full moratorium ends, if a community interest group asks to bid",
    "moratorium.protected": "Protected period ends",
    "acv.nomination_decision": "The council must decide the nomination by",
    "acv.listing_expiry": "The listing ends",
    "acv.review_request": "Last day for the owner to ask for a review",
    "acv.review_decision": "The council must complete the review by",
    "acv.tribunal_appeal": "Last day to appeal to the First-tier Tribunal",
    "compensation.claim": "Last day to claim compensation",
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
    filters = _register_filters(page=_page_number())
    page = register.search(casework_db(), filters)
    form = _filter_form(page.councils, page.wards)
    return render_template(
        "public/register.html", form=form, page=page, filters=filters, query=request.args, **_chosen("register_list")
    )


@bp.route("/register/map")
def register_map() -> ResponseReturnValue:
    """The register's entries that have a location, on a map, with the same filters as the list."""
    filters = _register_filters()
    found = register.map_places(casework_db(), filters)
    form = _filter_form(found.councils, found.wards)
    places = [
        (place.name, place.address, place.point, place.boundary,
         url_for("public.entry", council=place.council_code, reference=place.reference))
        for place in found.places
    ]  # fmt: skip
    return render_template(
        "public/register_map.html", form=form, found=found, places=places, filters=filters, **_chosen("register_map")
    )


def _register_filters(page: int = 1) -> register.RegisterFilters:
    return register.RegisterFilters(
        council=request.args.get("council") or None,
        q=(request.args.get("q") or "").strip() or None,
        list_kind=_one_of("list_kind", ("listed", "unsuccessful")),
        status=_one_of("status", ("current", "ended", "all")),
        category=request.args.get("category") or None,
        ward=request.args.get("ward") or None,
        page=page,
    )


def _filter_form(councils: tuple[tuple[str, str], ...], wards: tuple[str, ...]) -> RegisterSearchForm:
    form = RegisterSearchForm(request.args)
    form.council.choices = dict([("", "All councils"), *councils])
    form.ward.choices = dict([("", "Any ward"), *((w, w) for w in wards)])
    form.validate()
    return form


def _chosen(endpoint: str) -> dict[str, object]:
    """Which view the filters form submits to, and the filters chosen, for the links between the list and the map."""
    args = {key: value for key, value in request.args.items() if key != "page" and value}
    return {"filter_endpoint": f"public.{endpoint}", "filter_args": args}


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
    explanations = periods.entry_explanations(
        listed_on=view.entry_date if view.expiry_date and view.list_kind == "listed" else None,
        notice_received_on=view.notification_to_sell_date or None,
        moratorium_version=view.moratorium_version,
    )
    alert = AlertForm(council=view.council_code, kind="asset", asset_id=str(view.asset_id))
    show_council(view.council_code)  # the entry is on this council's register: its header and contact details
    return render_template("public/entry.html", entry=view, explanations=explanations, alert=alert)


@bp.route("/date-calculator")
def calculator() -> ResponseReturnValue:
    form = CalculatorForm(request.args)
    results = []
    if request.args and form.validate():
        day = cast(date, form.day.data)  # validated as a real date above
        try:
            results = periods.calculate(CALCULATIONS[form.event.data], day)
        except (OverflowError, ValueError):  # the calendar ends at 31 December 9999
            form.day.errors = [TOO_LATE]
        except RuleNotInForce as refusal:  # a date before the regime: its commencement, beside the field
            form.day.errors = list(refusal.reasons)
    return render_template(
        "public/calculator.html",
        form=form if request.args else CalculatorForm(),
        results=results,
        headings=RESULT_HEADINGS,
        submitted=bool(request.args),
    )


def _alert_address() -> str:
    """The address being subscribed, as the service will store it: 'A@Example.org ' and 'a@example.org' are one."""
    return "alert:" + (request.form.get("email") or "").strip().lower()[:320]


def _alert_form() -> AlertForm:
    form = AlertForm()
    form.council.choices = dict(register.search(casework_db(), register.RegisterFilters()).councils)
    return form


def _too_many_alerts(limit: RequestLimit) -> Response:
    """Over the limit for one address: the form again, saying so beside the email address, with a 429."""
    form = _alert_form()
    form.validate()
    form.email.errors = [
        (
            "You have asked for alerts for this email address several times in the last hour. Check your inbox "
            "(and spam folder) for the confirmation emails, or try again in an hour"
        )
    ]
    return Response(render_template("public/alerts.html", form=form, asset_name=None), 429)


@bp.route("/alerts", methods=["GET", "POST"])
@limiter.limit(  # each address gets a few confirmation emails an hour: the form cannot be used to flood an inbox
    "3 per hour",
    methods=["POST"],
    key_func=_alert_address,
    deduct_when=lambda response: response.status_code == HTTPStatus.FOUND,
    on_breach=_too_many_alerts,
)
@limiter.limit("30 per hour", methods=["POST"], on_breach=_too_many_alerts)  # one client, many addresses
def subscribe() -> ResponseReturnValue:
    form = _alert_form()
    if request.method == "GET":
        form.process(data={"council": request.args.get("council"), "kind": request.args.get("kind")})
    if form.validate_on_submit():
        kind = form.kind.data
        try:
            alerts.subscribe(
                casework_db(),
                form.council.data,
                form.email.data,
                base_url=settings().base_url,
                asset_id=uuid.UUID(form.asset_id.data) if kind == "asset" else None,
                category=form.category.data if kind == "category" else None,
                ward=form.ward.data if kind == "ward" else None,
                postcode=form.postcode.data if kind == "area" else None,
                radius_m=form.radius_m.data if kind == "area" else None,
            )
        except CaseworkError as refusal:
            put_errors(form, getattr(refusal, "errors", {"email": "; ".join(refusal.reasons)}), "email")
        else:
            session["alert_sent_to"] = form.email.data.strip()
            return redirect(url_for("public.check_alert_email"))
    return render_template("public/alerts.html", form=form, asset_name=_asset_name(form)), 400 if form.errors else 200


def _asset_name(form: AlertForm) -> str | None:
    """The asset an alert from a register entry is about, to say so on the form; None for any other alert."""
    try:
        asset_id = uuid.UUID(form.asset_id.data or "")
    except ValueError:
        return None
    return alerts.asset_name(casework_db(), asset_id)


@bp.route("/alerts/check-your-email")
def check_alert_email() -> ResponseReturnValue:
    return render_template("public/alert_sent.html", email=session.get("alert_sent_to"))


@bp.route("/alerts/confirm/<token>", methods=["GET", "POST"])
def confirm_alerts(token: str) -> ResponseReturnValue:
    """The link in the confirmation email. Opening it only asks: mail scanners open links, and must not confirm."""
    form = ConfirmAlertForm()
    try:
        if form.validate_on_submit():
            confirmed = alerts.confirm(casework_db(), token)
            return render_template("public/alert_confirmed.html", confirmed=confirmed)
        pending = alerts.confirmation(casework_db(), token)
    except NotFound as refusal:
        return render_template("public/alert_link_closed.html", reason="; ".join(refusal.reasons)), 404
    return render_template("public/alert_confirm.html", form=form, pending=pending)


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
