"""Cost of personal codes: the KDF, the code space, a full offline search, opening a journal.

The KDF (scrypt, ``survey/participant/codes.py``) timed alone, next to the legacy key (one
HMAC-SHA256, what a guess cost before per-session keys); the size of the code space and the
core-years a search of all of it costs an attacker who holds the database and the secret (at the
fastest KDF run: the attacker's best case); then the journal opened through the Flask test
client on SQLite, with a few closed and published sessions answered with one code, next to the
same page with its master key precomputed and to the page posted with a malformed code (neither
runs the KDF).

    .venv/bin/python bench/personal_codes.py [--runs 15] [--sessions 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import random
import statistics
import time

from common import make_app, make_group, median_ms
from sqlalchemy import update

from survey.demo import MODULES, _person
from survey.extensions import db
from survey.models import Response
from survey.questionnaire import frozen_definition
from survey.services import codes, meetings, participation, publication

CODE = "lilas-phare-tortue-moulin-42"
LEGACY_CODE = "lilas-phare-tortue-42"
OTHERS = 11  # respondents without a code in each session, besides the one with it
YEAR = 365.25 * 24 * 3600
BATCH = 10_000  # cheap functions are timed per batch, then divided


def per_call_us(function, runs: int) -> float:
    """Median time of one call in microseconds, over ``runs`` batches of BATCH calls."""
    return median_ms(lambda: [function() for _ in range(BATCH)], runs) * 1000 / BATCH


def sessions_answered_with(app, count: int) -> None:
    """``count`` closed, published sessions of 12 synthetic respondents, one of them with CODE."""
    with app.app_context():
        group = make_group()
        personal = codes.derive(CODE, app.config["SECRET_KEY"])
        for number in range(count):
            day = dt.date(2026, 1, 5) + dt.timedelta(weeks=3 * number)
            meeting = meetings.plan_meeting(
                group, title=f"Séance {number + 1}", date=day, modules=MODULES
            )
            meetings.open_collection(meeting)
            definition = frozen_definition(meeting)
            rng = random.Random(number)
            for person in range(OTHERS + 1):
                draft, _ = participation.start_draft(meeting)
                answers = list(_person(definition, rng, person, 0.0))
                key = personal if person == 0 else None
                participation.submit(meeting, draft.id, answers, None, key)
            meetings.close_collection(meeting)
            publication.record(meeting)
        db.session.commit()


def journal_ms(client, code: str, runs: int, expected: int) -> float:
    def open_journal():
        page = client.post("/journal", data={"code": code}).get_data(as_text=True)
        assert page.count('class="panel journal-entry"') == expected, "unexpected journal"

    return median_ms(open_journal, runs)


def first_legacy_opening_ms(app, client, runs: int, expected: int) -> float:
    """The first opening with a legacy code: its answers hold the legacy key and are re-keyed."""
    legacy = codes.legacy_key(LEGACY_CODE, app.config["SECRET_KEY"])
    times = []
    for _ in range(runs + 1):
        with app.app_context():
            db.session.execute(
                update(Response)
                .where(Response.respondent_key.is_not(None))
                .values(respondent_key=legacy)
            )
            db.session.commit()
        start = time.perf_counter()
        page = client.post("/journal", data={"code": LEGACY_CODE}).get_data(as_text=True)
        times.append((time.perf_counter() - start) * 1000)
        assert page.count('class="panel journal-entry"') == expected, "legacy journal not found"
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sessions", type=int, default=5)
    args = parser.parse_args()
    secret = "bench"  # the secret of common.make_app

    kdf_times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        master = codes.master_key(CODE, secret)
        kdf_times.append((time.perf_counter() - start) * 1000)
    kdf, fastest = statistics.median(kdf_times), min(kdf_times)
    legacy = per_call_us(lambda: codes.legacy_key(LEGACY_CODE, secret), args.runs)
    session = per_call_us(lambda: codes.session_key(master, 12345), args.runs)
    space = codes.CODE_SPACE
    legacy_space = len(codes.WORDS) ** codes.LEGACY_WORDS_IN_A_CODE * 100
    core_years = space * fastest / 1000 / YEAR  # the attacker's best case: the fastest run
    cores = os.cpu_count() or 1

    app = make_app(RATELIMIT_ENABLED=False)  # the journal allows 10 codes a minute
    sessions_answered_with(app, args.sessions)
    client = app.test_client()
    malformed = median_ms(lambda: client.post("/journal", data={"code": "x"}), args.runs)
    found = journal_ms(client, CODE, args.runs, args.sessions)
    derive = codes.master_key
    codes.master_key = lambda code, secret: master  # the same page, its master key known
    try:
        without_kdf = journal_ms(client, CODE, args.runs, args.sessions)
    finally:
        codes.master_key = derive
    wrong = journal_ms(client, "lilas-phare-tortue-moulin-43", args.runs, 0)
    rekeyed = first_legacy_opening_ms(app, client, args.runs, args.sessions)
    after = journal_ms(client, LEGACY_CODE, args.runs, args.sessions)

    print(
        f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
        f"{args.runs} runs (medians)"
    )
    print(
        f"scrypt N=2^{codes.SCRYPT_N.bit_length() - 1}, r={codes.SCRYPT_R}, "
        f"p={codes.SCRYPT_P}, {128 * codes.SCRYPT_N * codes.SCRYPT_R // 2**20} MiB"
    )
    print(f"KDF (master key, once per request):        {kdf:10.1f} ms  (fastest {fastest:.1f} ms)")
    print(f"per-session key (HMAC of the master):      {session:10.2f} us")
    print(
        f"legacy key (HMAC of the code, baseline):   {legacy:10.2f} us  "
        f"(the KDF costs {kdf * 1000 / legacy:,.0f}x more)"
    )
    print(
        f"code space: {len(codes.WORDS)} words ^ {codes.WORDS_IN_A_CODE} x 100 = {space:.3e} "
        f"({math.log2(space):.1f} bits)"
    )
    print(
        f"full offline search (database + secret):   {core_years:10,.0f} core-years at the fastest "
        f"KDF (half on average; {core_years / cores:,.0f} years on all {cores} cores here)"
    )
    print(
        f"legacy 3-word codes: {legacy_space:.3e} codes; search before re-keying "
        f"{legacy_space * legacy / 1e6 / 3600:.2f} core-hours, after "
        f"{legacy_space * fastest / 1000 / YEAR:.1f} core-years"
    )
    print(f"journal, malformed code (no KDF, baseline): {malformed:9.1f} ms")
    print(f"journal opened, {args.sessions} sessions found:       {found:9.1f} ms")
    print(f"the same, master key precomputed (no KDF):  {without_kdf:9.1f} ms")
    print(f"journal, wrong code (nothing found):        {wrong:9.1f} ms")
    print(
        f"journal, legacy code, first opening:       {rekeyed:10.1f} ms  "
        f"(re-keys {args.sessions} answers)"
    )
    print(f"journal, legacy code, afterwards:          {after:10.1f} ms")


if __name__ == "__main__":
    main()
