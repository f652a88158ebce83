"""Forms and form pieces that several features share."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from .models import MAX_MEMBERS


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a multiple select is hard to use on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ActionForm(FlaskForm):
    """No fields: protects a POST-only button with CSRF."""


class JoinForm(FlaskForm):
    code = StringField(
        _l("Session code"),
        validators=[DataRequired(_l("Enter the code given by your facilitator.")), Length(max=20)],
    )


class InvitationsForm(FlaskForm):
    count = IntegerField(
        _l("Number of cards to print"),
        validators=[
            InputRequired(_l("How many cards?")),
            NumberRange(1, MAX_MEMBERS, _l("Between %(min)s and %(max)s cards at a time.")),
        ],
    )
