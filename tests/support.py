"""What tests share that is not a fixture: constants and plain functions, none with an app of
its own (fixtures, which have one, are in conftest.py). Test modules import from here, never
from one another.

Sections: HTTP as a browser speaks it; the participant journey; results as an adversary reads
them; sessions with HTML labels (charts); the URL map's routes; gunicorn on a free port; a
Playwright page filled in; analytics items.
"""

from __future__ import annotations

import datetime as dt
import html
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from survey.analytics import ITEM_COLUMNS
from survey.demo import MODULES, _person
from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Facilitator, Group, Outcome, OutcomeKind
from survey.questionnaire import catalog, frozen_definition, lists
from survey.questionnaire.lists import group_lists
from survey.results import trends as group_trends
from survey.services import groups, meetings, participation, publication

# HTTP as a browser speaks it
# ---------------------------

PASSWORD = "correct horse battery"
#: An overall gap nobody else gives (``add_responses``), to look for in pages.
DISTINCT = 7.0


def text(response) -> str:
    """A page's text as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def csrf_token(client) -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    page = client.get("/")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def post(client, url, data=None, **kwargs):
    """POST a form the way a browser does: with the session's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def login(client, facilitator: Facilitator, password=PASSWORD):
    return post(client, "/login", {"email": facilitator.email, "password": password})


# The participant journey, through HTTP
# -------------------------------------

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def page_token(client, url) -> str:
    return TOKEN.search(client.get(url).get_data(as_text=True)).group(1)


def start(client, join_token, **options):
    """Open the welcome page and start a draft; the client then holds the resume cookie.

    ``options`` go to both requests (e.g. ``environ_overrides`` for another address)."""
    welcome = client.get(f"/j/{join_token}", **options).get_data(as_text=True)
    token = TOKEN.search(welcome).group(1)
    return client.post(f"/j/{join_token}", data={"csrf_token": token}, **options)


def sign_in_page(page, base_url, account):
    """Sign in as the facilitator ``account`` (email, password) in a browser page."""
    email, password = account
    page.goto(f"{base_url}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()


def answer_page(client, join_token, page, data=None, action="next"):
    url = f"/j/{join_token}/{page}"
    return client.post(
        url, data={"csrf_token": page_token(client, url), "action": action, **(data or {})}
    )


def resume_url(client, join_token, page=1) -> str:
    page_html = text(client.get(f"/j/{join_token}/{page}"))
    return re.search(r"value=\"http://localhost(/r/[^\"]+)\"", page_html)[1]


def answer_all(client, join_token, pages=4, last=None, code="none"):
    """Answer every page (a few values), then submit; returns the submit response."""
    answer_page(
        client, join_token, 1, {"overall_gap": "6", "activities__welcome_direct__actual": "4"}
    )
    for page in range(2, pages):
        answer_page(client, join_token, page)
    data = {"proposal": "Plus de temps d'équipe", "code-choice": code, **(last or {})}
    return answer_page(client, join_token, pages, data, action="submit")


# Results as an adversary reads them
# ----------------------------------

CHART_DATA = re.compile(r'<script type="application/json" class="chart-data"[^>]*>(.*?)</script>')
SECTIONS = (
    "prescribed_actual",
    "ideal_feasible",
    "task_map",
    "priorities",
    "self_evaluation",
    "implicit",
    "open",
    "texts",
)


def result_pages(client, meeting_id: int) -> dict[str, str]:
    """Every page of a session's results, as text, by URL."""
    urls = [f"/sessions/{meeting_id}/results"]
    urls += [f"/sessions/{meeting_id}/results/{s}" for s in SECTIONS]
    pages = {url: client.get(url, follow_redirects=True).get_data(as_text=True) for url in urls}
    slides = 1
    while True:  # projection mode, slide after slide
        url = f"/sessions/{meeting_id}/present?slide={slides}"
        page = client.get(url).get_data(as_text=True)
        pages[url] = page
        if f"slide={slides + 1}" not in page or slides > 60:
            return pages
        slides += 1


def page_text(page: str) -> str:
    """What a reader sees of a page (entities decoded)."""
    return html.unescape(page)


def charts_in(page: str) -> list[dict]:
    """The chart payloads a page sends to the browser."""
    return [json.loads(payload) for payload in CHART_DATA.findall(page)]


def numbers_in(payload) -> list[float]:
    """Every number in a chart payload, however deep."""
    if isinstance(payload, bool):
        return []
    if isinstance(payload, int | float):
        return [payload]
    if isinstance(payload, dict):
        return [n for value in payload.values() for n in numbers_in(value)]
    if isinstance(payload, list):
        return [n for value in payload for n in numbers_in(value)]
    return []


# Sessions whose labels are HTML, to check that charts draw them as text
# ----------------------------------------------------------------------

LINK = '<a href="https://example.org">x</a>'
STYLED = '<span style="color:red">y</span>'
HTML_LABELS = [LINK, STYLED]
ESCAPED = [
    '&lt;a href="https://example.org"&gt;x&lt;/a&gt;',
    '&lt;span style="color:red"&gt;y&lt;/span&gt;',
]


def seed_html_labels(
    owner: Facilitator, respondents: int = 6, labels: list[str] = HTML_LABELS
) -> tuple[int, list[int]]:
    """A group whose lists end with HTML-looking entries (or ``labels``), two sessions on the
    same day (titled with the first two) answered by synthetic people and shown, an action in
    HTML: (group, sessions)."""
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
        text = lists.to_text(options).splitlines()[: -len(labels)] + list(labels)
        own[name], problems = lists.parse("\n".join(text), options)
        assert not problems, problems
    groups.set_questionnaire_settings(group, variant=None, familiar=False, own_lists=own)
    sessions = []
    for number, title in enumerate(labels[:2]):
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


# Every route of the URL map
# --------------------------

#: The group the authorization matrix's ``world`` hides from everyone but its owner.
SECRET_GROUP = "Groupe très confidentiel"


def routes(app, values):
    found = []
    for rule in app.url_map.iter_rules():
        missing = set(rule.arguments) - set(values)
        assert not missing, f"give a value for {missing} of {rule.rule}"
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<{rule._converters[name].__class__.__name__.lower()}:{name}>", "")
        path = app.url_map.bind("localhost").build(
            rule.endpoint, {a: values[a] for a in rule.arguments}
        )
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, path))
    return found


