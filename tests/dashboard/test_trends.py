"""Trends over a group's sessions: aligned by statement, only what k allows, oldest first."""

import datetime as dt
import json
import re

import pytest
from sqlalchemy import select
from support import text

from survey.extensions import db
from survey.models import Group, Meeting
from survey.services import publication

ROW = re.compile(r"<tr>\s*<th scope=\"row\">(.*?)<br>.*?</th>(.*?)</tr>", re.S)


def rows(page: str) -> dict[str, list[str]]:
    table = page.split('id="statements-title"', 1)[1].split("</table>", 1)[0]
    return {label: re.findall(r"<td>(.*?)</td>", cells) for label, cells in ROW.findall(table)}


def number(cell: str) -> float:
    return float(cell.replace("\u202f", "").replace("−", "-").replace(",", "."))


def test_the_demo_trends_show_the_online_gap_closing(signed_in, demo_groups):
    (group,) = demo_groups()
    page = text(signed_in.get(f"/groups/{group.id}/trends"))
    assert "Séance 1 — Premiers repères" in page and "Séance 4" not in page  # still open
    online = rows(page)["Aider à effectuer une démarche en ligne"]
    gaps = [number(cell) for cell in online[:3]]
    assert gaps[0] > gaps[1] > gaps[2] and number(online[3]) == pytest.approx(gaps[2] - gaps[1])
    chart = json.loads(page.split('data-target="chart-trends">', 1)[1].split("</script>", 1)[0])
    lines = {trace["name"]: trace["y"] for trace in chart["data"]}
    assert len(lines["A. Travail prescrit, travail réel"]) == 3


def test_a_session_below_k_shows_nothing_and_is_skipped_by_the_change(
    app, signed_in, facilitator, make_group, make_meeting, add_responses, set_status
):
    group = make_group(facilitator, anonymity_threshold=4)
    counts = {"Première": 4, "Deuxième": 3, "Troisième": 5}
    for day, (title, count) in enumerate(counts.items(), start=1):
        meeting_id = make_meeting(group, title=title, status="open").id
        add_responses(meeting_id, count)
        set_status(meeting_id, "closed")
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)
            meeting.date = dt.date(2026, 1, day)
            publication.record(meeting)  # three responses: the dashboard would refuse it
            db.session.commit()
    page = text(signed_in.get(f"/groups/{group.id}/trends"))
    welcome = next(cells for label, cells in rows(page).items() if "accueil" in label.lower())
    assert [c for c in welcome[:3]] == ["7,0", "moins de 4 réponses", "7,0"]
    assert welcome[3] == "0,0"  # since the last session shown, the first one
    payload = page.split('data-target="chart-trends">', 1)[1].split("</script>", 1)[0]
    assert json.loads(payload)["data"][0]["y"][1] is None


def test_trends_wait_for_two_sessions(app, signed_in, facilitator, make_group):
    group = make_group(facilitator)
    page = text(signed_in.get(f"/groups/{group.id}/trends"))
    assert "une fois les résultats de deux séances" in page
    with app.app_context():
        assert db.session.scalar(select(Group.name).where(Group.id == group.id))


def test_the_trends_chart_has_its_table(signed_in, demo_groups):
    (group,) = demo_groups()
    page = text(signed_in.get(f"/groups/{group.id}/trends"))
    panel = page.split('id="chart-trends"', 1)[1].split("</section>", 1)[0]
    payload = panel.split('data-target="chart-trends">', 1)[1].split("</script>", 1)[0]
    lines = {t["name"]: t["y"] for t in json.loads(payload)["data"] if "lines" in t["mode"]}
    details = panel.split('<details class="as-table">', 1)[1].split("</details>", 1)[0]
    assert "Voir sous forme de tableau" in details
    assert details.count('<th scope="col">') == 4  # the dimension, then a column per session
    table = {
        label: re.findall(r"<td>(.*?)</td>", cells)
        for label, cells in re.findall(
            r"<tr>\s*<th scope=\"row\">(.*?)</th>(.*?)</tr>", details, re.S
        )
    }
    assert set(table) == set(lines)
    for name, values in lines.items():
        assert len(table[name]) == len(values) == 3
        for cell, value in zip(table[name], values, strict=True):
            if value is None:
                assert cell == "—"
            else:
                assert number(cell) == pytest.approx(value, abs=0.051)
