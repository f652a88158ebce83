"""Participant pages: the footer's threshold, starting afresh from a card, signed scale values."""

import datetime as dt
import re

import pytest
from support import TOKEN, answer_page, post, start, text

from survey.extensions import db
from survey.models import Draft, Group, Meeting
from survey.services import meetings

GENERIC = "a group's results are shown only once enough people have answered."


def footer(response) -> str:
    return re.search(r'<footer class="site-footer container">(.*?)</footer>', text(response), re.S)[
        1
    ]


def exact(k: int) -> str:
    return f"a group's results are shown only once at least {k} people have answered."


@pytest.fixture
def open_session(app, facilitator, make_group, make_meeting):
    """An open session of a group whose threshold is 5: (group id, meeting id, join token)."""
    group_id = make_group(facilitator, anonymity_threshold=5).id
    meeting_id = make_meeting(group_id, status="open").id
    with app.app_context():
        return group_id, meeting_id, db.session.get(Meeting, meeting_id).join_token


def test_the_footer_gives_the_groups_threshold_where_the_group_is_known(
    app, client, signed_in, open_session
):
    group_id, meeting_id, token = open_session
    for browser in (client, signed_in):
        post(browser, "/language", {"language": "en"})
    assert GENERIC in footer(client.get("/"))
    assert GENERIC in footer(client.get("/journal"))
    start(client, token)
    for url in (f"/j/{token}", f"/j/{token}/1"):
        assert exact(5) in footer(client.get(url)), url
    for url in (f"/groups/{group_id}", f"/sessions/{meeting_id}", f"/groups/{group_id}/trends"):
        page = signed_in.get(url)
        assert page.status_code == 200 and exact(5) in footer(page), url
    assert GENERIC in footer(signed_in.get("/groups"))
    assert GENERIC in footer(signed_in.get("/overview"))


def test_the_footer_of_an_expired_form_inside_a_session_knows_its_group(app, open_session):
    _, _, token = open_session
    browser = app.test_client()
    post(browser, "/language", {"language": "en"})
    refused = browser.post(f"/j/{token}", data={"csrf_token": "stale"})
    assert refused.status_code == 400 and exact(5) in footer(refused)
    unknown = browser.get("/j/no-such-session-token")
    assert unknown.status_code == 404 and GENERIC in footer(unknown)


def test_a_card_resumed_on_a_shared_computer_can_start_afresh(app, open_session):
    """Mirrors the join link's « Commencer un nouveau questionnaire » for a draft resumed there."""
    _, meeting_id, token = open_session
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.invitation_only = True
        (card,) = meetings.create_invitations(meeting, 1)
        db.session.commit()
    browser = app.test_client()
    first = browser.get(f"/i/{card}")
    assert 'name="fresh"' not in text(first)  # nothing to resume yet
    started = browser.post(f"/i/{card}", data={"csrf_token": TOKEN.search(text(first))[1]})
    assert started.headers["Location"] == f"/j/{token}/1"
    cookie = browser.get_cookie(f"praxis-resume-{meeting_id}").value
    resumed = text(browser.get(f"/i/{card}"))
    assert "Commencer un nouveau questionnaire" in resumed and 'name="fresh"' in resumed
    resuming = browser.post(f"/i/{card}", data={"csrf_token": TOKEN.search(resumed)[1]})
    assert browser.get_cookie(f"praxis-resume-{meeting_id}").value == cookie  # plain resume
    assert resuming.headers["Location"] == f"/j/{token}/1"
    fresh = browser.post(f"/i/{card}", data={"csrf_token": TOKEN.search(resumed)[1], "fresh": "1"})
    assert fresh.headers["Location"] == f"/j/{token}/1"
    assert browser.get_cookie(f"praxis-resume-{meeting_id}").value != cookie
    with app.app_context():
        drafts = db.session.scalars(db.select(Draft)).all()
        assert len(drafts) == 2  # the other person's draft stays, reachable by their link
        assert {d.invitation_id for d in drafts} == {drafts[0].invitation_id} != {None}
    # The join link of an invitation-only session still offers no way around the cards.
    assert 'name="fresh"' not in text(browser.get(f"/j/{token}"))


def task_map_page(app, client, facilitator, make_group) -> tuple[str, str, int]:
    """The task-map page of a session with that module, in the client's language: (its text,
    the join token, its number)."""
    group_id = make_group(facilitator, name="Cartes").id
    with app.app_context():
        meeting = meetings.plan_meeting(
            db.session.get(Group, group_id),
            title="Tâches",
            date=dt.date(2027, 2, 4),
            modules=["task_map"],
        )
        meetings.open_collection(meeting)
        db.session.commit()
        token = meeting.join_token
    start(client, token)
    for page in range(1, 10):
        html = text(client.get(f"/j/{token}/{page}"))
        if 'class="question question-task_map"' in html:
            return html, token, page
    raise AssertionError("no task-map page")


def point_names(html: str, legend: str) -> list[str]:
    """The accessible names of the radios of the first scale with this legend."""
    scale = html.split(f"<legend>{legend}</legend>", 1)[1].split("</fieldset>", 1)[0]
    labels = re.findall(r'<label class="point">(.*?)</label>', scale, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", label).split()) for label in labels]


def test_signed_scale_points_use_a_true_minus_and_name_their_side(
    app, client, facilitator, make_group
):
    """A bare « +2 » or « -2 » (hyphen, often silent in screen readers) says little on its own:
    each point reads its sign, with a true minus, and the end of the scale it leans towards."""
    post(client, "/language", {"language": "en"})
    html, _, _ = task_map_page(app, client, facilitator, make_group)
    shown = re.findall(r'<span class="value">([^<]*)</span>', html)
    assert "\u22123" in shown and "+3" in shown and not any(v.startswith("-") for v in shown)
    assert point_names(html, "Tedious or motivating") == [
        "\u22123 Tedious",
        "\u22122 towards “Tedious”",
        "\u22121 towards “Tedious”",
        "0 Neutral",
        "+1 towards “Motivating”",
        "+2 towards “Motivating”",
        "+3 Motivating",
    ]
    # Unsigned scales keep their plain numbers, and their anchors only.
    level = point_names(html, "How demanding the task is")
    assert level[0] == "1 Very low" and level[1:3] == ["2", "3"] and level[3] == "4 Medium"


def test_signed_scale_points_in_french(app, client, facilitator, make_group):
    html, _, _ = task_map_page(app, client, facilitator, make_group)
    names = point_names(html, "Pénible ou motivante")
    assert [names[0], names[3], names[6]] == ["\u22123 Pénible", "0 Neutre", "+3 Motivante"]
    assert names[1].startswith("\u22122 ") and names[5].startswith("+2 ")
    assert "Pénible" in names[1] and "Motivante" in names[5]


def test_the_journal_shows_signed_answers_with_a_true_minus(app, client, facilitator, make_group):
    post(client, "/language", {"language": "en"})
    html, token, page = task_map_page(app, client, facilitator, make_group)
    first, second = re.findall(r'name="([^"]+__valence)"', html)[::7][:2]
    answer_page(client, token, page, {first: "-2", second: "3"})
    number = page + 1
    while 'value="submit"' not in text(client.get(f"/j/{token}/{number}")):
        number += 1
    thanks = answer_page(client, token, number, {"code-choice": "new"}, action="submit")
    code = re.search(r'id="personal-code">([^<]+)<', text(thanks))[1]
    journal = text(post(app.test_client(), "/journal", {"code": code}))
    assert "\u22122" in journal and "+3 (Motivante)" in journal
    assert not re.search(r"[>\s]-2\b", journal)
