"""The printable reports as Chromium prints them (page.pdf, A4): a sane number of pages, and
nothing on paper that the page hides: a statement fewer than k answered says « moins de k
réponses » in the PDF, and the mean its answers would give appears nowhere in it."""

import io
import re
from pathlib import Path

import pypdf
import pytest
from support import answered_session
from support import sign_in_page as sign_in

from survey.display import fmt
from survey.extensions import db
from survey.models import Facilitator
from survey.services import groups

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
K = 4
#: Five people rate welcoming at the desk; three of them only rate answering the phone and
#: say how much pressure they feel: fewer than k.
WELCOME = [(2, 8), (3, 8), (2, 9), (3, 9), (2, 8)]
PHONE = [(4, 9), (4, 7), (5, 7)]
PRESSURE = [1, 2, 2]
TOO_FEW = "moins de 4 réponses"


def mean(values) -> float:
    return sum(values) / len(values)


def printed(page, name: str) -> tuple[int, str]:
    """Print the page as Chromium does (A4, print styles), keep the PDF under test-artifacts/;
    its number of pages and its text."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4")
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    return len(reader.pages), " ".join(text.split())


@pytest.fixture
def hidden_cell(live_app):
    """A session of five people where three said how much pressure they feel (k = 4): its id
    and the mean those three answers would show."""
    app, _ = live_app
    with app.app_context():
        owner = db.session.scalar(db.select(Facilitator))
        group_id = groups.create_group(
            owner,
            name="Groupe à cellule cachée",
            domain="public_reception",
            establishments=[],
            member_cap=12,
            anonymity_threshold=K,
        ).id
        db.session.commit()
    people = [
        {("activities.welcome_direct", "prescribed"): a, ("activities.welcome_direct", "actual"): b}
        for a, b in WELCOME
    ]
    for person, value, (a, b) in zip(people, PRESSURE, PHONE, strict=False):
        person[("pressure", "")] = value
        person |= {("activities.phone_messages", "prescribed"): a}
        person |= {("activities.phone_messages", "actual"): b}
    meeting_id = answered_session(app, group_id, 5, people, modules=[])
    # What the hidden cells would say, from the raw answers.
    prescribed, actual = mean([a for a, _b in PHONE]), mean([b for _a, b in PHONE])
    with app.test_request_context():
        return meeting_id, {
            "pressure": fmt(mean(PRESSURE)),
            "phone, prescribed": fmt(prescribed),
            "phone, actual": fmt(actual),
            "phone, gap": fmt(actual - prescribed),
        }


def test_a_hidden_cell_stays_hidden_on_paper(
    browser, live_server, account, hidden_cell, screenshot
):
    meeting_id, hidden = hidden_cell
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, account)

    # The dashboard says so for answering the phone, and the report where it does.
    page.goto(f"{live_server}/sessions/{meeting_id}/results/prescribed_actual")
    row = page.locator("tr", has_text="Répondre au téléphone et aux messages").first
    assert TOO_FEW in row.text_content()
    page.goto(f"{live_server}/sessions/{meeting_id}/results")
    page.locator(f"a[href='/sessions/{meeting_id}/report']").click()
    page.wait_for_url(re.compile(rf"/sessions/{meeting_id}/report$"))
    pressure = page.locator(".report-block", has_text="La pression que je ressens")
    assert TOO_FEW in pressure.inner_text().lower()
    phone = page.locator(".report tr", has_text="Répondre au téléphone et aux messages").first
    assert TOO_FEW in phone.inner_text()
    report = page.locator(".report").inner_text()
    for what, value in hidden.items():
        assert value not in report, what

    # « Imprimer » prints; it is no part of the printed page.
    button = page.locator("[data-print]")
    assert button.is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed") is True
    screenshot(page, "report-session-hidden-cell")

    pages, text = printed(page, "report-session-hidden-cell")
    assert 1 <= pages <= 30
    assert "La pression que je ressens" in text and TOO_FEW in text.lower()
    phone = text[text.index("Répondre au téléphone") :][:120]
    assert TOO_FEW in phone, phone
    for what, value in hidden.items():
        assert value not in text, f"{what}: {value} is on paper"
    assert "Accueillir et orienter les personnes au guichet" in text
    page.emulate_media(media="print")
    assert not button.is_visible() and not page.locator(".site-header").is_visible()
    context.close()


def test_the_demo_reports_print_on_a_sane_number_of_a4_pages(
    browser, live_server, account, demo_group, screenshot
):
    shown = demo_group[:3]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, account)
    page.goto(f"{live_server}/sessions/{shown[-1]}/report?outcomes=all")
    screenshot(page, "report-session")
    pages, text = printed(page, "report-session")
    assert 2 <= pages <= 30, pages
    assert "Séance 3 — Les situations tendues" in text
    assert "Préparer ensemble une trame pour expliquer un refus" in text  # all outcomes asked

    page.goto(f"{live_server}/sessions/{shown[-1]}/report")
    _pages, text = printed(page, "report-session-shareable")
    assert "Préparer ensemble une trame pour expliquer un refus" not in text

    page.goto(f"{live_server}/groups")
    page.get_by_role("link", name="Accueil des publics — Maison des services").click()
    page.locator("a[href$='/cycle']").click()
    page.wait_for_url(re.compile(r"/groups/\d+/cycle$"))
    page.goto(page.url + "?outcomes=all")
    # Charts drawn on the server: already there to print, no script to wait for.
    assert page.locator("svg.print-chart").count() == 3  # the gaps, the two indicators
    assert page.locator("svg.print-chart").first.bounding_box()["width"] > 300
    screenshot(page, "report-cycle")
    pages, text = printed(page, "report-cycle")
    assert 2 <= pages <= 30, pages
    for words in ("Séance 1 — Premiers repères", "Limiter l'attente des personnes"):
        assert words in text
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    screenshot(page, "report-cycle-print")
    context.close()
