"""The API's trends are the trends page's own cells, "—" and « moins de k réponses » included."""

from support import trends_tables

KEYS = {
    ("task_map", "valence"): "tasks-valence",
    ("task_map", "overload_share"): "tasks-overload_share",
    ("task_map", "routine_share"): "tasks-routine_share",
    ("task_map", "automatic"): "tasks-automatic",
    ("priorities", "mine_minus_expected"): "priorities-gap",
    ("priorities", "actual_time"): "priorities-time",
}

#: Figures that rest on several counts (two viewpoints, the statements of a dimension).
NO_N = {"mine_minus_expected", "mean_abs_gap"}


def number(cell: str):
    if cell == "—" or cell.startswith("moins de"):
        return None
    cleaned = cell.replace("\u2212", "-").replace(",", ".").replace("%", "")
    return float("".join(cleaned.split()).replace("\u202f", ""))


def page_rows(app, group_id):
    """Each series' row on the page, by (dimension, statistic, label): cells and change."""
    result, tables = trends_tables(app, group_id)
    rows = {("paired", "mean_gap", s.label): [*s.cells, s.change] for s in result.statements}
    for (dimension, statistic), key in KEYS.items():
        for label, cells in tables.get(key, {}).items():
            if label != "_chart":
                rows[(dimension, statistic, label)] = cells
    for key, table in tables.items():
        if key.startswith("rating-"):
            for label, cells in table.items():
                if label != "_chart":
                    rows[("rating", "mean", label)] = cells
    for name, *cells in result.chart_table[1]:
        rows[("paired_dimension", "mean_abs_gap", name)] = [*cells, "—"]
    return rows


def compare(app, client, headers, group_id) -> tuple[int, int]:
    found = client.get(f"/api/v1/groups/{group_id}/trends", headers=headers)
    assert found.status_code == 200
    rows = page_rows(app, group_id)
    suppressed = 0
    for series in found.json["series"]:
        cells = rows.pop((series["dimension"], series["statistic"], series["label"]))
        *points, change = cells
        assert [p["value"] for p in series["points"]] == [number(c) for c in points], series
        assert series["change"] == number(change), series
        for point, cell in zip(series["points"], points, strict=True):
            assert point["suppressed"] == cell.startswith("moins de")
            assert point["asked"] == (cell != "—") or series["dimension"] == "paired_dimension"
            if point["value"] is None or series["statistic"] in NO_N:
                assert point["n"] is None
            else:
                assert point["n"] >= 4
        suppressed += sum(p["suppressed"] for p in series["points"])
    assert not rows, "series of the page missing from the API"
    return len(found.json["series"]), suppressed


def test_the_demo_groups_trends_are_the_pages(app, facilitator, demo_groups, token_for):
    group = demo_groups()[0]
    count, suppressed = compare(app, app.test_client(), token_for(facilitator), group.id)
    assert count > 40 and suppressed == 0


def test_cells_fewer_than_k_answered_are_suppressed_as_on_the_page(
    app, facilitator, sparse_session, token_for
):
    group_id, _meeting_id = sparse_session
    count, suppressed = compare(app, app.test_client(), token_for(facilitator), group_id)
    assert suppressed >= 5
