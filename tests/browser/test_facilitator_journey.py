"""A facilitator signs in, creates a group, plans a session, opens and closes collection."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_facilitator_journey_in_french_then_english(browser, live_server, account, screenshot):
    email, password = account
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Se connecter").click()

    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Adresse électronique ou mot de passe incorrect.")).to_be_visible()
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Mes groupes")).to_be_visible()

    page.get_by_role("link", name="Créer votre premier groupe").click()
    page.get_by_label("Nom du groupe").fill("Cadres de proximité")
    page.get_by_label("Métier").select_option("management")
    page.get_by_label("Établissements (un par ligne)").fill("EHPAD Les Tilleuls\nEHPAD Le Verger")
    page.get_by_label("Seuil d'anonymat (k)").fill("2")
    page.get_by_role("button", name="Créer le groupe").click()
    expect(page.get_by_text("Le seuil doit être compris entre 3 et 12.")).to_be_visible()
    screenshot(page, "facilitator-group-form-error-desktop")
    page.get_by_label("Seuil d'anonymat (k)").fill("4")
    page.get_by_role("button", name="Créer le groupe").click()
    expect(page.get_by_role("heading", name="Cadres de proximité")).to_be_visible()
    expect(page.get_by_text("EHPAD Le Verger")).to_be_visible()

    page.get_by_role("link", name="Prévoir une séance").click()
    page.get_by_label("Titre").fill("Séance 1 — Prescrit et réel")
    page.get_by_label("Date").fill("2026-12-10")
    page.get_by_role("button", name="Prévoir la séance").click()
    expect(page.locator("#meeting-status")).to_have_text("En préparation")

    page.get_by_role("button", name="Ouvrir le recueil").click()
    expect(page.locator("#meeting-status")).to_have_text("Recueil en cours")
    code = page.locator(".join-code").inner_text()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code)
    screenshot(page, "facilitator-session-open-desktop")

    page.get_by_role("button", name="Clore le recueil").click()
    expect(page.locator("#meeting-status")).to_have_text("Recueil clos")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#meeting-status")).to_have_text("Collection closed")
    page.get_by_role("button", name="Reopen the collection").click()
    expect(page.get_by_text("Answer collection is open.")).to_be_visible()
    expect(page.locator(".join-code")).to_have_text(code)
    screenshot(page, "facilitator-session-reopened-desktop-en")

    page.get_by_role("link", name="Cadres de proximité").click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "facilitator-group-phone-en")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    context.close()
