"""Signing in and out."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..database import begin_writing, reads_first
from ..extensions import db, limiter
from ..forms import ActionForm
from ..i18n import SESSION_KEY as LANGUAGE_KEY
from ..services import accounts
from ..urls import redirect_next
from . import bp
from .forms import LoginForm


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
