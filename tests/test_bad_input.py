"""Property-based bad input: every form and URL parameter, hostile values, never a 500.

Each example is one real HTTP request through the test client. Across the endpoints below and
both databases the suite sends over 10,000 of them. Invalid requests must store nothing, and a
payload shown back must be escaped.
"""

import re
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text as sql
from support import csrf_token, login, post

from survey.extensions import db
from survey.models import Facilitator
from survey.services import api_tokens

EXAMPLES = 400
NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "'); DROP TABLE response; --",
    "\x00",
    "a\x00b",
    "x" * 5000,
    "😀" * 50,
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "{{ 7 * 7 }}",
    "javascript:alert(1)",
    "//evil.example/",
    "2026-02-31",
    "",
    " ",
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=200),
    st.integers().map(str),
    st.floats().map(str),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)

#: Each form endpoint with its real field names (item ids for the answering form).
FORMS = {
    "login": ("/login", ["email", "password"]),
    "new_group": (
        "/groups/new",
        ["name", "domain", "establishments", "member_cap", "anonymity_threshold"],
    ),
    "edit_group": (
        "/groups/{group}/edit",
        ["name", "domain", "establishments", "member_cap", "anonymity_threshold"],
    ),
    "cofacilitator": ("/groups/{group}/facilitators", ["email"]),
    "lists": (
        "/groups/{group}/questionnaire",
        ["variant", "familiar", "list_activities", "list_tasks", "list_objectives"],
    ),
    "new_meeting": (
        "/groups/{group}/sessions/new",
        ["title", "date", "questionnaire", "modules", "invitation_only"],
    ),
    "edit_meeting": ("/sessions/{meeting}/edit", ["title", "date", "questionnaire", "modules"]),
    "invitations": ("/sessions/{meeting}/invitations", ["count"]),
    "join": ("/join", ["code"]),
    "journal": ("/journal", ["code"]),
    "language": ("/language", ["language", "next"]),
    "answer_first": (
        "/j/{token}/1",
        [
            "action",
            "overall_gap",
            "gap_valence",
            "_establishment",
            "activities__welcome_direct__actual",
            "unknown__item",
        ],
    ),
    "answer_last": (
        "/j/{token}/4",
        [
            "action",
            "topics__1",
            "topics__2",
            "proposal",
            "code-choice",
            "code-existing",
            "recent_situation",
        ],
    ),
}
COUNTS = sql(
    "SELECT (SELECT count(*) FROM practice_group), (SELECT count(*) FROM meeting), "
    "(SELECT count(*) FROM establishment), (SELECT count(*) FROM invitation), "
    "(SELECT count(*) FROM response), (SELECT count(*) FROM facilitator)"
)


@pytest.fixture
def target(app, client, facilitator, make_group, make_meeting):
    """A signed-in facilitator with a group and an open session, a started draft, no limits."""
    app.config["RATELIMIT_ENABLED"] = False
    meeting = make_meeting(make_group(facilitator), status="open")
    token = meeting.join_token
    login(client, facilitator)
    welcome = client.get(f"/j/{token}").get_data(as_text=True)
    start_token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', welcome)[1]
    client.post(f"/j/{token}", data={"csrf_token": start_token})
    with app.app_context():  # the API routes below are read with a token, past the 401
        _api_token, secret = api_tokens.create(db.session.get(Facilitator, facilitator.id), "t")
        db.session.commit()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return {
        "group": meeting.group_id,
        "meeting": meeting.id,
        "token": token,
        "csrf": csrf_token(client),
    }


def counts(app):
    with app.app_context():
        return tuple(db.session.execute(COUNTS).one())


def assert_escaped(body: str, values) -> None:
    for value in values:
        if isinstance(value, str) and len(value) >= 3 and ("<" in value or '"' in value):
            assert value not in body, f"shown unescaped: {value!r}"


@pytest.mark.parametrize("form", sorted(FORMS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same requests on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_forms_survive_hostile_input(app, client, target, form, data):
    path, fields = FORMS[form]
    url = path.format(**target)
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True), label="fields")
    payload = {name: data.draw(VALUE | st.lists(VALUE, max_size=3), label=name) for name in chosen}
    before = counts(app)
    response = client.post(url, data={"csrf_token": target["csrf"], **payload})
    assert response.status_code < 500, (form, payload)
    flat = [
        v for value in payload.values() for v in (value if isinstance(value, list) else [value])
    ]
    assert_escaped(response.get_data(as_text=True), flat)  # every payload shown is escaped
    body = response.get_data(as_text=True)
    stored = response.status_code == 302 or 'class="invitation-card"' in body
    if not stored:
        assert counts(app) == before, (form, payload)


ROUTES = [
    "/groups/{x}",
    "/groups/{x}/edit",
    "/sessions/{x}",
    "/sessions/{x}/preview",
    "/sessions/{x}/results",
    "/sessions/{x}/results/{x}",
    "/sessions/{x}/present",
    "/sessions/{x}/room",
    "/j/{x}",
    "/j/{x}/{x}",
    "/r/{x}",
    "/i/{x}",
    "/reset/{x}",
    "/invitations/link/{x}",
    "/sessions/{x}/outcomes",
    "/sessions/{x}/review",
    "/sessions/{x}/report",
    "/sessions/{x}/report?outcomes={x}",
    "/groups/{x}/cycle",
    "/groups/{x}/cycle?outcomes={x}",
    "/sessions/{x}/plan",
    "/sessions/{x}/plan/run",
    "/sessions/{x}/export.xlsx",
    "/sessions/{x}/export-csv.zip",
    "/groups/{x}/export.xlsx",
    "/groups/{x}/export-csv.zip",
    "/static/{x}",
    "/static/favicon.svg?v={x}",
    "/sessions/{meeting}/preview?page={x}",
    "/sessions/{meeting}/results/{x}",
    "/login?next={x}",
    "/api/v1/groups/{x}",
    "/api/v1/groups/{x}/sessions",
    "/api/v1/groups/{x}/trends",
    "/api/v1/groups/{x}/outcomes",
    "/api/v1/sessions/{x}",
    "/api/v1/sessions/{x}/results",
    "/api/v1/{x}",
    "/{x}",
]


@settings(
    max_examples=EXAMPLES * 2,
    deadline=None,
    derandomize=True,  # the same requests on every run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(route=st.sampled_from(ROUTES), value=VALUE)
def test_url_parameters_survive_hostile_input(app, client, target, route, value):
    segment = urllib.parse.quote(value, safe="")
    url = route.format(x=segment, meeting=target["meeting"])
    response = client.get(url)
    assert response.status_code < 500, url
    if response.status_code == 302:
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
    assert_escaped(response.get_data(as_text=True), [value])


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "é", "%"])
def test_a_join_link_or_code_with_odd_characters_finds_nothing(app, client, value):
    """PostgreSQL refuses a NUL byte in a query: such a token or code is no token of ours (the
    request guard answers 400 to a NUL byte, and its error page looks the group up from the
    address: that lookup must not query with it either)."""
    segment = urllib.parse.quote(value, safe="")
    assert client.get(f"/j/{segment}").status_code in (400, 404)
    assert post(client, "/join", {"code": value}).status_code in (200, 400)
