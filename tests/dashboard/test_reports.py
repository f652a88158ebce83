"""Printable reports (issue 14 item 7, issue 15 item 2): a session's report and the group's
cycle review hold the very figures of the dashboard and trends pages, shareable outcomes unless
all are asked for, facilitator text escaped, and nobody else's group."""

import html
import re

import pytest
from support import PASSWORD, login, text

from survey.extensions import db
from survey.models import Facilitator, Group, Meeting, OutcomeKind
from survey.results import queries
from survey.services import outcomes

SCRIPT = "<script>alert('report')</script>"
TABLE = re.compile(r"<table[^>]*>(.*?)</table>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
NOTE_LINK = re.compile(r'<a class="note-link".*?</a>', re.S)


def words(fragment: str) -> str:
    """A fragment of HTML as read: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def tables(page: str) -> list[list[tuple[str, ...]]]:
    """Every table of a page, as rows of cell texts (« Noter » links left out)."""
    page = NOTE_LINK.sub("", page)
    return [
        [tuple(words(c) for c in CELL.findall(row)) for row in ROW.findall(table)]
        for table in TABLE.findall(page)
    ]


@pytest.fixture
def demo(app, demo_groups):
    """The demo group: (group id, its shown sessions' ids, oldest first, and the open one)."""
    (group,) = demo_groups()
    with app.app_context():
        found = db.session.get(Group, group.id)
        shown = [m.id for m in queries.published_sessions(found)]
        upcoming = max(found.meetings, key=lambda m: m.date).id
    return group.id, shown, upcoming


def record(app, meeting_id: int, text_: str, shareable: bool, **fields) -> int:
    with app.test_request_context():
        meeting = db.session.get(Meeting, meeting_id)
        outcome = outcomes.record(
            meeting,
            outcomes.OutcomeFields(
                kind=fields.pop("kind", OutcomeKind.ACTION),
                text=text_,
                shareable=shareable,
                **fields,
            ),
            "fr",
        )
        db.session.commit()
        return outcome.id


def test_the_session_report_holds_the_tables_of_every_results_page(signed_in, demo):
    _group, shown, _upcoming = demo
    meeting = shown[-1]
    report = text(signed_in.get(f"/sessions/{meeting}/report"))
    parts = report.split('aria-labelledby="section-')
    in_report = [t for part in parts[1:] for t in tables(part)]
    overview = text(signed_in.get(f"/sessions/{meeting}/results"))
    sections = [
        s
        for s in dict.fromkeys(
            re.findall(rf'href="/sessions/{meeting}/results/([a-z_]+)"', overview)
        )
        if s not in ("publish", "texts")
    ]
    assert len(sections) >= 5
    on_pages = [
        t for s in sections for t in tables(text(signed_in.get(f"/sessions/{meeting}/results/{s}")))
    ]
    assert in_report == on_pages and len(on_pages) >= 10
    # The agenda, the shared gaps and the controversies, as the overview says them.
    agenda = re.compile(r'<ol class="agenda">(.*?)</ol>', re.S)
    assert words(NOTE_LINK.sub("", agenda.search(overview)[1])) == words(agenda.search(report)[1])
    for flagged in ("Aider à effectuer une démarche en ligne", "Apaiser une personne mécontente"):
        assert flagged in html.unescape(report)
    # The method notes: the responses shown and the questionnaire's version.
    assert re.search(r'id="report-n">9<', report)
    assert "standard 1.1" in report or re.search(r"standard \d", report)


def test_the_cycle_review_holds_the_trends_tables_and_where_the_group_started(signed_in, demo):
    group, shown, _upcoming = demo
    cycle = text(signed_in.get(f"/groups/{group}/cycle?outcomes=all"))
    trends = text(signed_in.get(f"/groups/{group}/trends"))
    in_cycle = tables(cycle)
    for table in tables(trends):
        assert table in in_cycle, table[0]
    page = html.unescape(cycle)
    for title in ("Séance 1 — Premiers repères", "Séance 3 — Les situations tendues"):
        assert title in page
    # The first session's largest gaps are the mean gaps its own results page shows.
    (gaps,) = [t for t in in_cycle if t and len(t[0]) == 3 and len(t) == 6]
    heading = gaps[0][2]
    first = text(signed_in.get(f"/sessions/{shown[0]}/results/prescribed_actual")) + text(
        signed_in.get(f"/sessions/{shown[0]}/results/ideal_feasible")
    )
    shown_gaps = {}
    for table in tables(first):
        if heading in table[0]:
            column = table[0].index(heading)
            shown_gaps.update({row[0]: row[column] for row in table[1:]})
    for label_and_section, _views, gap in gaps[1:]:
        label = next(label for label in shown_gaps if label_and_section.startswith(label))
        assert shown_gaps[label] == gap
    values = [abs(float(gap.replace(",", ".").replace("−", "-"))) for *_x, gap in gaps[1:]]
    assert values == sorted(values, reverse=True)
    # The charts drawn for paper carry the figures of the tables beside them, no other.
    (dimensions,) = [t for t in in_cycle if t[0][0] == "Dimension"]
    moved = cycle[cycle.index('id="moved-title"') :]
    svg = re.search(r'<svg class="print-chart".*?</svg>', moved, re.S)[0]
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" fill="#[0-9a-f]+">([^<]+)</text>', svg)
    dots = [label for label in labels if re.fullmatch(r"-?\d+,\d", label)]
    assert sorted(dots) == sorted(cell for row in dimensions[1:] for cell in row[1:])
    assert cycle.count('<svg class="print-chart"') == 3  # and the demo's two indicators
    # Links both ways: the group page and the trends page lead here.
    assert f'href="/groups/{group}/cycle"' in text(signed_in.get(f"/groups/{group}"))
    assert f'href="/groups/{group}/cycle"' in trends


def test_reports_show_shareable_outcomes_unless_all_are_asked_for(app, signed_in, demo):
    group, shown, _upcoming = demo
    meeting = shown[-1]
    record(app, meeting, "Une action à partager", True)
    record(app, meeting, "Une action gardée pour le groupe", False)
    for url in (f"/sessions/{meeting}/report", f"/groups/{group}/cycle"):
        shareable = html.unescape(text(signed_in.get(url)))
        every = html.unescape(text(signed_in.get(f"{url}?outcomes=all")))
        assert "Une action à partager" in shareable and "Une action à partager" in every
        assert "Une action gardée pour le groupe" not in shareable
        assert "Une action gardée pour le groupe" in every
        # The demo's own outcomes are not marked shareable: in the full report only.
        assert "Préparer ensemble une trame pour expliquer un refus" not in shareable
        assert "Préparer ensemble une trame pour expliquer un refus" in every
        assert 'class="report-scope"' in shareable and 'class="report-scope"' in every
        assert f"{url}?outcomes=all" in shareable  # the way to the other one
    overview = text(signed_in.get(f"/sessions/{meeting}/results"))
    assert f'href="/sessions/{meeting}/report"' in overview
    assert f'href="/sessions/{meeting}/report?outcomes=all"' in overview


def test_reports_say_which_outcomes_they_show(app, client, make_facilitator, demo):
    """In English for this co-facilitator (the French words come with the translations)."""
    group, shown, _upcoming = demo
    record(app, shown[-1], "Partageable", True)
    english = make_facilitator(email="sam@example.org", locale="en")
    with app.app_context():
        found = db.session.get(Group, group)
        found.facilitators.append(db.session.get(Facilitator, english.id))
        db.session.commit()
    login(client, english, PASSWORD)
    for url in (f"/sessions/{shown[-1]}/report", f"/groups/{group}/cycle"):
        page = words(text(client.get(url)))
        assert "Only the outcomes marked shareable outside the group are shown." in page
        assert "other outcomes are left out." in page
        page = words(text(client.get(f"{url}?outcomes=all")))
        assert "Every outcome is shown, including those not marked shareable" in page


def test_a_co_facilitator_reads_the_reports_another_facilitator_finds_nothing(
    app, client, make_facilitator, demo
):
    group, shown, _upcoming = demo
    colleague = make_facilitator(email="colleague@example.org")
    stranger = make_facilitator(email="stranger@example.org")
    with app.app_context():
        found = db.session.get(Group, group)
        found.facilitators.append(db.session.get(Facilitator, colleague.id))
        db.session.commit()
    urls = (
        f"/sessions/{shown[0]}/report",
        f"/groups/{group}/cycle",
        f"/groups/{group}/cycle?outcomes=all",
    )
    login(client, colleague, PASSWORD)
    for url in urls:
        assert client.get(url).status_code == 200, url
    other = app.test_client()
    login(other, stranger, PASSWORD)
    for url in urls:
        assert other.get(url).status_code == 404, url


def test_a_session_without_shown_results_has_no_report_yet(signed_in, demo):
    _group, _shown, upcoming = demo  # still collecting
    response = signed_in.get(f"/sessions/{upcoming}/report")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/sessions/{upcoming}/results")


def test_a_group_without_shown_results_has_an_empty_cycle_review(
    signed_in, facilitator, make_group
):
    group = make_group(facilitator)
    page = text(signed_in.get(f"/groups/{group.id}/cycle"))
    assert 'id="start-title"' not in page and 'id="cycle-statements"' not in page


def test_facilitator_text_is_escaped_in_both_reports(app, signed_in, demo):
    group, shown, _upcoming = demo
    meeting = shown[-1]
    record(app, meeting, SCRIPT, True, role="<b>l'équipe</b>")
    record(app, meeting, f"Solution {SCRIPT}", True, kind=OutcomeKind.SOLUTION)
    for url in (f"/sessions/{meeting}/report", f"/groups/{group}/cycle"):
        page = signed_in.get(url).get_data(as_text=True)
        assert SCRIPT not in page and "<b>l'équipe</b>" not in page
        assert "&lt;script&gt;alert(" in page and "&lt;b&gt;l" in page
