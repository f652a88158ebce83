"""Every QR code the app draws scans, from a screenshot, to the very link its page gives.

Session page, printable sheet, screen for the room and invitation cards; on screen and, for the
pages meant for paper, as printed.
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey.extensions import db
from survey.models import Meeting
from survey.services import meetings

pytestmark = pytest.mark.browser


@pytest.fixture
def scan(read_qr_codes, screenshot):
    """Screenshot one drawn QR code as it appears, and decode it: its text."""

    def read(page, code, name: str) -> str:
        box = code.bounding_box()
        # Square and large enough for a phone at arm's length: not cropped, not squashed...
        assert box["width"] >= 120 and abs(box["width"] - box["height"]) < 1, (name, box)
        # ...and the code fills its box: its modules, then a quiet zone of 4 on each side.
        drawn = code.evaluate(
            "svg => svg.querySelector('path').getBoundingClientRect().width"
            " / svg.getBoundingClientRect().width"
        )
        assert 0.7 < drawn <= 1, (name, drawn)
        texts = read_qr_codes(screenshot(page, f"qr-{name}", element=code))
        assert len(texts) == 1, (name, texts)
        return texts[0]

    return read


def test_every_qr_code_scans_to_the_link_its_page_gives(
    browser, live_app, open_session, account, scan, screenshot
):
    app, base = live_app
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.join_code == open_session))
        meeting_id = meeting.id
        by_card = meetings.plan_meeting(
            meeting.group, title="Sur invitation", date=meeting.date, invitation_only=True
        )
        meetings.open_collection(by_card)
        db.session.commit()
        by_card_id = by_card.id
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Adresse électronique").fill(account[0])
    page.get_by_label("Mot de passe").fill(account[1])
    page.get_by_role("button", name="Se connecter").click()

    page.goto(f"{base}/sessions/{meeting_id}")
    link = page.locator("#join-link").input_value()
    assert link.startswith(f"{base}/j/")
    assert scan(page, page.locator(".joining .qr svg"), "session") == link
    screenshot(page, "qr-session-page")

    # The sheet and the room screen show the home page and the code; their QR code, the link.
    page.goto(f"{base}/sessions/{meeting_id}/sheet")
    expect(page.locator(".join-code")).to_have_text(open_session)
    assert scan(page, page.locator(".qr svg"), "sheet") == link
    page.emulate_media(media="print")
    assert scan(page, page.locator(".qr svg"), "sheet-print") == link
    screenshot(page, "qr-sheet-page-print")
    page.emulate_media(media="screen")

    page.goto(f"{base}/sessions/{meeting_id}/room")
    expect(page.locator(".join-code")).to_have_text(open_session)
    assert scan(page, page.locator(".qr svg"), "room") == link
    screenshot(page, "qr-room-page")

    page.goto(f"{base}/sessions/{by_card_id}")
    page.get_by_label("Nombre de cartes à imprimer").fill("3")
    page.get_by_role("button", name="Créer et imprimer les cartes").click()
    cards = page.locator(".invitation-card")
    expect(cards).to_have_count(3)
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        for number, card in enumerate(cards.all(), start=1):
            card_link = card.locator(".card-url").inner_text()
            assert card_link.startswith(f"{base}/i/")
            assert scan(page, card.locator(".qr svg"), f"card-{number}-{media}") == card_link
        screenshot(page, f"qr-cards-page-{media}")
    context.close()
