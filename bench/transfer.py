"""Bytes a browser with an empty cache transfers for each participant page and the first chart page.

Each page is fetched through the Flask test client with Chromium's Accept-Encoding, then every
script, stylesheet and icon it references, once each. A response counts its status line, its
headers and its body as sent (compressed or not). Participant pages: the open demo session's
welcome page, each page of questions (the last one included), the thanks page (submitted with a
new personal code), the journal's page and the journal opened with that code. The first chart
page: the first section of the demo's « Séance 3 ». SQLite in a temporary folder.

The same walk runs on a past commit ("before", in a temporary git worktree) and on this tree:

    .venv/bin/python bench/transfer.py [--before 6353850]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The last commit before compression, versioned static files and Plotly's basic bundle.
BEFORE = "6353850"
CHROMIUM = {"Accept-Encoding": "gzip, deflate, br, zstd"}
ASSET = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"(/[^\"]+)\"")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
PARTICIPANT_TARGET, CHART_TARGET = 20_000, 450_000
SOME_ANSWERS = {"overall_gap": "6", "activities__welcome_direct__actual": "4"}


def decoded(response) -> str:
    body = response.data
    encoding = response.headers.get("Content-Encoding")
    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    elif encoding == "br":
        import brotli

        body = brotli.decompress(body)
    elif encoding == "zstd":
        try:
            from compression import zstd  # Python 3.14
        except ImportError:
            from backports import zstd  # installed with Flask-Compress

        body = zstd.decompress(body)
    elif encoding == "deflate":
        import zlib

        body = zlib.decompress(body)
    return body.decode("utf-8")


def on_the_wire(response) -> int:
    """Status line, headers and body as sent."""
    headers = sum(len(name) + len(value) + 4 for name, value in response.headers.items())
    return 17 + headers + len(response.data)


def page_weight(client, response) -> dict:
    """The page and what it references: {"page": bytes, "assets": bytes, "total": bytes}."""
    assert response.status_code == 200, response.status
    urls = dict.fromkeys(u.replace("&amp;", "&") for u in ASSET.findall(decoded(response)))
    assets = 0
    for url in urls:
        asset = client.get(url, headers=CHROMIUM)
        assert asset.status_code == 200, url
        assets += on_the_wire(asset)
        asset.close()
    page = on_the_wire(response)
    return {"page": page, "assets": assets, "total": page + assets}


def measure() -> dict[str, dict]:
    """Walk the pages with the ``survey`` package found first on sys.path."""
    from survey import create_app
    from survey.demo import seed_group
    from survey.extensions import db
    from survey.models import Facilitator
    from survey.questionnaire import frozen_definition

    folder = Path(tempfile.mkdtemp(prefix="praxis-transfer-"))
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}", "SECRET_KEY": "bench"},
        instance_path=str(folder),
    )
    with app.app_context():
        db.create_all()
        owner = Facilitator(email="bench@example.org")
        owner.set_password("bench password")
        db.session.add(owner)
        group = seed_group(owner, today=dt.date(2026, 11, 26))
        db.session.commit()
        meetings = sorted(group.meetings, key=lambda m: m.date)
        chart_meeting, open_meeting = meetings[2].id, meetings[3]
        token = open_meeting.join_token
        pages = len(frozen_definition(open_meeting).sections)
        first_section = frozen_definition(meetings[2]).sections[0].id

    weights = {}
    client = app.test_client()

    def csrf(url: str) -> str:
        return TOKEN.search(client.get(url).text)[1]

    weights["welcome"] = page_weight(client, client.get(f"/j/{token}", headers=CHROMIUM))
    client.post(f"/j/{token}", data={"csrf_token": csrf(f"/j/{token}")})
    for page in range(1, pages + 1):
        url = f"/j/{token}/{page}"
        name = f"page {page} of {pages}" + (" (last)" if page == pages else "")
        weights[name] = page_weight(client, client.get(url, headers=CHROMIUM))
        if page < pages:  # a few answers on the first page: an empty questionnaire is refused
            answers = SOME_ANSWERS if page == 1 else {}
            client.post(url, data={"csrf_token": csrf(url), "action": "next", **answers})
    url = f"/j/{token}/{pages}"
    thanks = client.post(
        url,
        data={"csrf_token": csrf(url), "action": "submit", "code-choice": "new"},
        headers=CHROMIUM,
    )
    weights["thanks"] = page_weight(client, thanks)
    code = re.search(r'id="personal-code">([^<]+)<', decoded(thanks))[1]
    weights["journal"] = page_weight(client, client.get("/journal", headers=CHROMIUM))
    opened = client.post(
        "/journal", data={"csrf_token": csrf("/journal"), "code": code}, headers=CHROMIUM
    )
    assert "Séance 4" in decoded(opened)
    weights["journal, opened"] = page_weight(client, opened)

    facilitator = app.test_client()
    signed_in = facilitator.post(
        "/login",
        data={
            "csrf_token": TOKEN.search(facilitator.get("/login").text)[1],
            "email": "bench@example.org",
            "password": "bench password",
        },
    )
    assert signed_in.status_code == 302, "could not sign in"
    chart = facilitator.get(f"/sessions/{chart_meeting}/results/{first_section}", headers=CHROMIUM)
    weights["first chart page"] = page_weight(facilitator, chart)
    return weights


def worktree(revision: str, folder: Path) -> Path:
    """A detached worktree of ``revision`` in ``folder``, its French catalogue compiled."""
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder), revision],
        check=True,
    )
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "compile", "-d"]
        + [str(folder / "survey" / "translations")],
        check=True,
    )
    return folder


def run(tree: Path) -> dict[str, dict]:
    """The walk in a fresh interpreter whose ``survey`` is the one in ``tree``."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(tree)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout)


def kb(size: int) -> str:
    return f"{size / 1000:,.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="commit to compare with")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        sys.path.insert(0, args.measure)
        print(json.dumps(measure()))
        return

    tree = Path(tempfile.mkdtemp(prefix="praxis-before-")) / "tree"
    try:
        before = run(worktree(args.before, tree))
    finally:
        if tree.exists():
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)])
        shutil.rmtree(tree.parent, ignore_errors=True)
    now = run(ROOT)

    print(f"Bytes transferred on an empty cache (Accept-Encoding: {CHROMIUM['Accept-Encoding']})")
    print(f"{'page':<24} {'target':>10} {'before':>12} {'now':>12}  (page + assets)")
    for name, weight in now.items():
        target = CHART_TARGET if name == "first chart page" else PARTICIPANT_TARGET
        was = before.get(name, {}).get("total")
        verdict = "met" if weight["total"] <= target else "NOT MET"
        print(
            f"{name:<24} {kb(target):>10} {kb(was) if was else '—':>12} "
            f"{kb(weight['total']):>12}  ({kb(weight['page'])} + {kb(weight['assets'])}) {verdict}"
        )


if __name__ == "__main__":
    main()
