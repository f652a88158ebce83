"""The API's results are the pages' own figures: same values, same precision, and a suppressed
marker exactly where a page says « moins de k réponses »."""

import html
import re

from support import text

TABLE = re.compile(r"<table[^>]*>(.*?)</table>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
LINK = re.compile(r"<a [^>]*>.*?</a>", re.S)
TOO_FEW = "moins de 4 réponses"


def tables(page: str) -> list[list[list[str]]]:
    """Each table of a page as rows of cell texts (the « Noter » links left out)."""
    return [
        [
            [html.unescape(LINK.sub("", cell)).strip() for cell in CELL.findall(row)]
            for row in ROW.findall(table)
        ][1:]  # the heading row
        for table in TABLE.findall(page)
    ]


def number(cell: str):
    """A cell as the API gives it: a float, None for « moins de k réponses » (or "—")."""
    if cell in (TOO_FEW, "—"):
        return None
    return float(cell.replace("\u2212", "-").replace("\u202f", "").replace(",", "."))


def rows_by_label(page: str, index: int = 0) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in tables(page)[index]}


def values(item: dict, statistic: str | None = None, **where) -> list:
    return [
        v["value"]
        for v in item["values"]
        if (statistic is None or v["statistic"] == statistic)
        and all(v[key] == wanted for key, wanted in where.items())
    ]


def results(client, headers, meeting_id) -> dict:
    response = client.get(f"/api/v1/sessions/{meeting_id}/results", headers=headers)
    assert response.status_code == 200
    return response.json


def page(client, meeting_id, section) -> str:
    response = client.get(f"/sessions/{meeting_id}/results/{section}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_paired_and_rated_statements_are_the_tables_figures(
    app, signed_in, facilitator, token_for, sparse_session
):
    _group_id, meeting_id = sparse_session
    found = results(app.test_client(), token_for(facilitator), meeting_id)
    by_section = {}
    for item in found["items"]:
        by_section.setdefault(item["section"], []).append(item)
    compared = suppressed = 0
    for section in ("prescribed_actual", "ideal_feasible", "self_evaluation", "implicit"):
        shown = page(signed_in, meeting_id, section)
        rows = {label: cells for table in tables(shown) for label, *cells in table}
        for item in by_section[section]:
            if item["kind"] not in ("paired", "rating"):
                continue
            cells = rows[item["label"]]
            if item["kind"] == "paired":
                expected = [number(c) for c in cells[:5]]
                answers = cells[6]
            else:
                expected = [number(c) for c in cells[:3]]
                answers = cells[4]
            assert values(item) == expected, item["item"]
            if answers == TOO_FEW:
                assert all(v["suppressed"] and v["n"] is None for v in item["values"])
                assert item["flags"] == []
                suppressed += 1
            else:
                assert {v["n"] for v in item["values"]} == {int(answers)}
                assert not any(v["suppressed"] for v in item["values"])
            compared += 1
    assert suppressed == 2  # activities.phone_messages and lived.hurry
    assert compared == 29  # every paired and rated statement of the four sections


def test_task_axes_and_flow_channels_are_the_tables_figures(
    app, signed_in, facilitator, token_for, sparse_session
):
    _group_id, meeting_id = sparse_session
    found = results(app.test_client(), token_for(facilitator), meeting_id)
    tasks = [i for i in found["items"] if i["kind"] == "task_map"]
    shown = page(signed_in, meeting_id, "task_map")
    axes, flow = tables(shown)[:2]
    assert len(axes) == len(flow) == len(tasks)
    for item, axis_row, flow_row in zip(tasks, axes, flow, strict=True):
        assert axis_row[0].endswith(item["label"]) and flow_row[0] == axis_row[0]
        assert values(item, "mean") == [number(c) for c in axis_row[1:4]]
        assert values(item, "people") == [number(c) for c in flow_row[1:6]]
        people = {v["n"] for v in item["values"] if v["statistic"] == "people"}
        assert people == {number(flow_row[6]) and int(number(flow_row[6]))}
    queue = next(i for i in tasks if i["item"] == "tasks.queue")
    valence = next(v for v in queue["values"] if v["facet"] == "valence")
    assert valence == {
        "statistic": "mean",
        "facet": "valence",
        "option": None,
        "value": None,
        "n": None,
        "suppressed": True,
    }
    mail = next(i for i in tasks if i["item"] == "tasks.mail")
    assert all(v["suppressed"] for v in mail["values"] if v["statistic"] == "people")
    assert TOO_FEW in text(signed_in.get(f"/sessions/{meeting_id}/results/task_map"))


