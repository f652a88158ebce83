"""axe-core (WCAG 2.0/2.1 A and AA rules) on every participant and facilitator page, in French
and English, on a phone and a laptop. Any violation fails the test, listed in full."""

from pathlib import Path

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Meeting, MeetingStatus

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 360, "height": 780}, "laptop": {"width": 1280, "height": 900}}
RUN = """async () => {
  const result = await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}\\n      ` +
    v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' | ' +
      n.failureSummary.replace(/\\n/g, ' ')).join('\\n      '));
}"""


def audit(page, name: str, found: list[str]) -> None:
    page.add_script_tag(path=str(AXE))
    found.extend(f"{name} [{page.url}]: {v}" for v in page.evaluate(RUN))


def choose(page, language: str) -> None:
    if language == "en":
        page.locator(".language-switch button", has_text="English").click()


def fill(page) -> None:
    """A few answers, enough for every page to pass."""
    for scale in page.locator("fieldset.scale").all():
        scale.locator("label.point").first.click()
    for allocation in page.locator("fieldset.allocation").all():
        inputs = allocation.locator("input[type=number]").all()
        inputs[0].fill(str(allocation.get_attribute("data-total")))
        for other in inputs[1:]:
            other.fill("0")
    for number, box in enumerate(page.locator(".question-ranking select").all()):
        box.select_option(index=number + 1)


def walk_participant(page, base: str, token: str, name: str, found: list[str]) -> None:
    page.goto(base)
    audit(page, f"{name} home", found)
    page.goto(f"{base}/j/{token}")
    audit(page, f"{name} welcome", found)
    page.locator("main form button.primary").click()
    number = 1
    while True:
        page.wait_for_selector(".section-head")
        audit(page, f"{name} page {number}", found)
        fill(page)
        if number == 2:
            page.locator("button[value=save]").last.click()
            page.wait_for_selector(".saved-notice")
            audit(page, f"{name} saved", found)
        last = page.locator("button[value=submit]").count() > 0
        if last:
            break
        page.locator("button[value=next]").last.click()
        number += 1
    page.locator("input[value=existing]").check()
    page.locator("button[value=submit]").click()
    page.wait_for_selector(".error-summary")
    audit(page, f"{name} errors", found)
    page.locator("input[value=new]").check()
    page.locator("button[value=submit]").click()
    code = page.locator("#personal-code").inner_text()
    audit(page, f"{name} thanks", found)
    page.goto(f"{base}/j/{token}")
    audit(page, f"{name} welcome again", found)
    page.goto(f"{base}/journal")
    page.locator("input[name=code]").fill(code)
    page.locator("main form button.primary").click()
    page.wait_for_selector(".journal-entry")
    audit(page, f"{name} journal", found)


def walk_facilitator(page, base: str, account, ids: dict, name: str, found: list[str]) -> None:
    page.goto(f"{base}/login")
    audit(page, f"{name} login", found)
    page.locator("input[name=email]").fill(account[0])
    page.locator("input[name=password]").fill(account[1])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/groups")
    group, closed, opened = ids["group"], ids["closed"], ids["open"]
    urls = [
        "/groups",
        "/groups/new",
        f"/groups/{group}",
        f"/groups/{group}/edit",
        f"/groups/{group}/questionnaire",
        f"/groups/{group}/sessions/new",
        f"/groups/{group}/trends",
        f"/groups/{group}/cycle?outcomes=all",
        "/overview",
        f"/sessions/{opened}",
        f"/sessions/{opened}/edit",
        f"/sessions/{opened}/preview",
        f"/sessions/{opened}/review",
        f"/sessions/{opened}/room",
        f"/sessions/{opened}/sheet",
        f"/sessions/{closed}",
        f"/sessions/{closed}/results",
        f"/sessions/{closed}/present",
        f"/sessions/{closed}/report?outcomes=all",
        f"/sessions/{closed}/plan",
        f"/sessions/{closed}/plan/run",
        f"/sessions/{closed}/outcomes/new?kind=action",
        f"/sessions/{closed}/outcomes/new?kind=indicator",
        f"/sessions/{closed}/outcomes/new?kind=solution",
        "/account",
    ]
    for url in urls:
        page.goto(base + url)
        audit(page, f"{name} {url}", found)
        if url.endswith("/results"):
            tabs = page.locator(".result-tabs a").evaluate_all("links => links.map(a => a.href)")
            for tab in tabs[1:]:
                page.goto(tab)
                audit(page, f"{name} {tab.removeprefix(base)}", found)
    # The account page as it shows a new API token once, and lists it.
    page.goto(f"{base}/account")
    page.locator("#api-tokens input[name=name]").fill(f"Accessibilité {name}")
    page.locator("#api-tokens form button[type=submit]").last.click()
    page.wait_for_selector("#new-token")
    audit(page, f"{name} /account (new API token)", found)


def test_axe_finds_no_violation(browser, live_app, open_session, demo_group, account):
    app, base = live_app
    with app.app_context():
        token = db.session.scalar(
            select(Meeting.join_token).where(Meeting.join_code == open_session)
        )
        meetings = [db.session.get(Meeting, i) for i in demo_group]
        ids = {
            "group": meetings[0].group_id,
            "closed": next(m.id for m in reversed(meetings) if m.status == MeetingStatus.CLOSED),
            "open": next(m.id for m in meetings if m.status == MeetingStatus.OPEN),
        }
    found: list[str] = []
    for device, viewport in VIEWPORTS.items():
        for language in ("fr", "en"):
            # bypass_csp: axe is injected inline; the CSP is tested elsewhere.
            context = browser.new_context(viewport=viewport, locale="fr-FR", bypass_csp=True)
            page = context.new_page()
            page.goto(base)
            choose(page, language)
            walk_participant(page, base, token, f"{device}/{language}", found)
            context.clear_cookies()
            page.goto(base)
            choose(page, language)
            walk_facilitator(page, base, account, ids, f"{device}/{language}", found)
            context.close()
    assert not found, "axe-core violations:\n" + "\n".join(found)
