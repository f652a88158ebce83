"""Signing in and out, one's name and password, and a forgotten password."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..actions import attempt
from ..database import begin_writing, reads_first
from ..extensions import db, limiter
from ..forms import ActionForm
from ..i18n import SESSION_KEY as LANGUAGE_KEY
from ..services import accounts, api_tokens
from ..urls import redirect_next
from . import bp
from .forms import ApiTokenForm, ChangePasswordForm, LoginForm, NameForm, NewPasswordForm


def _failed_login(response) -> bool:
    """Only failed attempts count towards the login limit."""
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], deduct_when=_failed_login
)
@reads_first
def login():
    """Sign a facilitator in; the same message whether the email or the password is wrong.

    The password is checked (a deliberately slow hash) before the write lock is taken: a failed
    sign-in would otherwise keep every page save waiting behind it.
    """
    if current_user.is_authenticated:
        return redirect(url_for("facilitator.groups"))
    form = LoginForm()
    if form.validate_on_submit():
        facilitator = accounts.authenticate(form.email.data, form.password.data)
        if facilitator is not None:
            begin_writing()
            language = session.get(LANGUAGE_KEY)
            session.clear()  # a fresh session at login: nothing set before it survives
            if language:
                session[LANGUAGE_KEY] = language
                facilitator.locale = language
            login_user(facilitator)
            db.session.commit()
            return redirect_next(request.args.get("next"), url_for("facilitator.groups"))
        form.password.errors.append(_("Incorrect email address or password."))
    return render_template("facilitator/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Sign out and forget everything the session held but the language."""
    if ActionForm().validate_on_submit():
        language = session.get(LANGUAGE_KEY)
        current_user.revoke_sessions()  # a copy of this session's cookie stops working too
        db.session.commit()
        logout_user()
        session.clear()
        if language:
            session[LANGUAGE_KEY] = language
        flash(_("You are signed out."), "info")
    return redirect(url_for("site.home"))


@bp.get("/account")
@login_required
def account():
    """One's name and password."""
    return _account_page(NameForm(obj=current_user), _password_form())


def _password_form(formdata=None) -> ChangePasswordForm:
    form = ChangePasswordForm(formdata=formdata)
    form.email = current_user.email
    return form


def _account_page(name_form, password_form, token_form=None, created=None):
    """The account page; ``created``: (token, secret) just made, its secret shown this once."""
    return render_template(
        "facilitator/account.html",
        name_form=name_form,
        password_form=password_form,
        token_form=token_form or ApiTokenForm(formdata=None),
        action_form=ActionForm(),
        tokens=api_tokens.tokens_of(current_user),
        created=created,
    )


@bp.post("/account/name")
@login_required
def rename():
    form = NameForm()
    if not form.validate_on_submit():
        return _account_page(form, _password_form()), 400
    attempt(accounts.rename, current_user, form.display_name.data or "", success=_("Name saved."))
    return redirect(url_for("facilitator.account"))


@bp.post("/account/password")
@login_required
@reads_first
def change_password():
    """A new password: every other session of the account ends, this one goes on."""
    form = _password_form(request.form)
    valid = form.validate_on_submit()
    if valid and not current_user.check_password(form.current.data):
        form.current.errors.append(_("This is not your current password."))
        valid = False
    if not valid:
        return _account_page(NameForm(obj=current_user), form), 400
    new_hash = accounts.password_hash(form.password.data)  # slow: before the write lock
    begin_writing()
    if attempt(accounts.replace_password, current_user, new_hash).done:
        login_user(current_user._get_current_object())  # this browser: the new version
        flash(_("Password changed. Your other sessions are signed out."), "success")
    return redirect(url_for("facilitator.account"))


@bp.post("/account/tokens")
@login_required
def create_token():
    """A new API token: its secret is on this response only (never in a cookie or a flash)."""
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return _account_page(NameForm(obj=current_user), _password_form(), form), 400
    done = attempt(api_tokens.create, current_user, form.name.data)
    if not done.done:
        return redirect(url_for("facilitator.account"))
    return _account_page(NameForm(obj=current_user), _password_form(), created=done.value)


@bp.post("/account/tokens/<int:key_id>/revoke")
@login_required
def revoke_token(key_id: int):
    """The token stops working at once."""
    token = api_tokens.token_of(current_user, key_id)
    if token is None:
        abort(404)
    if ActionForm().validate_on_submit():
        attempt(api_tokens.revoke, token, success=_("Token revoked."))
    return redirect(url_for("facilitator.account"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
@reads_first
def reset_password(token: str):
    """Choose a new password with a one-time link (``flask --app survey reset-password``)."""
    facilitator = accounts.facilitator_of_reset(token)
    if facilitator is None:
        return render_template("facilitator/reset_password.html", form=None), 404
    form = NewPasswordForm()
    form.email = facilitator.email
    if form.validate_on_submit():
        new_hash = accounts.password_hash(form.password.data)
        begin_writing()
        if attempt(accounts.replace_password, facilitator, new_hash).done:
            logout_user()
            flash(_("Your password is changed: sign in with it."), "success")
            return redirect(url_for("facilitator.login"))
    return render_template("facilitator/reset_password.html", form=form, facilitator=facilitator)
