"""Forms of the dashboard: recording an outcome in the room, and changing its status."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import CheckboxesField, NumberField
from ..models import (
    OUTCOME_NOTE_MAX,
    OUTCOME_ROLE_MAX,
    OUTCOME_TEXT_MAX,
    Agreement,
    OutcomeKind,
    OutcomeStatus,
    TargetDirection,
)
from ..services.outcomes import GAP, MAX_SESSION_NUMBER, OutcomeFields, Statement

KIND_LABELS = {
    OutcomeKind.RECURRENCE: _l("Recurrence"),
    OutcomeKind.ACTION: _l("Action priority"),
    OutcomeKind.INDICATOR: _l("Evaluation indicator"),
    OutcomeKind.SOLUTION: _l("Collective solution"),
}
KIND_TITLES = {
    OutcomeKind.RECURRENCE: _l("Recurrences"),
    OutcomeKind.ACTION: _l("Action priorities"),
    OutcomeKind.INDICATOR: _l("Evaluation indicators"),
    OutcomeKind.SOLUTION: _l("Collective solutions"),
}
AGREEMENT_LABELS = {
    Agreement.CONSENSUS: _l("Consensus"),
    Agreement.CONSENT: _l("Consent with reservations"),
    Agreement.NONE_YET: _l("No consensus yet"),
}
STATUS_LABELS = {
    OutcomeStatus.OPEN: _l("Open"),
    OutcomeStatus.IN_PROGRESS: _l("In progress"),
    OutcomeStatus.DONE: _l("Done"),
    OutcomeStatus.HELD: _l("Confirmed"),
    OutcomeStatus.DROPPED: _l("Dropped"),
}
#: A solution still "open" is waiting to be confirmed.
SOLUTION_OPEN = _l("To confirm")
DIRECTION_LABELS = {
    TargetDirection.UP: _l("Should go up"),
    TargetDirection.DOWN: _l("Should go down"),
}


NONE_CHOSEN = SelectChoice("", "—")


def _enum_or_none(cls):
    return lambda value: cls(value) if value else None


class OutcomeForm(FlaskForm):
    kind = SelectField(
        _l("What the group records"),
        choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
        validators=[DataRequired()],
    )
    text = TextAreaField(
        _l("Text"),
        validators=[
            DataRequired(_l("Write what the group found or decided.")),
            Length(max=OUTCOME_TEXT_MAX),
        ],
        description=_l("Facilitator's words only, never what one person answered."),
    )
    items = CheckboxesField(_l("Linked statements"), choices=[])
    role = StringField(
        _l("Who (a role, not a person)"),
        validators=[Optional(), Length(max=OUTCOME_ROLE_MAX)],
        description=_l("For example: the reception team, the facilitator, each of us."),
    )
    due_on = DateField(_l("By (a date)"), validators=[Optional()])
    due_session = IntegerField(
        _l("Or by session number"),
        validators=[Optional(), NumberRange(1, MAX_SESSION_NUMBER)],
    )
    agreement = SelectField(
        _l("Level of agreement"),
        choices=[NONE_CHOSEN]
        + [SelectChoice(a.value, label) for a, label in AGREEMENT_LABELS.items()],
        default="",
    )
    indicator_item = SelectField(_l("Measured by the statement"), choices=[], default="")
    # Checked against the chosen statement's own facets by the service.
    indicator_facet = SelectField(_l("Read from"), choices=[], default="", validate_choice=False)
    target_direction = SelectField(
        _l("Target"),
        choices=[NONE_CHOSEN]
        + [SelectChoice(d.value, label) for d, label in DIRECTION_LABELS.items()],
        default="",
    )
    target_value = NumberField(_l("Or a target value"), validators=[Optional()])
    shareable = BooleanField(_l("Shareable outside the group"))
    note = StringField(
        _l("Note on this change"),
        validators=[Optional(), Length(max=OUTCOME_NOTE_MAX)],
        description=_l("Kept in the history with today's date."),
    )

    def set_statements(self, known: dict[str, Statement], linked: list[str]) -> None:
        """Offer the linked statements as checkboxes, and every statement for an indicator."""
        self.items.choices = [SelectChoice(i, known[i].label) for i in linked if i in known]
        self.indicator_item.choices = [NONE_CHOSEN] + [
            SelectChoice(s.id, s.label) for s in known.values()
        ]
        facets = {f: label for s in known.values() for f, label in s.facets}
        self.indicator_facet.choices = (
            [NONE_CHOSEN]
            + [SelectChoice(f, label) for f, label in facets.items()]
            + ([SelectChoice(GAP, _l("The gap between the two"))] if facets else [])
        )

    def fields(self) -> OutcomeFields:
        return OutcomeFields(
            kind=OutcomeKind(self.kind.data),
            text=self.text.data or "",
            item_ids=list(self.items.data or []),
            role=self.role.data,
            due_on=self.due_on.data,
            due_session=self.due_session.data,
            agreement=_enum_or_none(Agreement)(self.agreement.data),
            indicator_item=self.indicator_item.data or None,
            indicator_facet=self.indicator_facet.data or None,
            target_direction=_enum_or_none(TargetDirection)(self.target_direction.data),
            target_value=self.target_value.data,
            shareable=bool(self.shareable.data),
        )


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[], validators=[DataRequired()])
    #: Shown for an indicator the group measures by hand: its value at this review.
    value = NumberField(
        _l("Value today"), validators=[Optional()], description=_l("Leave empty if not measured.")
    )
    note = StringField(
        _l("Short note"),
        validators=[Optional(), Length(max=OUTCOME_NOTE_MAX)],
        description=_l("What happened since: kept in the history."),
    )


#: How a suggested recurrence's history names each flag.
RECURRENCE_FLAG_LABELS = {
    "shared_gap": _l("shared gap"),
    "contested": _l("professional controversy"),
    "largest_gap": _l("among the largest gaps"),
}


class RecurrenceForm(FlaskForm):
    """Confirm or dismiss one suggested recurrence (the statement's id)."""

    item = HiddenField(validators=[DataRequired(), Length(max=80)])
