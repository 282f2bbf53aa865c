"""The council's details page: the contact details its footer and accessibility statement show, and its logo.

A page of its own, beside the council settings, so that what residents see of the council is changed in one place.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextInput
from wtforms import StringField
from wtforms.validators import Length, Optional

from casework.errors import CaseworkError
from casework.services import council_details
from casework.services.council_details import ContactChanges
from casework.vocabulary import Role
from web import auth
from web.admin import bp
from web.auth import require_actor
from web.extensions import casework_db, storage
from web.forms import GovDateField, GovForm, area, put_errors, submit


class ContactForm(GovForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=320)],
        description="Where people write about a case, the register or a page they cannot use",
    )
    phone = StringField("Telephone number", widget=GovTextInput(), validators=[Optional(), Length(max=40)])
    address = area("Postal address", required=False, max_length=500, hint="Each line of the address on its own line")
    website = StringField(
        "Contact page on the council's website",
        widget=GovTextInput(),
        validators=[Optional(), Length(max=300)],
        description="For example, https://www.borsetshire.gov.uk/contact",
    )
    accessibility_reviewed_on = GovDateField(
        "Date the council last reviewed the accessibility statement",
        required=False,
        hint="Shown on the accessibility statement. For example, 27 3 2026",
    )
    save_details = submit("Save contact details")


class LogoForm(GovForm):
    logo = FileField(
        "Upload the council's logo",
        widget=GovFileInput(),
        validators=[FileRequired(message="Select the logo")],
        description="A PNG or JPG smaller than 512 KB. It is shown up to 40 pixels high, beside the council's name.",
    )
    upload_logo = submit("Upload logo")


@bp.route("/council-details", methods=["GET", "POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def council_details_page() -> ResponseReturnValue:
    actor = require_actor()
    current = council_details.details(casework_db(), actor.council_id) if actor.council_id else None
    if current is None:  # an admin always acts for a council; acting_as has checked the role
        return redirect(url_for("admin.index"))
    contact = ContactForm(
        prefix="contact",
        data={
            "email": current.email,
            "phone": current.phone,
            "address": current.address,
            "website": current.website,
            "accessibility_reviewed_on": current.accessibility_reviewed_on,
        },
    )
    logo = LogoForm(prefix="logo")
    failed: GovForm | None = None
    if "contact-save_details" in request.form:
        if _save_contact(contact):
            return redirect(url_for("admin.council_details_page"))
        failed = contact
    elif "logo-upload_logo" in request.form:
        if _save_logo(logo):
            return redirect(url_for("admin.council_details_page"))
        failed = logo
    page = render_template("admin/council_details.html", council=current, contact=contact, logo=logo, form=failed)
    return (page, 400) if failed is not None else page


def _save_contact(form: ContactForm) -> bool:
    if not form.validate_on_submit():
        return False
    changes = ContactChanges(
        email=form.email.data or "",
        address=form.address.data or "",
        phone=form.phone.data or "",
        website=form.website.data or "",
        accessibility_reviewed_on=form.accessibility_reviewed_on.data,
    )
    try:
        council_details.set_my_details(casework_db(), require_actor(), changes)
    except CaseworkError as refusal:
        put_errors(form, getattr(refusal, "errors", {"email": "; ".join(refusal.reasons)}), "email")
        return False
    flash("Contact details saved. Every page of the council's shows them in its footer.", "success")
    return True


def _save_logo(form: LogoForm) -> bool:
    if not form.validate_on_submit():
        return False
    try:
        council_details.set_my_logo(casework_db(), storage(), require_actor(), form.logo.data.read())
    except CaseworkError as refusal:
        put_errors(form, getattr(refusal, "errors", {"logo": "; ".join(refusal.reasons)}), "logo")
        return False
    flash("Logo saved. It is shown beside the council's name at the top of every page.", "success")
    return True


@bp.route("/council-details/logo/remove", methods=["POST"])
@auth.acting_as(Role.COUNCIL_ADMIN)
def remove_logo() -> ResponseReturnValue:
    form = GovForm()
    if form.validate_on_submit():
        council_details.remove_my_logo(casework_db(), require_actor())
        flash("Logo removed. The top of every page shows the council's name alone.", "success")
    return redirect(url_for("admin.council_details_page"))
