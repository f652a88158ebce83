"""Charts drawn on the server as SVG for printed pages: the table's figures, a gap where a cell
is not shown, labels as text."""

import re

from survey import print_charts


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def test_each_shown_value_is_a_labelled_dot_and_a_hidden_one_breaks_the_line():
    svg = print_charts.lines(
        ["03/09", "01/10", "29/10", "26/11"],
        {"A": [2.0, None, 1.7, 1.5], "B": [None, 2.5, 2.1, None]},
        "Taille moyenne de l'écart",
        fmt,
    )
    assert svg.count("<circle") == 5
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" fill="#[0-9a-f]+">([^<]+)</text>', svg)
    assert {"2,0", "1,7", "1,5", "2,5", "2,1"} <= set(labels)
    # A: one run of two points after the gap (the lone first point is a dot only); B: one run.
    assert svg.count("<polyline") == 2
    assert 'role="img"' in svg and 'aria-label="Taille moyenne de l&#39;écart"' in svg
    assert "style=" not in svg  # the page's style policy stays strict


def test_a_target_is_a_dashed_line_with_its_name_in_the_legend():
    svg = print_charts.lines(["a", "b"], {"Attente": [-6.1, -5.3]}, "t", fmt, -4.0, "Cible")
    assert "Cible" in svg and "-4" in svg
    assert svg.count("stroke-dasharray") >= 2


def test_labels_are_text_and_nothing_shown_draws_nothing():
    svg = print_charts.lines(["<b>x</b>"], {"<script>alert(1)</script>": [1.0]}, "<i>t</i>", fmt)
    assert "<script>" not in svg and "<b>x</b>" not in svg and "<i>" not in svg
    assert "&lt;script&gt;" in svg
    assert print_charts.lines(["a", "b"], {"A": [None, None]}, "t", fmt) is None
    assert print_charts.lines([], {}, "t", fmt) is None


def test_values_closer_than_any_shown_digit_still_draw():
    # Hand-noted figures may be any finite number, the smallest float included.
    for values in ([5e-324, 5e-324], [1e-300, 2e-300], [0.0, 0.0]):
        svg = print_charts.lines(["a", "b"], {"A": values}, "t", fmt, target=values[0])
        assert svg.count("<circle") == 2
