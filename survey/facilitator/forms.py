"""WTForms for the facilitator side; all carry CSRF through FlaskForm."""

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from .. import passwords
from ..forms import CheckboxesField
from ..models import (
    MAX_MEMBERS,
    MAX_PHASE_MINUTES,
    MAX_PHASE_TITLE,
    MAX_PLAN_PHASES,
    MIN_ANONYMITY_THRESHOLD,
    PLAN_ROLES,
    Domain,
    MeetingStatus,
)
from ..services.lifecycle import RETENTION_CHOICES

DOMAIN_LABELS = {
    Domain.MANAGEMENT: _l("Management"),
    Domain.PUBLIC_RECEPTION: _l("Public reception"),
    Domain.OTHER: _l("Other trade"),
}
STATUS_LABELS = {
    MeetingStatus.DRAFT: _l("In preparation"),
    MeetingStatus.OPEN: _l("Collecting answers"),
    MeetingStatus.CLOSED: _l("Collection closed"),
}
MAX_ESTABLISHMENTS = 20
MAX_ESTABLISHMENT_NAME = 120


def get_locale_name() -> str:
    return str(get_locale() or "fr")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
    )


#: Why a new password is refused, in words (``passwords.REASONS`` gives the same in English).
PASSWORD_REFUSALS = {
    "blank": _l("A password cannot be only spaces."),
    "short": _l("Use at least %(min)s characters.", min=passwords.MIN_LENGTH),
    "own": _l("This is your email address, or its beginning: choose something else."),
    "common": _l("This is one of the most common passwords: choose something else."),
}


class NewPasswordForm(FlaskForm):
    """A new password, typed twice; ``email`` (set by the view) must not be it."""

    email = ""
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=200)],
    )
    confirm = PasswordField(
        _l("New password, again"),
        validators=[
            DataRequired(_l("Type the password again.")),
            EqualTo("password", _l("The two passwords differ.")),
        ],
    )

    def validate_password(self, field) -> None:
        reason = passwords.refusal(field.data or "", self.email)
        if reason:
            raise ValidationError(PASSWORD_REFUSALS[reason])


class ChangePasswordForm(NewPasswordForm):
    """The current password first: a session left open is not enough to change it."""

    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=200)],
    )


class NewAccountForm(NewPasswordForm):
    """An account for the address invited to co-facilitate: a name and a password."""

    display_name = StringField(
        _l("Display name"),
        filters=[_strip],
        validators=[Length(max=120)],
        description=_l("Shown to the other facilitators of your groups, never to members."),
    )


class NameForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        filters=[_strip],
        validators=[Length(max=120)],
        description=_l("Shown to the other facilitators of your groups, never to members."),
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the token a name.")), Length(max=80)],
        description=_l("What the token is for, e.g. the program that will use it."),
    )


class GroupForm(FlaskForm):
    name = StringField(
        _l("Group name"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the group a name.")), Length(max=120)],
    )
    domain = SelectField(
        _l("Trade"),
        choices=[SelectChoice(domain.value, label) for domain, label in DOMAIN_LABELS.items()],
        validators=[InputRequired()],
    )
    establishments = TextAreaField(
        _l("Establishments (one per line)"),
        description=_l(
            "One line if the group works in a single team or establishment; "
            "one line per establishment if it brings several together."
        ),
        validators=[DataRequired(_l("Name at least one establishment."))],
    )
    member_cap = IntegerField(
        _l("Maximum number of members"),
        default=MAX_MEMBERS,
        validators=[
            InputRequired(_l("Give the maximum number of members.")),
            NumberRange(
                MIN_ANONYMITY_THRESHOLD,
                MAX_MEMBERS,
                _l("A group has between %(min)s and %(max)s members."),
            ),
        ],
    )
    anonymity_threshold = IntegerField(
        _l("Anonymity threshold (k)"),
        default=4,
        description=_l(
            "No result is shown for fewer than k responses. It cannot be lowered below 3, "
            "and cannot be changed once answers exist."
        ),
        validators=[
            InputRequired(_l("Give the anonymity threshold.")),
            NumberRange(
                MIN_ANONYMITY_THRESHOLD,
                MAX_MEMBERS,
                _l("The threshold must be between %(min)s and %(max)s."),
            ),
        ],
    )
    retention_months = SelectField(
        _l("Keep the answers"),
        choices=[SelectChoice("", _l("Until I delete them"))]
        + [
            SelectChoice(str(months), _l("%(num)s months after each session", num=months))
            for months in RETENTION_CHOICES
        ],
        default="",
        description=_l(
            "After this time, a session's answers are deleted (its title, date and outcomes stay) "
            "when the administrator runs the purge."
        ),
        validators=[Optional()],
    )

    def establishment_names(self) -> list[str]:
        """The establishments typed, one per line, blank lines and repeats dropped."""
        names: list[str] = []
        typed = self.establishments.data if isinstance(self.establishments.data, str) else ""
        for line in typed.splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        return names

    def validate_establishments(self, field) -> None:
        names = self.establishment_names()
        if not names:
            raise ValidationError(_l("Name at least one establishment."))
        if len(names) > MAX_ESTABLISHMENTS:
            raise ValidationError(_l("At most %(max)s establishments.", max=MAX_ESTABLISHMENTS))
        if any(len(name) > MAX_ESTABLISHMENT_NAME for name in names):
            raise ValidationError(
                _l(
                    "An establishment name has at most %(max)s characters.",
                    max=MAX_ESTABLISHMENT_NAME,
                )
            )

    def validate_anonymity_threshold(self, field) -> None:
        cap = self.member_cap.data
        if field.data is not None and isinstance(cap, int) and field.data > cap:
            raise ValidationError(_l("The threshold cannot exceed the maximum number of members."))


class CofacilitatorForm(FlaskForm):
    email = EmailField(
        _l("Co-facilitator's email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter an email address.")),
            Email(_l("This email address is not valid."), check_deliverability=False),
            Length(max=254),
        ],
    )


class MeetingForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the session a title.")), Length(max=160)],
    )
    date = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Choose a date."))],
    )
    questionnaire = SelectField(_l("Questionnaire"), validators=[InputRequired()])
    modules = CheckboxesField(
        _l("Optional modules"),
        description=_l("The core is asked at every session, so the group can follow its trends."),
    )
    invitation_only = BooleanField(
        _l("Answer only with single-use invitation cards"),
        description=_l(
            "You print one card per member. Each card opens the questionnaire once; Praxis keeps "
            "whether it was used, never which answers it gave. The shared link and code then "
            "do not open this session."
        ),
    )

    def offer(self, questionnaires: dict) -> None:
        """Fill the choices from the questionnaires available (valid files only)."""
        self.questionnaire.choices = [
            SelectChoice(slug, q.title.get(get_locale_name())) for slug, q in questionnaires.items()
        ]
        self.modules.choices = [
            SelectChoice(m.id, f"{m.title.get(get_locale_name())} (+{q.minutes.get(m.id, 0)} min)")
            for q in questionnaires.values()
            for m in q.modules
        ]
        self._questionnaires = questionnaires

    def validate_modules(self, field) -> None:
        questionnaire = self._questionnaires.get(self.questionnaire.data)
        allowed = {m.id for m in questionnaire.modules} if questionnaire else set()
        if set(field.data or ()) - allowed:
            raise ValidationError(_l("These modules do not belong to the chosen questionnaire."))


class QuestionnaireSettingsForm(FlaskForm):
    """Variant, form of address and the group's own lists; list fields are added per list."""

    variant = SelectField(_l("Lists suited to the trade"))
    familiar = BooleanField(_l("Address members with “tu” in French instructions"))

    @classmethod
    def for_lists(cls, specs: dict, **kwargs) -> "QuestionnaireSettingsForm":
        """A form class with one text area per named list."""
        fields = {
            f"list_{name}": TextAreaField(
                spec.title.get(get_locale_name()),
                description=_l(
                    "One entry per line, from %(min)s to %(max)s entries. "
                    "French label first; add “| English label” if some members answer in English.",
                    min=spec.min,
                    max=spec.max,
                ),
            )
            for name, spec in specs.items()
        }
        return type("GroupQuestionnaireForm", (cls,), fields)(**kwargs)


ROLE_LABELS = {
    "narrator": _l("narrator"),
    "observer": _l("observer"),
    "timekeeper": _l("timekeeper"),
}


class PhaseForm(Form):
    """One phase of a session's plan (a subform: the plan form carries the CSRF token)."""

    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Give the phase a title.")),
            Length(max=MAX_PHASE_TITLE),
        ],
    )
    minutes = IntegerField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(_l("Give the phase a duration in minutes.")),
            NumberRange(min=1, max=MAX_PHASE_MINUTES),
        ],
    )
    narrator = BooleanField(ROLE_LABELS["narrator"])
    observer = BooleanField(ROLE_LABELS["observer"])
    timekeeper = BooleanField(ROLE_LABELS["timekeeper"])
    situations = BooleanField(_l("List the situations members would like to bring"))

    def roles(self) -> tuple[str, ...]:
        return tuple(role for role in PLAN_ROLES if self[role].data)


class PlanForm(FlaskForm):
    """A session's plan, edited as a whole: the pressed button (``action``) says what to do."""

    phases = FieldList(FormField(PhaseForm), min_entries=0, max_entries=MAX_PLAN_PHASES)
    # Filled by the submit button pressed: save, add, remove-N, up-N, down-N.
    action = StringField(validators=[Length(max=20)])
