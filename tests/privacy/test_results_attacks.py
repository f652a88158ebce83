"""Attacks on the results through the UI: each recovered one person's answers before per-number
anonymity (DESIGN.md §6); each must now recover nothing, on SQLite and PostgreSQL."""

import re

from support import charts_in, numbers_in, page_text, post, result_pages, text

TASK = "tasks.explain_refusal"
OBJECTIVE = "objectives.people_seen"
ACTIVITY = "activities.calm_visitor"
FILLER = {("overall_gap", ""): 5}


def test_a_task_axis_answered_by_one_person_shows_nothing_of_them(signed_in, workshop):
    group = workshop()
    meeting = group.session()
    group.respond(meeting, {(TASK, "challenge"): 6, (TASK, "valence"): 3, (TASK, "skill"): 1})
    for _ in range(3):  # everyone rates the challenge, only the first the other axes
        group.respond(meeting, {(TASK, "challenge"): 6})
    group.close(meeting)
    pages = result_pages(signed_in, meeting)
    task_page = page_text(pages[f"/sessions/{meeting}/results/task_map"])
    assert "6,0" in task_page  # the challenge, four answers
    assert "moins de 4 réponses" in task_page
    assert not re.search(r"\b[31],0\b", task_page)  # the first person's valence and skill
    for page in pages.values():
        assert "personnes sur" not in page_text(page)  # "1 people out of 1 find this task..."
        for chart in charts_in(page):
            assert 3 not in numbers_in(chart["data"]) and 1 not in numbers_in(chart["data"])


def test_a_viewpoint_answered_by_one_person_is_not_a_column(signed_in, workshop):
    group = workshop()
    meeting = group.session()
    group.respond(
        meeting,
        {(OBJECTIVE, "mine"): 40, (OBJECTIVE, "expected"): 60, (OBJECTIVE, "actual_time"): 37},
    )
    for _ in range(3):
        group.respond(meeting, {(OBJECTIVE, "mine"): 40, (OBJECTIVE, "expected"): 60})
    group.close(meeting)
    page = signed_in.get(f"/sessions/{meeting}/results/priorities").get_data(as_text=True)
    assert "60" in page_text(page) and "moins de 4 réponses" in page_text(page)
    # Anywhere in the HTML (text, tables, chart data), asset hashes aside.
    assert "37" not in re.sub(r"\?v=[0-9a-f]+", "", page)


def test_the_journal_never_gives_the_mean_of_two(app, client, workshop):
    from sqlalchemy import select
    from support import answer_all, start

    from survey.extensions import db
    from survey.models import Meeting

    group = workshop()
    meeting = group.session(modules=[])
    with app.app_context():
        token = db.session.scalar(select(Meeting.join_token).where(Meeting.id == meeting))
    start(client, token)
    thanks = text(answer_all(client, token, code="new"))  # overall gap: 6
    code = re.search(r'id="personal-code">([^<]+)<', thanks)[1]
    group.respond(meeting, {("overall_gap", ""): 2})  # the only other answer to it
    for _ in range(2):
        group.respond(meeting, {("gap_valence", ""): 1})
    group.close(meeting)
    journal = text(post(app.test_client(), "/journal", {"code": code}))
    assert re.search(r"6 — groupe\s:\smoins de 4 réponses", journal)
    assert "4,0" not in journal  # (6 + 2) / 2: the other member's answer, read off


def _texts_of(page: str) -> dict[str, list[str]]:
    found = {}
    for section in re.findall(r"<h2>(.*?)</h2>\s*<ul class=\"free-texts\">(.*?)</ul>", page, re.S):
        found[section[0]] = re.findall(r"<li>(.*?)</li>", section[1])
    return found


def test_free_texts_tell_nothing_of_who_wrote_them_nor_when(signed_in, workshop):
    letters = "ABCDEFG"
    people = [
        {
            ("proposal", ""): f"{letters[i]} proposition",
            ("recent_situation", ""): f"{letters[(3 * i) % 7]} situation",
        }  # noqa: E501
        for i in range(7)
    ]
    group = workshop()
    shown = []
    for title, order in (("Séance 1", people), ("Séance 2", people[::-1])):
        meeting = group.session(title=title, modules=[])
        for person in order:  # the facilitator watches the count rise: order is identity
            group.respond(meeting, person)
        group.close(meeting)
        page = signed_in.get(f"/sessions/{meeting}/results/texts").get_data(as_text=True)
        shown.append(_texts_of(page))
    assert shown[0] == shown[1]  # the same texts, whatever the order of arrival
    proposals, situations = (texts for texts in shown[0].values())
    assert proposals == sorted(proposals) and situations == sorted(situations)
    # Nobody's two texts sit at the same rank in both prompts, by construction of the data:
    # sorting each prompt on its own never lines one person's texts up.
    rank = {t: i for i, t in enumerate(proposals)} | {t: i for i, t in enumerate(situations)}
    aligned = [rank[p[("proposal", "")]] == rank[p[("recent_situation", "")]] for p in people[1:]]
    assert not all(aligned)


