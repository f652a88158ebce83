"""Every participant page fits a 320 px screen: no sideways scrolling, no clipped button
(WCAG 1.4.10, reflow)."""

import pytest
from playwright.sync_api import expect
from support import fill_page

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}

OVERFLOW = """() => {
  const clipped = [...document.querySelectorAll('button, .button, select, label.point')]
    .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
    .map(e => e.tagName + ': ' + (e.innerText || e.name || '').trim().slice(0, 40));
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .map(e => e.tagName + '.' + e.className);
  return {width: document.documentElement.scrollWidth, clipped, wide: wide.slice(0, 5)};
}"""


def fits(page, screenshot, name):
    found = page.evaluate(OVERFLOW)
    screenshot(page, f"narrow-{name}")
    assert found["width"] <= NARROW["width"], (name, found)
    assert found["clipped"] == [], (name, found)


def test_every_participant_page_fits_320_px(browser, live_app, open_session, screenshot):
    _, base = live_app
    context = browser.new_context(viewport=NARROW, locale="fr-FR")
    page = context.new_page()
    page.goto(base)
    fits(page, screenshot, "home")
    page.get_by_label("Code de la séance").fill(open_session.lower())
    page.get_by_role("button", name="Répondre").click()
    fits(page, screenshot, "welcome")
    page.get_by_role("button", name="Commencer").click()
    for number in range(1, 8):
        expect(page.get_by_text(f"Partie {number} sur 7")).to_be_visible()
        fits(page, screenshot, f"page-{number}")
        fill_page(page)
        if number < 7:
            page.get_by_role("button", name="Suivant").click()
    page.get_by_label("Oui, donnez-moi un code personnel").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(
        page.get_by_role("heading", name="Merci, vos réponses sont enregistrées")
    ).to_be_visible()
    fits(page, screenshot, "thanks")
    code = page.locator("#personal-code").inner_text()
    page.goto(f"{base}/journal")
    fits(page, screenshot, "journal-empty")
    page.get_by_label("Mon code personnel").fill(code)
    page.get_by_role("button", name="Ouvrir mon journal").click()
    expect(page.get_by_role("heading", name="Séance de décembre")).to_be_visible()
    fits(page, screenshot, "journal")
    context.close()


def test_a_focused_scale_button_is_fully_in_view_and_big_enough(browser, live_app, open_session):
    _, base = live_app
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="fr-FR")
    page = context.new_page()
    page.goto(base)
    page.get_by_label("Code de la séance").fill(open_session.lower())
    page.get_by_role("button", name="Répondre").click()
    page.get_by_role("button", name="Commencer").click()
    points = page.locator("label.point")
    assert points.first.bounding_box()["height"] >= 44
    for index in (40, 120):  # far below the first screen
        page.evaluate("window.scrollTo(0, 0)")
        points.nth(index).locator("input").focus()
        top, bottom = points.nth(index).evaluate(
            "e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; }"
        )
        assert top >= 0 and bottom <= 640, (top, bottom)
    context.close()
