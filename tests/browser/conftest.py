"""A live server on SQLite and Debian's Chromium driven by Playwright."""

import datetime as dt
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from survey import create_app
from survey.demo import seed_group
from survey.extensions import db
from survey.models import Facilitator
from survey.services import groups, meetings

CHROMIUM = os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium")
ZBARIMG = os.environ.get("SURVEY_ZBARIMG", "zbarimg")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EMAIL, PASSWORD = "claude.martin@example.org", "une phrase de passe"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI for browser tests ({CHROMIUM} not found)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def read_qr_codes():
    """Decode the QR codes in an image with zbarimg (Debian's zbar-tools): their texts."""
    zbarimg = shutil.which(ZBARIMG)
    if not zbarimg:
        if os.environ.get("CI"):
            pytest.fail(f"zbarimg is required in CI for the QR code tests ({ZBARIMG} not found)")
        pytest.skip(f"zbarimg not found ({ZBARIMG}; apt-get install zbar-tools)")

    def read(image: Path) -> list[str]:
        result = subprocess.run(
            [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode in (0, 4), result.stderr  # 4: no code found
        return result.stdout.splitlines()

    return read


@pytest.fixture
def account():
    """The facilitator account the live server starts with: (email, password)."""
    return EMAIL, PASSWORD


@pytest.fixture
def live_app(tmp_path):
    """The real app on a real port, with one facilitator account: (app, base URL)."""
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}", "SECRET_KEY": "live"},
        instance_path=str(tmp_path / "instance"),
    )
    with app.app_context():
        db.create_all()
        facilitator = Facilitator(email=EMAIL, display_name="Claude Martin")
        facilitator.set_password(PASSWORD)
        db.session.add(facilitator)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    return live_app[1]


@pytest.fixture
def open_session(live_app):
    """An open session of the standard questionnaire with every module: its join code."""
    app, _ = live_app
    with app.app_context():
        owner = db.session.scalar(db.select(Facilitator))
        group = groups.create_group(
            owner,
            name="Accueil Nord",
            domain="public_reception",
            establishments=["Nord", "Sud"],
            member_cap=12,
            anonymity_threshold=4,
        )
        meeting = meetings.plan_meeting(
            group,
            title="Séance de décembre",
            date=dt.date(2026, 12, 10),
            modules=["task_map", "priorities", "self_evaluation"],
        )
        meetings.open_collection(meeting)
        db.session.commit()
        return meeting.join_code


@pytest.fixture
def demo_group(live_app):
    """The demo group (three past sessions with results, one open): the ids of its sessions."""
    app, _ = live_app
    with app.app_context():
        owner = db.session.scalar(db.select(Facilitator))
        group = seed_group(owner)
        db.session.commit()
        return [m.id for m in sorted(group.meetings, key=lambda m: m.date)]


@pytest.fixture
def screenshot():
    """Save a full-page screenshot (or one element's) under test-artifacts/ for people to look
    at; returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str, element=None) -> Path:
        path = ARTIFACTS / f"{name}.png"
        # With a number field focused, Chromium drops the next click after a full-page capture.
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        if element is not None:
            element.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=True)
        return path

    return take
