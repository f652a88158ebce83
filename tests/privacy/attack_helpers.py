"""Helpers for the adversarial suite: what an adversary reads off the pages."""

import html
import json
import re

CHART_DATA = re.compile(r'<script type="application/json" class="chart-data"[^>]*>(.*?)</script>')
SECTIONS = (
    "prescribed_actual",
    "ideal_feasible",
    "task_map",
    "priorities",
    "self_evaluation",
    "implicit",
    "open",
    "texts",
)


def result_pages(client, meeting_id: int) -> dict[str, str]:
    """Every page of a session's results, as text, by URL."""
    urls = [f"/sessions/{meeting_id}/results"]
    urls += [f"/sessions/{meeting_id}/results/{s}" for s in SECTIONS]
    pages = {url: client.get(url, follow_redirects=True).get_data(as_text=True) for url in urls}
    slides = 1
    while True:  # projection mode, slide after slide
        url = f"/sessions/{meeting_id}/present?slide={slides}"
        page = client.get(url).get_data(as_text=True)
        pages[url] = page
        if f"slide={slides + 1}" not in page or slides > 60:
            return pages
        slides += 1


def page_text(page: str) -> str:
    """What a reader sees of a page (entities decoded)."""
    return html.unescape(page)


def charts_in(page: str) -> list[dict]:
    """The chart payloads a page sends to the browser."""
    return [json.loads(payload) for payload in CHART_DATA.findall(page)]


def numbers_in(payload) -> list[float]:
    """Every number in a chart payload, however deep."""
    if isinstance(payload, bool):
        return []
    if isinstance(payload, int | float):
        return [payload]
    if isinstance(payload, dict):
        return [n for value in payload.values() for n in numbers_in(value)]
    if isinstance(payload, list):
        return [n for value in payload for n in numbers_in(value)]
    return []
