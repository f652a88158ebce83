"""Forms and form pieces that several features share."""

import math
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from .models import MAX_MEMBERS


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (a multiple select is hard to use on phones)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NumberField(FloatField):
    """A number typed the French way (« -4,5 », « 1 200 ») or the English way (-4.5);
    ``nan`` and ``inf``, which ``float()`` accepts, are refused like any other non-number."""

    #: Far beyond any indicator a group notes by hand; keeps absurd figures out of charts.
    LIMIT = 1e9

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        typed = (
            re.sub(r"[\s\u00a0\u202f]", "", valuelist[0]).replace(",", ".").replace("\u2212", "-")
        )
        try:
            value = float(typed)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or abs(value) > self.LIMIT:
            self.data = None
            raise ValueError(str(_l("Enter a number, for example 4 or -4.5.")))
        self.data = value


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
