"""The facilitator finds each designed pattern of the demo where one would look for it."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_dashboard_and_projection_on_the_demo(
    browser, live_server, account, demo_group, screenshot
):
    email, password = account
    latest_closed = demo_group[2]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{live_server}/login")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{live_server}/sessions/{latest_closed}")
    page.get_by_role("link", name="Résultats du groupe").click()
    agenda = page.locator("ol.agenda")
    expect(page.get_by_text("9 réponses")).to_be_visible()
    expect(agenda).to_contain_text("Expliquer un refus")  # the task in overload
    expect(agenda).to_contain_text("Controverse professionnelle")  # the contested activity
    expect(agenda).to_contain_text("Aider à effectuer une démarche en ligne")  # the shared gap
    expect(agenda).to_contain_text("attentes perçues")  # the priority mismatch
    screenshot(page, "dashboard-overview-desktop")

    page.get_by_role("link", name="A. Travail prescrit, travail réel").click()
    chart = page.locator("#chart-1")
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(chart).to_contain_text("Aider à effectuer une démarche en ligne")
    page.get_by_text("Voir sous forme de tableau").first.click()
    expect(page.locator("table").first).to_contain_text("écart partagé")
    expect(page.locator("table").first).to_contain_text("controverse")
    screenshot(page, "dashboard-prescribed-actual-desktop")

    page.get_by_role("link", name="C. Mes tâches, de plus près").click()
    expect(page.locator("#chart-1")).to_contain_text("Expliquer un refus")
    screenshot(page, "dashboard-task-map-desktop")
    page.get_by_role("link", name="D. Mes priorités").click()
    expect(page.locator("#chart-1")).to_contain_text("Le nombre de personnes reçues")
    screenshot(page, "dashboard-priorities-desktop")
    page.get_by_role("link", name="Textes libres").click()
    expect(page.locator(".free-texts").first).to_contain_text("guichet")

    page.get_by_role("link", name="Mode projection").click()
    # The demo's earlier sessions decided things: projection opens on their review.
    expect(page.get_by_role("heading", name="Où en sommes-nous ?")).to_be_visible()
    expect(page.get_by_text("1 / ")).to_be_visible()
    screenshot(page, "dashboard-projection-review")
    agenda = page.get_by_role("heading", name="Ordre du jour suggéré")
    for _ in range(4):  # one slide per part of the review that has something to say
        if agenda.count():
            break
        with page.expect_navigation():  # each key loads the next view
            page.keyboard.press("ArrowRight")
    expect(agenda).to_be_visible()
    screenshot(page, "dashboard-projection-agenda")
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    expect(page.locator("#chart-slide .main-svg").first).to_be_visible()
    screenshot(page, "dashboard-projection-chart")
    with page.expect_navigation():
        page.keyboard.press("ArrowLeft")
    expect(agenda).to_be_visible()

    # The open session shows the count only, and its room page nothing else.
    page.goto(f"{live_server}/sessions/{demo_group[3]}/results")
    expect(page.get_by_text("Le recueil est en cours")).to_be_visible()
    assert page.locator(".chart").count() == 0
    page.goto(f"{live_server}/sessions/{demo_group[3]}/room")
    expect(page.locator("#room-count")).to_have_text("0 réponse")
    screenshot(page, "dashboard-room-open-session")

    # Across sessions: the group's trends, then every group together.
    page.goto(f"{live_server}/sessions/{latest_closed}")
    page.locator(".breadcrumb").get_by_role("link", name="Accueil des publics").click()
    page.get_by_role("link", name="Évolution au fil des séances").click()
    expect(page.locator("#chart-trends .main-svg").first).to_be_visible()
    expect(page.locator("#chart-trends")).to_contain_text("A. Travail prescrit, travail réel")
    online = page.get_by_role("row", name="Aider à effectuer une démarche en ligne")
    expect(online.locator("td")).to_have_count(4)  # three sessions and the change
    screenshot(page, "dashboard-trends-desktop")
    page.goto(f"{live_server}/groups")
    page.get_by_role("link", name="Vue d'ensemble de mes groupes").click()
    expect(page.locator("table")).to_contain_text("Aider à effectuer une démarche en ligne")
    screenshot(page, "dashboard-groups-overview-desktop")
    context.close()
    # Charts draw under the Content-Security-Policy, and nothing is missing.
    assert [m for m in console if "Content Security Policy" in m or "Failed to load" in m] == []
