"""Sessions whose labels are HTML, to check that charts draw them as text."""

import datetime as dt
import json
import random
import re

from survey.demo import MODULES, _person
from survey.extensions import db
from survey.models import Facilitator, Outcome, OutcomeKind
from survey.questionnaire import catalog, frozen_definition, lists
from survey.questionnaire.lists import group_lists
from survey.services import groups, meetings, participation, publication

LINK = '<a href="https://example.org">x</a>'
STYLED = '<span style="color:red">y</span>'
HTML_LABELS = [LINK, STYLED]
ESCAPED = [
    '&lt;a href="https://example.org"&gt;x&lt;/a&gt;',
    '&lt;span style="color:red"&gt;y&lt;/span&gt;',
]


def seed_html_labels(owner: Facilitator, respondents: int = 6) -> tuple[int, list[int]]:
    """A group whose lists end with HTML-looking entries, two sessions on the same day (titled
    with HTML) answered by synthetic people and shown, an action in HTML: (group, sessions)."""
    group = groups.create_group(
        owner,
        name="Accueil",
        domain="public_reception",
        establishments=["Nord"],
        member_cap=12,
        anonymity_threshold=4,
    )
    standard = catalog().get("standard")
    own = {}
    for name, options in group_lists(group, standard).items():
        text = lists.to_text(options).splitlines()[:-2] + HTML_LABELS
        own[name], problems = lists.parse("\n".join(text), options)
        assert not problems, problems
    groups.set_questionnaire_settings(group, variant=None, familiar=False, own_lists=own)
    sessions = []
    for number, title in enumerate(HTML_LABELS):
        meeting = meetings.plan_meeting(
            group, title=title, date=dt.date(2026, 11, 5), modules=MODULES
        )
        meetings.open_collection(meeting)
        definition = frozen_definition(meeting)
        rng = random.Random(number)
        for person in range(respondents):
            draft, _ = participation.start_draft(meeting)
            answers = list(_person(definition, rng, person, 0.0))
            participation.submit(meeting, draft.id, answers, None)
        meetings.close_collection(meeting)
        publication.record(meeting)
        db.session.add(Outcome(meeting=meeting, kind=OutcomeKind.ACTION, text=STYLED))
        sessions.append(meeting.id)
    db.session.flush()
    return group.id, sessions


def figures(page: str) -> list[dict]:
    """The chart payloads embedded in a page."""
    return [
        json.loads(data)
        for data in re.findall(r'class="chart-data"[^>]*>(.*?)</script>', page, re.S)
    ]


def strings(value):
    """Every string in a figure, however deep."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)


EIGHT_TASKS = [
    "Accueillir une personne sans rendez-vous",
    "Répondre aux appels téléphoniques",
    "Saisir les dossiers dans le logiciel",
    "Trier et classer le courrier",
    "Gérer la file d'attente aux heures d'affluence",
    "Accompagner une démarche sur ordinateur",
    "Expliquer un refus",
    "Orienter vers un autre service ou un partenaire",
]


def seed_eight_tasks(owner: Facilitator, respondents: int = 9) -> int:
    """A shown session whose eight tasks all sit close together but one: its id."""
    group = groups.create_group(
        owner,
        name="Huit tâches",
        domain="public_reception",
        establishments=["Nord"],
        member_cap=12,
        anonymity_threshold=4,
    )
    parsed, problems = lists.parse("\n".join(EIGHT_TASKS))
    assert not problems, problems
    # The demo's answers make this one hard and tedious, and every other task alike.
    tasks = tuple(
        o.model_copy(update={"id": "explain_refusal"}) if o.label.fr == "Expliquer un refus" else o
        for o in parsed
    )
    groups.set_questionnaire_settings(
        group, variant=None, familiar=False, own_lists={"tasks": tasks}
    )
    meeting = meetings.plan_meeting(
        group, title="Séance", date=dt.date(2026, 11, 5), modules=MODULES
    )
    meetings.open_collection(meeting)
    definition = frozen_definition(meeting)
    rng = random.Random(8)
    for person in range(respondents):
        draft, _ = participation.start_draft(meeting)
        participation.submit(meeting, draft.id, list(_person(definition, rng, person, 0.0)), None)
    meetings.close_collection(meeting)
    publication.record(meeting)
    db.session.flush()
    return meeting.id