def test_priorities_are_the_tables_whole_points(
    app, signed_in, facilitator, token_for, sparse_session
):
    _group_id, meeting_id = sparse_session
    found = results(app.test_client(), token_for(facilitator), meeting_id)
    rows = rows_by_label(page(signed_in, meeting_id, "priorities"))
    objectives = [i for i in found["items"] if i["kind"] == "allocation"]
    assert objectives
    for item in objectives:
        cells = rows[item["label"]]
        assert values(item) == [number(c) for c in cells]
        by_viewpoint = {v["facet"]: v for v in item["values"]}
        assert by_viewpoint["actual_time"]["suppressed"]
        assert cells[2] == TOO_FEW
        assert by_viewpoint["mine"]["value"] == round(by_viewpoint["mine"]["value"])
        assert by_viewpoint["mine"]["n"] == 6


def test_options_are_counted_as_shown_and_hidden_as_the_page_says(
    app, signed_in, facilitator, token_for, sparse_session
):
    _group_id, meeting_id = sparse_session
    found = results(app.test_client(), token_for(facilitator), meeting_id)
    by_id = {i["item"]: i for i in found["items"]}
    obstacles = by_id["obstacles"]
    rows = {
        label: cells
        for table in tables(page(signed_in, meeting_id, "ideal_feasible"))
        for label, *cells in table
    }
    assert obstacles["values"]
    for value in obstacles["values"]:
        assert not value["suppressed"] and value["n"] == 6
    assert sorted(v["value"] for v in obstacles["values"]) == sorted(
        float(cells[0]) for label, cells in rows.items() if len(cells) == 1
    )
    topics = by_id["topics"]
    assert topics["values"] and all(v["suppressed"] for v in topics["values"])
    assert "Moins de 4 réponses" in text(signed_in.get(f"/sessions/{meeting_id}/results/open"))


def test_free_texts_are_those_of_the_texts_page(
    app, signed_in, facilitator, token_for, sparse_session
):
    _group_id, meeting_id = sparse_session
    found = results(app.test_client(), token_for(facilitator), meeting_id)
    shown = text(signed_in.get(f"/sessions/{meeting_id}/results/texts"))
    assert found["texts"]
    for group in found["texts"]:
        for written in group["texts"]:
            assert written in shown


def test_results_of_a_session_not_shown_are_a_conflict(
    app, facilitator, token_for, make_group, make_meeting, add_responses, set_status
):
    headers = token_for(facilitator)
    client = app.test_client()
    meeting = make_meeting(make_group(facilitator), status="open")
    add_responses(meeting.id, 4)
    response = client.get(f"/api/v1/sessions/{meeting.id}/results", headers=headers)
    assert response.status_code == 409
    assert response.json == {
        "error": {
            "code": "results_not_published",
            "message": "This session's results were not shown.",
        }
    }
    set_status(meeting.id, "closed")  # closed, but not shown yet
    assert client.get(f"/api/v1/sessions/{meeting.id}", headers=headers).json == {
        "id": meeting.id,
        "group_id": meeting.group_id,
        "title": "Séance 1",
        "date": "2026-12-03",
        "status": "closed",
        "results_published": False,
        "responses_shown": 0,
    }
    response = client.get(f"/api/v1/sessions/{meeting.id}/results", headers=headers)
    assert response.status_code == 409
