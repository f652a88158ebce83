"""A facilitator adapts the group's lists, previews the questionnaire, and opens the session."""

import pytest
from playwright.sync_api import expect
from support import sign_in_page as sign_in

pytestmark = pytest.mark.browser


def test_adapt_lists_preview_and_open(browser, live_server, account, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, account)

    page.get_by_role("link", name="Créer votre premier groupe").click()
    page.get_by_label("Nom du groupe").fill("Accueil mairie")
    page.get_by_label("Métier").select_option("public_reception")
    page.get_by_label("Établissements (un par ligne)").fill("Mairie annexe")
    page.get_by_role("button", name="Créer le groupe").click()

    page.get_by_role("link", name="Le questionnaire du groupe").click()
    expect(page.get_by_label("Listes adaptées au métier")).to_have_value("public_reception")
    activities = page.get_by_label("Activités", exact=True)
    expect(activities).to_contain_text("Apaiser une personne mécontente")
    activities.fill(
        activities.input_value().replace(
            "Apaiser une personne mécontente | Calming an upset visitor",
            "Gérer les rendez-vous en ligne | Managing online bookings",
        )
    )
    page.get_by_label("Tutoyer les membres dans les consignes").check()
    screenshot(page, "questionnaire-group-lists-desktop")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Les réglages du questionnaire du groupe sont enregistrés.")
    ).to_be_visible()

    page.get_by_role("link", name="Prévoir une séance").click()
    page.get_by_label("Titre").fill("Séance de janvier")
    page.get_by_label("Date").fill("2027-01-14")
    page.get_by_label("Priorités (+3 min)").check()
    page.get_by_role("button", name="Prévoir la séance").click()

    page.get_by_role("link", name="Voir comme un membre du groupe").click()
    expect(page.get_by_text("Partie 1 sur 5")).to_be_visible()
    expect(page.get_by_text("Gérer les rendez-vous en ligne").first).to_be_visible()
    expect(page.get_by_text("indique d'abord la place")).to_be_visible()
    page.get_by_role("group", name="Gérer les rendez-vous en ligne").get_by_role(
        "group", name="…est attendue de moi"
    ).get_by_text("7", exact=True).click()
    screenshot(page, "questionnaire-preview-section-a-desktop")
    page.get_by_role("link", name="Suivant").click()
    page.get_by_role("link", name="Suivant").click()
    expect(page.get_by_role("heading", name="D. Mes priorités")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "questionnaire-preview-priorities-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Séance de janvier").click()
    page.get_by_role("button", name="Ouvrir le recueil").click()
    expect(page.get_by_text("Figées à l'ouverture du recueil (version 1.1)")).to_be_visible()
    page.get_by_role("link", name="Voir comme un membre du groupe").click()
    expect(
        page.get_by_text("Aperçu des questions figées à l'ouverture du recueil.")
    ).to_be_visible()
    expect(page.get_by_text("Gérer les rendez-vous en ligne").first).to_be_visible()
    context.close()
