"""Forms of the participant pages (the questions themselves are built by ``survey.kinds``)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import pgettext
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..i18n import tu
from ..models import Meeting
from ..services import codes
from ..services.participation import ESTABLISHMENT_FIELD


class PersonalCodeForm(FlaskForm):
    """Offered on the last page: keep a personal code to find one's answers later."""

    class Meta:
        csrf = False  # part of the answering form, which carries the token

    choice = RadioField(
        _l("Personal code (optional)"),
        choices=[
            SelectChoice("none", _l("No, thank you")),
            SelectChoice("new", _l("Yes, give me a personal code")),
            SelectChoice("existing", _l("I already have one:")),
        ],
        default="none",
    )
    existing = StringField(_l("My personal code"), validators=[Length(max=80)])

    def validate_existing(self, field) -> None:
        if self.choice.data != "existing":
            return
        if not (field.data or "").strip():  # else the thanks would claim a link that is not there
            raise ValidationError(
                tu(
                    _("Enter your personal code, or choose another option."),
                    pgettext("tu", "Enter your personal code, or choose another option."),
                )
            )
        if not codes.is_well_formed(field.data):
            raise ValidationError(
                _l(
                    "A personal code looks like “lilas-phare-tortue-moulin-42”: four words "
                    "(three for older codes) and a number."
                )
            )


class JournalForm(FlaskForm):
    code = StringField(
        _l("My personal code"),
        validators=[DataRequired(_l("Enter your personal code.")), Length(max=80)],
    )


def establishment_field(meeting: Meeting, draft, page: int):
    """On the first page, when the group spans several establishments: which one (optional)."""
    if page != 1 or len(meeting.group.establishments) < 2:
        return None
    choices = [SelectChoice("", _("I prefer not to say"))] + [
        SelectChoice(str(e.id), e.name) for e in meeting.group.establishments
    ]
    field = SelectField(_("My establishment (optional)"), choices=choices).bind(
        FlaskForm(meta={"csrf": False}), ESTABLISHMENT_FIELD
    )
    saved = draft.data.get(ESTABLISHMENT_FIELD, [""])
    field.process(None, data=request.form.get(ESTABLISHMENT_FIELD, saved[0]))
    return field
