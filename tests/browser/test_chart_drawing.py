"""Every chart of the demo draws with Plotly's basic bundle, and reads on a phone and zoomed."""

import re

import pytest
from conftest import ARTIFACTS
from playwright.sync_api import expect

from survey.extensions import db
from survey.models import Facilitator, Meeting

pytestmark = pytest.mark.browser


def signed_in_page(browser, live_server, account, **context):
    email, password = account
    browser_context = browser.new_context(**context)
    page = browser_context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    return page


def expect_every_chart_drawn(page) -> int:
    charts = page.locator("div.chart")
    for index in range(charts.count()):
        expect(charts.nth(index).locator(".main-svg").first).to_be_visible()
        expect(charts.nth(index)).to_have_class(re.compile(r"\bdrawn\b"))
    return charts.count()


def test_every_chart_page_draws_every_chart(browser, live_app, live_server, account, demo_group):
    page = signed_in_page(browser, live_server, account, viewport={"width": 1280, "height": 900})
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else 0)
    page.on("pageerror", lambda error: problems.append(str(error)))
    meeting = demo_group[2]
    page.goto(f"{live_server}/sessions/{meeting}/results")
    sections = page.locator(".result-tabs a").evaluate_all("(links) => links.map(a => a.href)")
    drawn = 0
    for url in sections:
        if re.search(r"/results/[a-z_]+$", url) and not url.endswith("/texts"):
            page.goto(url)
            drawn += expect_every_chart_drawn(page)
    page.goto(f"{live_server}/sessions/{meeting}/present")
    count = int(page.locator(".slide-nav span").inner_text().split("/")[1])
    for slide in range(2, count + 1):
        page.goto(f"{live_server}/sessions/{meeting}/present?slide={slide}")
        drawn += expect_every_chart_drawn(page)
    with live_app[0].app_context():
        group_id = db.session.get(Meeting, meeting).group_id
    page.goto(f"{live_server}/groups/{group_id}/trends")
    drawn += expect_every_chart_drawn(page)
    assert drawn >= 2 * (count - 1) + 1
    assert problems == []
    page.context.close()


def test_labels_typed_as_html_are_drawn_as_text(
    browser, live_app, live_server, account, screenshot
):
    from support import LINK, seed_html_labels

    app, _ = live_app
    with app.app_context():
        owner = db.session.scalar(db.select(Facilitator))
        group_id, (_, meeting) = seed_html_labels(owner)
        db.session.commit()
    page = signed_in_page(browser, live_server, account, viewport={"width": 1280, "height": 900})
    urls = [
        f"{live_server}/sessions/{meeting}/results/prescribed_actual",
        f"{live_server}/sessions/{meeting}/results/task_map",
        f"{live_server}/sessions/{meeting}/results/priorities",
        f"{live_server}/groups/{group_id}/trends",
    ]
    for url in urls:
        page.goto(url)
        assert expect_every_chart_drawn(page) >= 1, url
        assert page.locator(".main-svg a").count() == 0, url
        assert (
            page.locator(".main-svg [style*='color:red'], .main-svg [style*='color: red']").count()
            == 0
        )
    page.goto(urls[0])
    expect(page.locator("#chart-1")).to_contain_text(LINK)
    screenshot(page, "charts-html-labels-as-text")
    page.context.close()


def boxes(page, selector: str) -> list[dict]:
    return page.locator(selector).evaluate_all(
        "(nodes) => nodes.map(n => { const r = n.getBoundingClientRect();"
        " return {x: r.x, y: r.y, w: r.width, h: r.height, text: n.textContent}; })"
    )


def overlapping(found: list[dict], slack: float = 1) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for i, a in enumerate(found)
        for b in found[i + 1 :]
        if a["x"] + a["w"] - slack > b["x"]
        and b["x"] + b["w"] - slack > a["x"]
        and a["y"] + a["h"] - slack > b["y"]
        and b["y"] + b["h"] - slack > a["y"]
    ]


