"""Pages that belong to no feature: the home page and the language switch."""

from flask import Blueprint, current_app, render_template, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf

from .extensions import db
from .forms import JoinForm
from .i18n import SESSION_KEY
from .urls import redirect_next

bp = Blueprint("site", __name__)


class LanguageForm(FlaskForm):
    language = HiddenField(validators=[AnyOf(("fr", "en"))])
    next = HiddenField()


@bp.get("/")
def home():
    """Landing page: what Praxis is, and the way in for facilitators."""
    return render_template("site/home.html", join_form=JoinForm())


@bp.post("/language")
def set_language():
    """Remember the chosen language for this browser, and for the facilitator's account."""
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        session[SESSION_KEY] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
    return redirect_next(form.next.data, url_for("site.home"))