def test_a_decoy_group_pools_nothing_hidden(app, signed_in, workshop, label_of):
    real = workshop()
    meeting = real.session(modules=[])
    real.respond(meeting, {(ACTIVITY, "prescribed"): 1, (ACTIVITY, "actual"): 8})
    for _ in range(3):
        real.respond(meeting, FILLER)
    real.close(meeting)
    decoy = workshop(name="Groupe leurre")
    decoy_meeting = decoy.session(modules=[])
    for _ in range(4):  # the facilitator answers their own decoy four times
        decoy.respond(decoy_meeting, {(ACTIVITY, "prescribed"): 5, (ACTIVITY, "actual"): 5})
    decoy.close(decoy_meeting)
    label = label_of(meeting, ACTIVITY)
    before = text(signed_in.get("/overview"))
    row = before.split(label, 1)[1].split("</tr>", 1)[0]
    assert "<td>4</td>" in row and "<td>1</td>" in row  # the decoy's four, one session
    assert "5,0" in row and "0,0" in row
    # Reopening the real session (to drop it from the pool) changes nothing either.
    real.reopen(meeting)
    real.close(meeting, publish=False)
    after = text(signed_in.get("/overview"))
    assert (
        after.split("<table>", 1)[1].split("</table>")[0]
        == before.split("<table>", 1)[1].split("</table>")[0]
    )  # the pages differ only by their CSRF tokens


def test_a_reopened_collection_never_moves_a_figure_by_one_person(signed_in, workshop):
    group = workshop()
    meeting = group.session(modules=[])
    for _ in range(4):
        group.respond(meeting, {(ACTIVITY, "prescribed"): 2, (ACTIVITY, "actual"): 9})
    group.close(meeting)
    url = f"/sessions/{meeting}/results/prescribed_actual"
    before = signed_in.get(url).get_data(as_text=True)
    group.reopen(meeting)
    group.respond(meeting, {(ACTIVITY, "prescribed"): 0, (ACTIVITY, "actual"): 10})
    for _ in range(3):  # k new responses, only one of which answers the statement
        group.respond(meeting, FILLER)
    group.close(meeting)
    after = signed_in.get(url).get_data(as_text=True)
    assert charts_in(after) == charts_in(before)
    assert "<td>5</td>" not in after


def test_a_breakdown_cell_is_never_the_rest_of_the_total(signed_in, workshop, label_of):
    group = workshop(establishments=["Nord", "Sud"])
    meeting = group.session(modules=[])
    for _ in range(4):
        group.respond(meeting, {(ACTIVITY, "prescribed"): 2, (ACTIVITY, "actual"): 8}, "Nord")
    for _ in range(3):  # three of Sud's four answer the statement: the total minus Nord
        group.respond(meeting, {(ACTIVITY, "prescribed"): 6, (ACTIVITY, "actual"): 3}, "Sud")
    group.respond(meeting, FILLER, "Sud")
    group.close(meeting)
    page = text(signed_in.get(f"/sessions/{meeting}/results"))
    breakdown = (
        page.split('id="breakdown"', 1)[1].split("</table>", 1)[0]
        if ('id="breakdown"' in page)
        else ""
    )
    assert label_of(meeting, ACTIVITY) not in breakdown


def test_a_breakdown_cell_never_moves_by_one_person(signed_in, workshop, label_of):
    group = workshop(establishments=["Nord", "Sud"])
    meeting = group.session(modules=[])
    for place, (a, b) in (("Nord", (2, 8)), ("Sud", (5, 5))):
        for _ in range(4):
            group.respond(meeting, {(ACTIVITY, "prescribed"): a, (ACTIVITY, "actual"): b}, place)
    group.close(meeting)
    label = label_of(meeting, ACTIVITY)
    first = text(signed_in.get(f"/sessions/{meeting}/results"))
    assert label in first.split('id="breakdown"', 1)[1].split("</table>", 1)[0]
    group.reopen(meeting)
    group.respond(meeting, {(ACTIVITY, "prescribed"): 0, (ACTIVITY, "actual"): 10}, "Nord")
    for _ in range(3):  # +1 in Nord, +3 in Sud: the total grew by k, no cell did
        group.respond(meeting, {(ACTIVITY, "prescribed"): 5, (ACTIVITY, "actual"): 5}, "Sud")
    group.close(meeting)
    second = text(signed_in.get(f"/sessions/{meeting}/results"))
    table = (
        second.split('id="breakdown"', 1)[1].split("</table>", 1)[0]
        if ('id="breakdown"' in second)
        else ""
    )
    assert label not in table


def test_chart_payloads_carry_only_the_precision_shown(signed_in, workshop):
    group = workshop()
    meeting = group.session()
    for person in range(6):  # sixths: 1.8333... unrounded
        group.respond(
            meeting,
            {
                (ACTIVITY, "prescribed"): person % 3,
                (ACTIVITY, "actual"): (person * 5) % 7,
                ("overall_gap", ""): person % 4,
                (TASK, "valence"): person % 3 - 1,
                (TASK, "challenge"): 1 + person % 5,
                (TASK, "skill"): 2 + person % 3,
                (OBJECTIVE, "mine"): 10 * (person % 4) + 1,
                (OBJECTIVE, "expected"): 7 * person + 3,
            },
        )
    group.close(meeting)
    payloads = [c for page in result_pages(signed_in, meeting).values() for c in charts_in(page)]
    assert payloads
    for chart in payloads:
        for number in numbers_in(chart["data"]):
            assert round(number, 2) == number, number


def test_a_statement_below_k_says_so_in_words(signed_in, workshop, label_of):
    group = workshop()
    meeting = group.session(modules=[])
    for person in range(4):
        answers = dict(FILLER)
        if person < 2:
            answers |= {(ACTIVITY, "prescribed"): 3, (ACTIVITY, "actual"): 7}
        group.respond(meeting, answers)
    group.close(meeting)
    page = text(signed_in.get(f"/sessions/{meeting}/results/prescribed_actual"))
    note = page.split("Moins de 4 réponses, non affiché\u00a0: ", 1)[1].split("</p>", 1)[0]
    # Two answers and none read alike: the page never tells none from one or two.
    assert label_of(meeting, ACTIVITY) in note
    assert label_of(meeting, "activities.welcome_direct") in note