# The real app under gunicorn on a free local port, and a client like a browser
# -----------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
_FORM_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int, tmp_path: Path, **settings):
    """gunicorn with ``workers`` workers serving wsgi:app; yields (base URL, process, log path)."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "SURVEY_DATABASE_URL": database_url,
        "SURVEY_SECRET_KEY": "gunicorn-test-secret",
        **{f"SURVEY_{k}": str(v) for k, v in settings.items()},
    }
    bin_dir = Path(sys.executable).parent
    output = log.open("w")
    process = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=10)
                break
            # Refused until gunicorn listens; slow while four workers import the app on 2 cores.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")
        yield base, process, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()


def worker_pids(process: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    return [int(pid) for pid in children.read_text().split()]


class Browser:
    """A cookie-keeping HTTP client, enough for forms with CSRF tokens."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict, token_from: str | None = None) -> tuple[int, str]:
        if token_from is not None:
            _, page = self.get(token_from)
            data = {"csrf_token": _FORM_TOKEN.search(page).group(1), **data}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self._open(urllib.request.Request(self.base + path, data=body))

    def _open(self, request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# A Playwright page, filled in as a person would
# ----------------------------------------------


def fill_page(page):
    """Answer every question of the current page, as a person would, mostly by clicking."""
    from playwright.sync_api import expect  # browser tests only

    for index, scale in enumerate(page.locator("fieldset.scale").all()):
        points = scale.locator("label.point")
        points.nth(index % points.count()).click()
    for allocation in page.locator("fieldset.allocation").all():
        inputs = allocation.locator("input[type=number]").all()
        shares = [100 // len(inputs)] * len(inputs)
        shares[0] += 100 - sum(shares)
        for field, share in zip(inputs, shares, strict=True):
            field.fill(str(share))
        expect(allocation.locator("output.running-total")).to_have_text(
            "Pour l'instant\u00a0: 100 points sur 100."
        )
    for number, select_box in enumerate(page.locator(".question-ranking select").all()):
        select_box.select_option(index=number + 1)
    for checkbox in page.locator(".question-choice input[type=checkbox]").all()[:2]:
        checkbox.check()
    for area in page.locator(".question-text textarea").all():
        area.fill("Une situation où j'ai adapté la procédure pour une personne pressée.")


# Analytics: a few items of every kind
# ------------------------------------

ITEMS = pd.DataFrame(
    [
        ("act.desk", "act", "a", "paired", "Desk", 0, 10, "prescribed", "actual"),
        ("act.calm", "act", "a", "paired", "Calm", 0, 10, "prescribed", "actual"),
        ("agree", "agree", "e", "rating", "Agree", 1, 5, None, None),
        ("same", "same", "e", "rating", "Same", 1, 5, None, None),
        ("tasks.refusal", "tasks", "c", "task_map", "Refusal", 1, 7, None, None),
        ("obj.people", "obj", "d", "allocation", "People", 0, 100, None, None),
        ("obj.quality", "obj", "d", "allocation", "Quality", 0, 100, None, None),
        ("topics", "topics", "g", "ranking", "Topics", 1, 3, None, None),
        ("obstacles", "obstacles", "b", "choice", "Obstacles", 0, 1, None, None),
    ],
    columns=ITEM_COLUMNS,
)


def answered_session(app, group_id, day, people, modules=MODULES, publish=True) -> int:
    """A closed session whose results were shown, answered by ``people``: each a dict of
    (item, facet) → value (a person who skips an item just leaves it out)."""
    with app.app_context():
        group = db.session.get(Group, group_id)
        meeting = meetings.plan_meeting(
            group, title=f"Séance {day}", date=dt.date(2026, 1, day), modules=modules
        )
        meetings.open_collection(meeting)
        for answers in people:
            draft, _ = participation.start_draft(meeting)
            values = [AnswerValue(item, facet, float(v)) for (item, facet), v in answers.items()]
            participation.submit(meeting, draft.id, values, None)
        meetings.close_collection(meeting)
        if publish:
            publication.record(meeting)
        db.session.commit()
        return meeting.id


def trends_tables(app, group_id):
    """The trends, and each chart's table as {row label: cells} (with its chart's JSON)."""
    with app.test_request_context():
        result = group_trends.build(db.session.get(Group, group_id), "fr")
        tables = {
            figure.key: {row[0]: row[1:] for row in figure.rows} | {"_chart": figure.chart}
            for dimension in result.dimensions
            for figure in dimension.charts
        }
        return result, tables
