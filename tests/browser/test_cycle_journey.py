"""The practice-analysis cycle on the demo, in Chromium: the facilitator notes one outcome of
each kind from the results, opens the next session on its review (a status changed with a note,
a value noted for an indicator measured by hand), sees the trends with their markers and the
indicator series, then runs the session plan on the room's screen with its timer."""

import json
import re

import pytest
from playwright.sync_api import expect
from support import sign_in_page as sign_in

pytestmark = pytest.mark.browser


def note(page, link, kind: str, text: str) -> None:
    """Follow a « Noter » link, choose the kind, write the text (the caller fills the rest)."""
    link.click()
    expect(
        page.get_by_role("heading", name="Noter ce que le groupe a trouvé ou décidé")
    ).to_be_visible()
    page.get_by_role("link", name=kind, exact=True).click()
    expect(page.get_by_role("link", name=kind, exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    page.get_by_label("Texte").fill(text)


def save(page) -> None:
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".flash, [role=status]").first).to_be_visible()


def test_the_cycle_from_the_results_to_the_next_review_trends_and_plan(
    browser, live_server, account, demo_group, screenshot
):
    latest_closed, upcoming = demo_group[2], demo_group[3]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, account)
    results = f"{live_server}/sessions/{latest_closed}/results"

    # A recurrence from the agenda's first entry, pre-linked to its statement.
    page.goto(results)
    note(
        page, page.locator("ol.agenda a.note-link").first, "Récurrence", "L'attente revient encore"
    )
    linked = page.locator('input[name="items"]:checked')
    expect(linked).to_have_count(1)
    screenshot(page, "cycle-note-recurrence")
    save(page)
    expect(page).to_have_url(results)

    # An action priority from a shared gap: who (a role) and by when.
    shared = page.get_by_role("heading", name="Écarts partagés").locator("..")
    note(
        page,
        shared.locator("a.note-link").first,
        "Priorité d'action",
        "Ouvrir un second créneau numérique",
    )
    page.get_by_label("Qui (un rôle, pas une personne)").fill("la responsable de site")
    page.get_by_label("Ou d'ici la séance n°").fill("5")
    save(page)

    # A collective solution from a professional controversy, with its level of agreement.
    contested = page.get_by_role("heading", name="Points de controverse").locator("..")
    note(
        page,
        contested.locator("a.note-link").first,
        "Solution collective",
        "Un temps d'échange avant chaque refus",
    )
    page.get_by_label("Niveau d'accord").select_option(label="Consentement avec réserves")
    page.get_by_label("À partager hors du groupe").check()
    save(page)

    # An evaluation indicator from a statement's row in a section, measured by the group.
    page.get_by_role("link", name="A. Travail prescrit, travail réel").click()
    page.get_by_text("Voir sous forme de tableau").first.click()
    note(
        page,
        page.locator("table a.note-link").first,
        "Indicateur d'évaluation",
        "Appels rappelés dans la journée, sur dix",
    )
    # Linked to the row's statement, measured by the group itself (no statement to read).
    page.get_by_label("Mesuré par l'énoncé").select_option(value="")
    page.get_by_label("Cible", exact=True).select_option(label="Doit augmenter")
    page.get_by_label("Ou une valeur cible").fill("8")
    screenshot(page, "cycle-note-indicator")
    save(page)

    outcomes_page = f"{live_server}/sessions/{latest_closed}/outcomes"
    page.goto(outcomes_page)
    for text in (
        "L'attente revient encore",
        "Ouvrir un second créneau numérique",
        "Un temps d'échange avant chaque refus",
        "Appels rappelés dans la journée, sur dix",
    ):
        expect(page.get_by_text(text)).to_be_visible()
    screenshot(page, "cycle-outcomes-of-the-session")

    # The next session opens with « Où en sommes-nous ? ».
    page.goto(f"{live_server}/sessions/{upcoming}/review")
    expect(page.get_by_role("heading", name="Où en sommes-nous ?")).to_be_visible()
    review = page.locator("main")
    expect(review).not_to_contain_text("L'attente revient encore")  # a recurrence: not reviewed
    action = page.locator("li.outcome", has_text="Ouvrir un second créneau numérique")
    action.get_by_label("Statut").select_option(label="En cours")
    action.get_by_label("Courte note").fill("Créneau du jeudi ouvert à l'essai")
    action.get_by_role("button", name="Enregistrer").click()
    action = page.locator("li.outcome", has_text="Ouvrir un second créneau numérique")
    expect(action).to_contain_text("Créneau du jeudi ouvert à l'essai")
    expect(action.get_by_label("Statut")).to_have_value("in_progress")

    indicator = page.locator("li.outcome", has_text="Appels rappelés dans la journée, sur dix")
    indicator.get_by_label("Valeur aujourd'hui").fill("6")
    indicator.get_by_role("button", name="Enregistrer").click()
    indicator = page.locator("li.outcome", has_text="Appels rappelés dans la journée, sur dix")
    expect(indicator.locator(".indicator-latest")).to_contain_text("6")
    solution = page.locator("li.outcome", has_text="Un temps d'échange avant chaque refus")
    expect(solution).to_be_visible()
    screenshot(page, "cycle-review-next-session")

    # The trends: markers on the session where actions and solutions were decided, and the
    # demo's indicator read from « Limiter l'attente des personnes » against its target.
    group_page = page.locator('nav a[href^="/groups/"]').first.get_attribute("href")
    page.goto(f"{live_server}{group_page}/trends")
    first_chart = page.locator(".chart").first
    expect(first_chart.locator(".main-svg").first).to_be_visible()
    expect(first_chart).to_contain_text("Actions décidées")
    charts = [json.loads(c) for c in page.locator("script.chart-data").all_text_contents()]
    hover = json.dumps(charts, ensure_ascii=False)
    assert "Ouvrir un second créneau numérique" in hover  # the new action, as a marker
    indicators = page.get_by_role("heading", name="Indicateurs d'évaluation").locator("..")
    expect(indicators).to_contain_text(
        "L'écart entre l'attente souhaitée et l'attente réaliste se réduit"
    )
    series = page.locator("#chart-indicator-0")
    expect(series.locator(".main-svg").first).to_be_visible()
    expect(series).to_contain_text("Cible")
    screenshot(page, "cycle-trends-with-markers-and-indicators")

    # In the room: the plan runs on the projector with its timer.
    page.goto(f"{live_server}/sessions/{upcoming}/plan/run")
    timer = page.locator("#plan-timer")
    expect(timer).to_have_text("15:00")  # the review comes first in the usual plan
    page.locator("#plan-toggle").click()
    expect(timer).to_have_text(re.compile(r"^14:5\d$"), timeout=5000)
    screenshot(page, "cycle-plan-running")
    assert errors == []
