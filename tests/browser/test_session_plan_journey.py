"""The facilitator prepares the session plan and runs it on the room's screen with the timer."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from support import sign_in_page as sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_the_plan_is_prepared_then_run_with_the_timer_and_the_keyboard(
    browser, live_server, account, demo_group, screenshot
):
    meeting_id = demo_group[2]  # a closed session whose results are shown
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server, account)

    # From the session's page to the plan: the usual plan is offered, then edited by keyboard.
    page.goto(f"{live_server}/sessions/{meeting_id}")
    page.locator(f'a[href="/sessions/{meeting_id}/plan"]').click()
    expect(page.locator("#plan-default-notice")).to_be_visible()
    titles = page.locator('input[name$="-title"]')
    expect(titles).to_have_count(9)
    first, second = titles.nth(0).input_value(), titles.nth(1).input_value()
    titles.nth(0).fill("Où en sommes-nous <b>vraiment</b>")
    page.locator('button[value="down-0"]').focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/plan#phase-1$"))
    expect(page.locator("#plan-default-notice")).to_have_count(0)  # saved
    expect(titles.nth(0)).to_have_value(second)
    expect(titles.nth(1)).to_have_value("Où en sommes-nous <b>vraiment</b>")
    assert first != second
    screenshot(page, "session-plan-editing")

    # In the room: phase 1, its countdown, its next phase; the timer runs and pauses.
    page.locator(f'a[href="/sessions/{meeting_id}/plan/run"]').first.click()
    timer = page.locator("#plan-timer")
    expect(timer).to_have_text("10:00")  # the agenda, now first
    slide = page.locator(".plan-slide:visible")
    expect(slide).to_have_count(1)
    expect(slide.locator(".plan-next")).to_contain_text("Où en sommes-nous <b>vraiment</b>")
    page.locator("#plan-toggle").click()
    expect(timer).to_have_text(re.compile(r"^9:5\d$"), timeout=5000)
    expect(page.locator("#plan-toggle")).to_have_text(
        page.locator("#plan-toggle").get_attribute("data-pause")
    )
    page.keyboard.press("Space")  # pause by keyboard
    paused = timer.text_content()
    expect(page.locator("#plan-toggle")).to_have_text(
        page.locator("#plan-toggle").get_attribute("data-start")
    )
    page.wait_for_timeout(1200)
    expect(timer).to_have_text(paused)
    page.keyboard.press("Space")
    screenshot(page, "session-plan-room-running")

    # The next phase by keyboard: its own duration, paused until started.
    page.keyboard.press("ArrowRight")
    expect(slide.locator(".plan-title")).to_have_text("Où en sommes-nous <b>vraiment</b>")
    expect(timer).to_have_text("15:00")
    expect(page.locator("#plan-announce")).to_contain_text("Où en sommes-nous")
    page.keyboard.press("PageDown")
    expect(slide.locator(".plan-situations")).to_be_visible()  # choosing the situation
    expect(slide.locator(".plan-situations li").first).to_be_visible()
    screenshot(page, "session-plan-room-situations")
    page.keyboard.press("ArrowLeft")
    expect(timer).to_have_text("15:00")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(slide.locator(".plan-role").first).to_be_visible()  # the account has its narrator
    screenshot(page, "session-plan-room-roles")
    assert errors == []
    context.close()


def test_the_timer_stays_visible_at_200_percent_zoom(browser, live_server, account, demo_group):
    meeting_id = demo_group[2]
    # A 1280 × 800 screen at 200 %: 640 × 400 CSS pixels, each drawn twice as large.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    page = context.new_page()
    sign_in(page, live_server, account)
    page.goto(f"{live_server}/sessions/{meeting_id}/plan/run")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # choosing the situation: a long list of texts
    expect(page.locator(".plan-situations:visible")).to_have_count(1)
    page.mouse.wheel(0, 2000)
    page.wait_for_function("() => window.scrollY > 0")
    box = page.locator("#plan-timer").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 400
    assert box["x"] >= 0 and box["x"] + box["width"] <= 640
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 640
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "session-plan-room-zoom-200.png"))  # what is on screen
    context.close()


def test_a_phase_that_runs_over_says_so(browser, live_server, account, demo_group, screenshot):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, account)
    page.clock.install()
    page.goto(f"{live_server}/sessions/{demo_group[2]}/plan/run")
    timer = page.locator("#plan-timer")
    expect(timer).to_have_text("15:00")  # the review: the usual plan, none saved
    page.keyboard.press("Space")
    page.clock.run_for("15:05")
    expect(timer).to_have_text("+0:05")
    expect(timer).to_have_class(re.compile("overtime"))
    expect(page.locator("#plan-announce")).to_have_text(timer.get_attribute("data-over"))
    screenshot(page, "session-plan-room-overtime")
    context.close()


def test_without_javascript_the_plan_is_a_list(browser, live_server, account, demo_group):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, account)
    page.goto(f"{live_server}/sessions/{demo_group[2]}/plan/run")
    expect(page.locator(".plan-slide:visible")).to_have_count(9)
    expect(page.locator("#plan-timer")).to_be_hidden()
    context.close()
