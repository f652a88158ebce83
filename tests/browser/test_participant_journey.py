"""A worker answers the whole standard questionnaire on a phone and on a desktop.

Joins by code, answers part of it, closes the browser, resumes with the resume link, submits
with a personal code, then opens the journal with that code. The stored response is checked.
"""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from support import fill_page

from survey.extensions import db
from survey.models import Answer, Draft, Response

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("device", VIEWPORTS)
def test_answer_pause_resume_submit_and_read_the_journal(
    browser, live_app, open_session, screenshot, device
):
    app, base = live_app
    first = browser.new_context(viewport=VIEWPORTS[device], locale="fr-FR")
    page = first.new_page()
    page.goto(base)
    page.get_by_label("Code de la séance").fill(open_session.lower())
    page.get_by_role("button", name="Répondre").click()
    expect(page.get_by_role("heading", name="Autoévaluation avant la séance")).to_be_visible()
    screenshot(page, f"participant-welcome-{device}")
    page.get_by_role("button", name="Commencer").click()

    expect(page.get_by_text("Partie 1 sur 7")).to_be_visible()
    fill_page(page)
    page.get_by_label("Mon établissement (facultatif)").select_option(label="Sud")
    screenshot(page, f"participant-section-a-{device}")
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_text("Partie 2 sur 7")).to_be_visible()
    fill_page(page)
    page.get_by_role("button", name="Enregistrer et terminer plus tard").click()
    expect(page.get_by_text("Vos réponses sont enregistrées.")).to_be_visible()
    expect(page.get_by_role("button", name="Copier le lien")).to_be_visible()
    screenshot(page, f"participant-saved-{device}")
    resume_link = page.locator("input.resume-link").input_value()
    first.close()  # the browser is closed mid-way

    second = browser.new_context(viewport=VIEWPORTS[device], locale="fr-FR")
    page = second.new_page()
    page.goto(resume_link.replace("http://localhost", base))
    expect(page.get_by_text("Partie 2 sur 7")).to_be_visible()
    page.get_by_role("button", name="Précédent").click()
    expect(page.locator("fieldset.scale label.point:has(input:checked)").first).to_be_visible()
    page.get_by_role("button", name="Suivant").click()
    for number in range(2, 7):
        expect(page.get_by_text(f"Partie {number} sur 7")).to_be_visible()
        fill_page(page)
        if number == 4:
            screenshot(page, f"participant-priorities-{device}")
        page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_text("Partie 7 sur 7")).to_be_visible()
    fill_page(page)
    page.get_by_label("Oui, donnez-moi un code personnel").check()
    screenshot(page, f"participant-last-page-{device}")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(
        page.get_by_role("heading", name="Merci, vos réponses sont enregistrées")
    ).to_be_visible()
    code = page.locator("#personal-code").inner_text()
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-[a-z]+-\d\d", code)
    screenshot(page, f"participant-thanks-{device}")

    page.go_back()
    page.reload()  # a refresh replays the submission
    expect(page.get_by_text("Vos réponses sont déjà enregistrées")).to_be_visible()

    page.goto(f"{base}/journal")
    page.get_by_label("Mon code personnel").fill(code)
    page.get_by_role("button", name="Ouvrir mon journal").click()
    expect(page.get_by_role("heading", name="Séance de décembre")).to_be_visible()
    expect(page.get_by_text("Une situation où j'ai adapté la procédure").first).to_be_visible()
    screenshot(page, f"participant-journal-{device}")
    second.close()

    with app.app_context():
        (response,) = db.session.scalars(select(Response)).all()
        answers = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
        assert db.session.scalars(select(Draft)).all() == []
    facets = {(a.item_id, a.facet) for a in answers}
    assert ("activities.welcome_direct", "prescribed") in facets
    assert ("tasks.data_entry", "automatic") in facets
    assert ("objectives.welcome_quality", "actual_time") in facets
    assert ("objectives_means.enough_time", "") in facets
    assert ("lived.hide_feelings", "") in facets
    assert sum(1 for a in answers if a.item_id == "topics") == 3
    assert response.establishment_id is not None and response.respondent_key
    # 7 activities x 2 + 2, 5 criteria x 2 + 2 obstacles, 6 tasks x 4, 5 x 3 points,
    # 7 ratings, 8 ratings, 3 ranks + 3 texts.
    assert len(answers) == 16 + 12 + 24 + 15 + 7 + 8 + 6
