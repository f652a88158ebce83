"""Structure and wording that assistive technologies rely on: heading levels, group names,
plurals and the footer's promise."""

import re

from sqlalchemy import select
from support import text

from survey.extensions import db
from survey.models import Meeting, MeetingStatus

HEADING = re.compile(r"<h([1-6])\b")


def levels(page: str) -> list[int]:
    return [int(level) for level in HEADING.findall(page)]


def test_results_pages_never_skip_a_heading_level(app, signed_in, demo_groups):
    (group,) = demo_groups()
    with app.app_context():
        closed = db.session.scalars(
            select(Meeting.id).where(Meeting.status == MeetingStatus.CLOSED)
        ).all()
    urls = [f"/groups/{group.id}/trends", "/overview", f"/sessions/{closed[-1]}/results"]
    overview = text(signed_in.get(urls[-1]))
    urls += sorted(set(re.findall(rf'href="(/sessions/{closed[-1]}/results/[^"]+)"', overview)))
    assert len(urls) > 4
    for url in urls:
        found = levels(text(signed_in.get(url)))
        assert found and found[0] == 1, (url, found)
        jumps = [(a, b) for a, b in zip(found, found[1:], strict=False) if b > a + 1]
        assert not jumps, (url, found)


def test_the_module_checkboxes_are_a_named_group(signed_in, facilitator, make_group):
    group_id = make_group(facilitator).id
    page = text(signed_in.get(f"/groups/{group_id}/sessions/new"))
    group = re.search(r"<fieldset[^>]*>\s*<legend>([^<]+)</legend>(.*?)</fieldset>", page, re.S)
    assert group and group[1] == "Modules facultatifs"
    assert 'name="modules"' in group[2]


def test_the_room_count_says_0_and_1_in_the_singular(
    signed_in, facilitator, make_group, make_meeting
):
    group = make_group(facilitator)
    meeting = make_meeting(group, status="open")
    assert signed_in.get(f"/sessions/{meeting.id}/room/count").json["text"] == "0 réponse"
    assert "0 réponse" in text(signed_in.get(f"/sessions/{meeting.id}/room"))
    assert "{n}" not in text(signed_in.get(f"/sessions/{meeting.id}/room"))


def test_the_footer_speaks_in_words_not_in_k(client):
    footer = text(client.get("/")).split('class="site-footer', 1)[1]
    assert not re.search(r"\bk\b", re.sub(r"<[^>]+>", " ", footer))
    assert "anonymes" in footer