@pytest.mark.parametrize("width", [1280, 360])
def test_eight_tasks_close_together_stay_readable(
    browser, live_app, live_server, account, screenshot, width
):
    from support import seed_eight_tasks

    app, _ = live_app
    with app.app_context():
        meeting = seed_eight_tasks(db.session.scalar(db.select(Facilitator)))
        db.session.commit()
    page = signed_in_page(browser, live_server, account, viewport={"width": width, "height": 800})
    page.goto(f"{live_server}/sessions/{meeting}/results/task_map")
    assert expect_every_chart_drawn(page) == 2
    for chart in ("#chart-1", "#chart-2"):
        badges = [b for b in boxes(page, f"{chart} .annotation-text-g") if b["text"].isdigit()]
        assert sorted(int(b["text"]) for b in badges) == list(range(1, 9))
        assert overlapping(badges) == []
        legend = boxes(page, f"{chart} .legend .traces")
        assert len(legend) == 8 and overlapping(legend) == []
        svg = boxes(page, f"{chart} .main-svg")[0]
        assert all(
            b["x"] >= svg["x"] and b["x"] + b["w"] <= svg["x"] + svg["w"] + 1 for b in legend
        )
    expect(page.locator("#chart-2")).to_contain_text("Surcharge")
    screenshot(page, f"charts-task-map-eight-tasks-{width}")
    for number, name in enumerate(("map", "flow-channel"), start=1):
        panel = page.locator(f"#chart-{number}").locator("xpath=..")
        panel.screenshot(path=str(ARTIFACTS / f"charts-task-{name}-{width}.png"))
    page.context.close()


def words_fit(page, chart: str) -> list[dict]:
    """The chart's words (annotations): none overlaps another, each inside the drawing."""
    found = boxes(page, f"{chart} .annotation-text-g")
    svg = boxes(page, f"{chart} .main-svg")[0]
    assert overlapping(found) == [], overlapping(found)
    outside = [
        b["text"]
        for b in found
        if b["x"] < svg["x"] - 1
        or b["x"] + b["w"] > svg["x"] + svg["w"] + 1
        or b["y"] < svg["y"] - 1
        or b["y"] + b["h"] > svg["y"] + svg["h"] + 1
    ]
    assert outside == []
    return found


def test_the_dumbbell_reads_on_a_phone(browser, live_server, account, demo_group, screenshot):
    page = signed_in_page(
        browser, live_server, account, viewport={"width": 360, "height": 780}, is_mobile=True
    )
    page.goto(f"{live_server}/sessions/{demo_group[2]}/results/prescribed_actual")
    expect_every_chart_drawn(page)
    screenshot(page, "charts-dumbbell-phone-360")
    page.locator("#chart-1").locator("xpath=..").screenshot(
        path=str(ARTIFACTS / "charts-dumbbell-360.png")
    )
    labels = words_fit(page, "#chart-1")
    assert any("Aider à effectuer une démarche en ligne" in b["text"] for b in labels)
    ticks = boxes(page, "#chart-1 .xtick text")
    assert [t["text"] for t in ticks] == [str(n) for n in range(11)]
    assert overlapping(ticks) == []
    page.context.close()


def test_projection_slides_keep_their_labels_at_200_percent(
    browser, live_server, account, demo_group
):
    # 200 % zoom of a 1280 × 900 window: 640 × 450 CSS pixels, each drawn with 2 × 2 dots.
    page = signed_in_page(
        browser,
        live_server,
        account,
        viewport={"width": 640, "height": 450},
        device_scale_factor=2,
    )
    meeting = demo_group[2]
    page.goto(f"{live_server}/sessions/{meeting}/present?slide=1")
    count = int(page.locator(".slide-nav span").inner_text().split("/")[1])
    charts = 0
    for slide in range(1, count + 1):
        page.goto(f"{live_server}/sessions/{meeting}/present?slide={slide}")
        if page.locator("#chart-slide").count() == 0:
            continue  # the review and the agenda: words, no chart
        charts += 1
        expect_every_chart_drawn(page)
        page.screenshot(path=str(ARTIFACTS / f"charts-projection-200-slide-{slide}.png"))
        words_fit(page, "#chart-slide")
        ticks = boxes(page, "#chart-slide .xtick text, #chart-slide .ytick text")
        assert ticks and overlapping(ticks) == [], slide
    assert charts >= 5
    page.context.close()
