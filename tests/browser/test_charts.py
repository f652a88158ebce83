"""Every chart of the demo draws with Plotly's basic bundle, and reads on a phone and zoomed."""

import re

import pytest
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
    from chart_helpers import LINK, seed_html_labels

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
