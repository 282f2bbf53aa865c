"""Account pages: register, sign in (rate-limited), sign out (here or everywhere), reset a password, switch role,
API tokens."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from wtforms.validators import Optional

from casework.errors import CaseworkError, Conflict, InvalidInput
from casework.queries.people import api_tokens
from casework.services import accounts, credentials, invitations, parties, sessions
from casework.vocabulary import Role
from web import auth
from web.account import bp
from web.account.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    ConfirmEmailForm,
    ForgotPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    RoleForm,
    SignInForm,
    TokenForm,
)
from web.extensions import casework_db, limiter, settings
from web.forms import put_errors


def _next_page(default: str) -> str:
    """Only ever redirect to a path on this site after signing in."""
    target = request.args.get("next") or ""
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc and not parts.scheme:
        return target
    return default


@bp.route("/create", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register() -> ResponseReturnValue:
    next_page = _next_page("")
    token = next_page.removeprefix(_INVITATION_PATH) if next_page.startswith(_INVITATION_PATH) else None
    offer = invitations.open_invitation(casework_db(), token) if token else None
    form = RegisterForm(data={"email": offer.email, "name": offer.name} if offer else None)
    if token:  # staff: their invitation says what they are here for
        form.purpose.validators = [Optional()]
    if form.validate_on_submit():
        owner = form.purpose.data == "owner" and not token
        try:
            user_id = accounts.register(casework_db(), form.email.data, form.name.data, form.password.data, owner=owner)
        except InvalidInput as refusal:
            put_errors(form, refusal.errors, "email")
        except Conflict:
            form.email.errors.append("There is already an account with this email address. Sign in instead")
        else:
            auth.sign_in(user_id)
            flash("Your account has been created.", "success")
            if token:
                return _accept_on_creation(token, user_id, next_page)
            if owner:
                return _ask_owner_to_confirm(user_id)
            return redirect(_next_page(auth.landing()))  # a group's start page
    return render_template("account/register.html", form=form, invited=bool(token))


_INVITATION_PATH = "/account/invitations/"


def _accept_on_creation(token: str, user_id: uuid.UUID, invitation_page: str) -> ResponseReturnValue:
    """Someone who followed an invitation's link and made an account for the address it was sent to has proved that
    mailbox: they take the role now and land on its work. Any other address goes back to the invitation, which
    says why it cannot be accepted."""
    try:
        accepted = invitations.accept(casework_db(), token, user_id)
    except CaseworkError:
        return redirect(invitation_page)
    auth.act_as(accepted.role_key, reload=True)
    flash(_now_holding(accepted), "success")
    return redirect(auth.landing())


def _ask_owner_to_confirm(user_id: uuid.UUID) -> ResponseReturnValue:
    """An owner's land is found by the address the council recorded, but only once the link we email proves that
    address is theirs; until then their land page says what to do."""
    address = parties.ask_to_confirm_email(casework_db(), user_id, base_url=settings().base_url)
    flash(f"We have sent a link to {address}. Follow it to confirm your email address and see your land.", "success")
    return redirect(_next_page(auth.landing()))


@bp.route("/confirm-email", methods=["POST"])
@auth.signed_in
@limiter.limit("5 per hour", methods=["POST"])
def send_confirmation() -> ResponseReturnValue:
    return _ask_owner_to_confirm(g.user.id)


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def confirm_email(token: str) -> ResponseReturnValue:
    """The link in the email that proves an address. A button, not the GET, confirms it: mail scanners open links."""
    form = ConfirmEmailForm()
    if form.validate_on_submit():
        try:
            confirmed = parties.confirm_email(casework_db(), token)
        except InvalidInput as refusal:
            put_errors(form, refusal.errors, "confirm")
            return render_template("account/confirm_email.html", form=form), 400
        flash(_confirmed_message(confirmed.assets_linked), "success")
        if g.user is None or g.user.id != confirmed.user_id:
            return redirect(url_for("account.sign_in", next=url_for("owner.dashboard")))
        auth.act_as(f"{Role.OWNER.value}:", reload=True)
        return redirect(url_for("owner.dashboard"))
    return render_template("account/confirm_email.html", form=form)


def _confirmed_message(linked: int) -> str:
    if linked == 0:
        return "Your email address is confirmed. The council has not recorded it as the owner of any land yet."
    land = "land" if linked == 1 else f"{linked} pieces of land"
    return f"Your email address is confirmed. The council recorded it as the owner's: your {land} is linked to you."


def _now_holding(accepted: invitations.InvitationView) -> str:
    article = "an" if accepted.role_label[0] in "aeiou" else "a"
    return f"You are now {article} {accepted.role_label} at {accepted.council_name}."


def _address_and_email() -> str:
    """The client's address (ProxyFix gives the real one behind a proxy) with the email it is trying."""
    return f"{request.remote_addr}|{(request.form.get('email') or '').strip().lower()[:320]}"


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("5 per minute;30 per hour", methods=["POST"], key_func=_address_and_email)
@limiter.limit("100 per hour", methods=["POST"], key_func=lambda: f"{request.remote_addr}")  # one address, many emails
def sign_in() -> ResponseReturnValue:
    form = SignInForm()
    if form.validate_on_submit():
        user_id = accounts.authenticate(casework_db(), form.email.data, form.password.data)
        if user_id is None:
            form.email.errors.append("Enter the email address and password of an active account")
        else:
            auth.sign_in(user_id)
            return redirect(_next_page(auth.landing()))
    return render_template("account/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> ResponseReturnValue:
    auth.sign_out()
    flash("You have signed out.", "success")
    return redirect(url_for("public.home"))


@bp.route("/sign-out-everywhere", methods=["POST"])
@auth.signed_in
def sign_out_everywhere() -> ResponseReturnValue:
    sessions.end_all(casework_db(), g.user.id)
    session.clear()
    flash("You have signed out of all devices, this one included.", "success")
    return redirect(url_for("public.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        credentials.request_password_reset(casework_db(), form.email.data, base_url=settings().base_url)
        return render_template("account/reset_sent.html", email=form.email.data)
    return render_template("account/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user_id = credentials.reset_password(casework_db(), token, form.password.data)
        except InvalidInput as refusal:
            put_errors(form, refusal.errors, "password")
        else:
            auth.sign_in(user_id)
            flash("Your password has been changed.", "success")
            return redirect(url_for("account.index"))
    return render_template("account/reset_password.html", form=form)


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> ResponseReturnValue:
    """An invitation to a staff role: seen by anyone with the link, accepted only when signed in."""
    offer = invitations.open_invitation(casework_db(), token)
    if offer is None:
        return render_template("account/invitation_closed.html"), 404
    form = AcceptInvitationForm()
    if request.method == "POST":
        if g.user is None:
            return redirect(url_for("account.sign_in", next=request.path))
        if form.validate_on_submit():
            try:
                accepted = invitations.accept(casework_db(), token, g.user.id)
            except CaseworkError as refusal:
                put_errors(form, getattr(refusal, "errors", {"accept": "; ".join(refusal.reasons)}), "accept")
            else:
                auth.act_as(accepted.role_key, reload=True)
                flash(_now_holding(accepted), "success")
                return redirect(auth.landing())
        return render_template("account/invitation.html", offer=offer, form=form), 400
    return render_template("account/invitation.html", offer=offer, form=form)


@bp.route("/", methods=["GET"])
@auth.signed_in
def index() -> ResponseReturnValue:
    return render_template(
        "account/index.html",
        password=ChangePasswordForm(),
        token_form=TokenForm(),
        tokens=api_tokens(casework_db(), g.user.id),
        new_token=None,
    )


@bp.route("/password", methods=["POST"])
@auth.signed_in
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            credentials.change_password(
                casework_db(),
                g.user.id,
                form.current_password.data,
                form.new_password.data,
                keep_session=auth.current_session_id(),  # this browser stays signed in; every other one ends
            )
        except InvalidInput as refusal:
            put_errors(form, refusal.errors, "new_password")
        else:
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("account.index"))
    return render_template(
        "account/index.html",
        password=form,
        token_form=TokenForm(),
        tokens=api_tokens(casework_db(), g.user.id),
        new_token=None,
    ), 400


@bp.route("/role", methods=["GET", "POST"])
@auth.signed_in
def switch_role() -> ResponseReturnValue:
    form = RoleForm(role=g.acting.key)
    form.role.choices = {role.key: role.label for role in g.user.roles}
    if form.validate_on_submit() and auth.act_as(form.role.data):
        flash(
            "You are now acting as " + next(r.label for r in g.user.roles if r.key == form.role.data) + ".", "success"
        )
        return redirect(_next_page(auth.landing()))
    return render_template("account/switch_role.html", form=form)


@bp.route("/tokens", methods=["POST"])
@auth.signed_in
def create_token() -> ResponseReturnValue:
    form = TokenForm()
    if form.validate_on_submit():
        acting = g.acting
        new = credentials.create_api_token(
            casework_db(), g.user.id, form.name.data, acting.role, council_code=acting.council_code
        )
        # Shown once, in this response only: it is never stored anywhere but as a hash.
        return render_template(
            "account/index.html",
            password=ChangePasswordForm(),
            token_form=TokenForm(formdata=None),
            tokens=api_tokens(casework_db(), g.user.id),
            new_token=new.token,
        )
    return render_template(
        "account/index.html",
        password=ChangePasswordForm(),
        token_form=form,
        tokens=api_tokens(casework_db(), g.user.id),
        new_token=None,
    ), 400


@bp.route("/tokens/<uuid:token_id>/revoke", methods=["POST"])
@auth.signed_in
def revoke_token(token_id: uuid.UUID) -> ResponseReturnValue:
    credentials.revoke_api_token(casework_db(), g.user.id, token_id)
    flash("The token has been revoked.", "success")
    return redirect(url_for("account.index") + "#tokens")
