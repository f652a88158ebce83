"""Storage without order (DESIGN.md §6, rule 6), played by someone holding a copy of the database.

The facilitator knows who arrived when, so the order of submission is identity. Once a session is
closed, no order a database reader can see (a plain SELECT, the primary keys, SQLite's rowid,
PostgreSQL's ctid and xmin) may follow it, and abandoned drafts are gone.
"""

import datetime as dt
import math
import random
import re
import statistics
import threading

from sqlalchemy import inspect
from sqlalchemy import text as sql
from support import TOKEN, answer_all, answer_page, post, start, text

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Group, Meeting
from survey.services import codes, meetings, participation
from survey.tokens import digest

PEOPLE = 20
TRIALS = 5
#: Under the null, the mean of 5 rank correlations over 20 people has an sd of about 0.1.
CHANCE = 0.45
#: Who submitted is read from this answer: "person 07".
WHO = "proposal"


def ranks(values: list) -> list[float]:
    """Ranks from 0, ties sharing their mean rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    start_at = 0
    while start_at < len(order):
        end = start_at
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start_at]]:
            end += 1
        for position in range(start_at, end + 1):
            result[order[position]] = (start_at + end) / 2
        start_at = end + 1
    return result


def spearman(x: list, y: list) -> float:
    """Spearman's rank correlation; 0 when either side is constant (it then orders nothing)."""
    rx, ry = ranks(x), ranks(y)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def test_spearman():
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert spearman([1, 2, 3, 4], [7, 7, 7, 7]) == 0.0
    assert abs(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-9


def observed_orders(connection, keys: dict[str, str]) -> dict[str, list[tuple]]:
    """Every order a copy of the database shows: {what: [(row key, position)]}, for each table
    and the column that tells whose row it is."""
    postgres = connection.dialect.name == "postgresql"
    found = {}
    for table, key in keys.items():
        primary_key = ", ".join(inspect(connection).get_pk_constraint(table)["constrained_columns"])
        queries = {
            "plain SELECT": f"SELECT * FROM {table}",
            f"ORDER BY {primary_key}": f"SELECT * FROM {table} ORDER BY {primary_key}",
        }
        if postgres:
            queries["ctid"] = f"SELECT * FROM {table} ORDER BY ctid"
        else:
            queries["rowid"] = f"SELECT * FROM {table} ORDER BY rowid"
        for name, query in queries.items():
            rows = connection.execute(sql(query)).mappings().all()
            found[f"{table}: {name}"] = [(row[key], n) for n, row in enumerate(rows)]
        if postgres:
            rows = connection.execute(sql(f"SELECT {key}, xmin::text::bigint FROM {table}")).all()
            found[f"{table}: xmin"] = [tuple(row) for row in rows]
    return found


def rank_correlations(app, who: dict[str, dict], order: list[int]) -> dict[str, tuple]:
    """For each observed order: (rho with ``order``, the people in that order). ``who`` says,
    for each table, whose each row key is; a person's place is their first row's (or lowest
    xmin); rows of other sessions are ignored."""
    with app.app_context(), db.engine.connect() as connection:
        observed = observed_orders(connection, {table: key for table, (key, _) in who.items()})
    result = {}
    for name, rows in observed.items():
        people = who[name.split(":")[0]][1]
        place = {}
        for key, position in rows:
            person = people.get(key)
            if person is not None:
                place[person] = min(place.get(person, position), position)
        assert sorted(place) == sorted(order), name
        persons = tuple(sorted(place, key=place.get))
        result[name] = (spearman([place[p] for p in order], list(range(len(order)))), persons)
    return result


def assert_within_chance(trials: list[dict[str, tuple]], printed: tuple[str, ...] = ()) -> None:
    """No order follows submission on average, nor repeats from one session to the next (but
    xmin, one for all rows, and the orders of ``printed``, which follow the cards' printing)."""
    means = {name: statistics.fmean(t[name][0] for t in trials) for name in trials[0]}
    correlated = {name: round(rho, 2) for name, rho in means.items() if abs(rho) >= CHANCE}
    assert not correlated, f"orders that follow submission (mean rho): {correlated}"
    for name in trials[0]:
        if not name.endswith("xmin") and name not in printed:
            orders = {t[name][1] for t in trials}
            assert len(orders) > 1, f"{name}: the same order in every session"


def single_xmin(app, meeting_id: int, tables: list[str]) -> set:
    """The distinct xmin values of a session's rows in these tables (PostgreSQL)."""
    of_session = {
        "response": "meeting_id = :m",
        "submission": "meeting_id = :m",
        "invitation": "meeting_id = :m",
        "answer": "response_id IN (SELECT id FROM response WHERE meeting_id = :m)",
    }
    with app.app_context(), db.engine.connect() as connection:
        return {
            xmin
            for table in tables
            for (xmin,) in connection.execute(
                sql(f"SELECT xmin::text FROM {table} WHERE {of_session[table]}"), {"m": meeting_id}
            )
        }


def answers_of(person: int) -> list[AnswerValue]:
    return [
        AnswerValue("activities.welcome_direct", "prescribed", float(person % 11)),
        AnswerValue("activities.welcome_direct", "actual", float((person * 7) % 11)),
        AnswerValue("overall_gap", "", float(person % 5)),
        AnswerValue(WHO, "", text=f"person {person:02d}"),
    ]


def submit_in_turn(app, meeting_id: int, order: list[int], cards: list[str] | None = None):
    """Each person starts a draft (from their card, if any) and submits, one request (one
    commit) each, in ``order``; returns whose each submission ledger row is."""
    ledger = {}
    with app.app_context():
        for person in order:
            meeting = db.session.get(Meeting, meeting_id)
            card = participation.invitation_by_token(cards[person]) if cards else None
            draft, _ = participation.start_draft(meeting, card)
            db.session.commit()
            participation.submit(meeting, draft.id, answers_of(person), None)
            db.session.commit()
            ledger[digest(str(draft.id))] = person
    return ledger


def who_is_who(app, meeting_id: int, ledger: dict[str, int]) -> dict[str, tuple]:
    """Per table, the column that tells whose a row is, and whose each value is (now)."""
    with app.app_context(), db.engine.connect() as connection:
        rows = connection.execute(
            sql(
                "SELECT response_id, text FROM answer JOIN response ON response.id = response_id"
                " WHERE item_id = :who AND meeting_id = :m"
            ),
            {"who": WHO, "m": meeting_id},
        ).all()
    by_response = {key: int(words.split()[-1]) for key, words in rows}
    return {
        "response": ("id", by_response),
        "answer": ("response_id", by_response),
        "submission": ("digest", ledger),
    }


def set_status(app, meeting_id: int, status: str) -> None:
    """What the facilitator's open and close buttons do: the service, then one commit."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        if status == "closed":
            meetings.close_collection(meeting)
        else:
            meetings.open_collection(meeting)
        db.session.commit()


def test_no_order_of_submission_survives_closing(app, facilitator, make_group, make_meeting):
    group = make_group(facilitator, member_cap=PEOPLE)  # the form stops at 12; the rule not
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    trials, xmins = [], []
    for trial in range(TRIALS):
        meeting = make_meeting(group, title=f"Séance {trial}", status="open")
        order = list(range(PEOPLE))
        random.Random(trial).shuffle(order)  # people are numbered apart from their turn
        ledger = submit_in_turn(app, meeting.id, order)
        set_status(app, meeting.id, "closed")
        trials.append(rank_correlations(app, who_is_who(app, meeting.id, ledger), order))
        if postgres:  # rewritten in one transaction: one xmin for all
            xmins.append(len(single_xmin(app, meeting.id, ["response", "answer", "submission"])))
    assert_within_chance(trials)
    assert set(xmins) <= {1}


def test_used_cards_do_not_keep_their_order_of_use(app, facilitator, make_group):
    group_id = make_group(facilitator, member_cap=PEOPLE).id
    postgres = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    trials, xmins = [], []
    for trial in range(TRIALS):
        with app.app_context():
            group = db.session.get(Group, group_id)
            meeting = meetings.plan_meeting(
                group, title=f"Cartes {trial}", date=dt.date(2027, 1, 7), invitation_only=True
            )
            meetings.open_collection(meeting)
            cards = meetings.create_invitations(meeting, PEOPLE)  # card n printed n-th
            meeting_id = meeting.id
            db.session.commit()
            card_ids = dict(
                db.session.execute(
                    sql("SELECT token_hash, id FROM invitation WHERE meeting_id = :m"),
                    {"m": meeting_id},
                ).all()
            )
        person_of_card = {card_ids[digest(card)]: n for n, card in enumerate(cards)}
        order = list(range(PEOPLE))
        random.Random(100 + trial).shuffle(order)  # cards handed out in no printing order
        ledger = submit_in_turn(app, meeting_id, order, cards)
        set_status(app, meeting_id, "closed")
        with app.app_context():
            used = db.session.execute(
                sql("SELECT count(*) FROM invitation WHERE meeting_id = :m AND used"),
                {"m": meeting_id},
            ).scalar()
        assert used == PEOPLE
        who = {"invitation": ("id", person_of_card), "submission": ("digest", ledger)}
        trials.append(rank_correlations(app, who, order))
        if postgres:
            xmins.append(len(single_xmin(app, meeting_id, ["invitation", "submission"])))
    # Card ids follow printing, which says nothing of use; on SQLite the id is the rowid, which
    # orders a plain SELECT too. Order of use must still show nowhere.
    printed = ["invitation: ORDER BY id"]
    if not postgres:
        printed += ["invitation: plain SELECT", "invitation: rowid"]
    assert_within_chance(trials, tuple(printed))
    assert set(xmins) <= {1}


def draft_count(app, meeting_id: int) -> int:
    with app.app_context():
        return db.session.execute(
            sql("SELECT count(*) FROM draft WHERE meeting_id = :m"), {"m": meeting_id}
        ).scalar()


def start_with_card(client, path):
    welcome = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": TOKEN.search(welcome).group(1)})


ABANDONED = "words-of-an-abandoned-draft-"


def test_abandoned_drafts_are_deleted_when_the_session_closes(
    app, facilitator, make_group, make_meeting
):
    meeting_id = make_meeting(make_group(facilitator), status="open").id
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        token = meeting.join_token
        (card,) = meetings.create_invitations(meeting, 1)
        db.session.commit()
    plain, carded, finished = app.test_client(), app.test_client(), app.test_client()
    start(plain, token)
    answer_page(plain, token, 4, {WHO: ABANDONED + "plain"}, action="save")
    start_with_card(carded, f"/i/{card}")
    answer_page(carded, token, 4, {WHO: ABANDONED + "card"}, action="save")
    start(finished, token)
    answer_all(finished, token)
    assert draft_count(app, meeting_id) == 2

    set_status(app, meeting_id, "closed")
    assert draft_count(app, meeting_id) == 0
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            # Overwritten in the file itself (secure_delete), once the WAL is written back.
            db.session.remove()
            connection = db.engine.raw_connection()  # outside any transaction
            try:
                busy, _, _ = connection.driver_connection.execute(
                    "PRAGMA wal_checkpoint(TRUNCATE)"
                ).fetchone()
            finally:
                connection.close()
            assert busy == 0
            with open(db.engine.url.database, "rb") as database:
                assert ABANDONED.encode() not in database.read()

    # Reopened, both can answer again: the browser whose draft went, and the unused card.
    set_status(app, meeting_id, "open")
    start(plain, token)
    assert "Merci" in text(answer_all(plain, token))
    assert start_with_card(carded, f"/i/{card}").headers["Location"] == f"/j/{token}/1"
    assert "Merci" in text(answer_all(carded, token))
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        assert participation.submitted_count(meeting) == 3
        assert meetings.invitation_counts(meeting) == (1, 1)
    assert draft_count(app, meeting_id) == 0


def test_no_draft_slips_in_while_the_session_closes(app, facilitator, make_group, make_meeting):
    """A start that reads the session as open while a close is under way waits for the close,
    then finds the session closed: no draft is left beside the close's purge."""
    meeting_id = make_meeting(make_group(facilitator), status="open").id
    read_open, outcome = threading.Event(), []

    def start_during_close():
        with app.app_context():
            meeting = db.session.get(Meeting, meeting_id)  # SQLite: waits for the writer
            read_open.wait()
            try:
                participation.start_draft(meeting)
                db.session.commit()
                outcome.append("started")
            except participation.SubmissionRefused as refused:
                outcome.append(refused.reason)

    with app.app_context():
        meetings.close_collection(db.session.get(Meeting, meeting_id))
        starter = threading.Thread(target=start_during_close)
        starter.start()
        read_open.set()
        starter.join(0.5)
        db.session.commit()
    starter.join(10)
    assert outcome == ["closed"]
    assert draft_count(app, meeting_id) == 0


def stored(app, meeting_id: int) -> tuple[set, list]:
    """(response ids, every response's content without its id), as a database reader sees it."""
    with app.app_context(), db.engine.connect() as connection:
        responses = connection.execute(
            sql(
                "SELECT id, establishment_id, role, respondent_key, publication FROM response"
                " WHERE meeting_id = :m"
            ),
            {"m": meeting_id},
        ).all()
        answers = connection.execute(
            sql("SELECT response_id, item_id, facet, value, text FROM answer")
        ).all()
    content = []
    for response_id, *fields in responses:
        mine = sorted(tuple(map(str, a[1:])) for a in answers if a[0] == response_id)
        content.append((tuple(map(str, fields)), mine))
    return {r[0] for r in responses}, sorted(content)


def every_page(client, meeting_id: int, code: str) -> str:
    urls = [f"/sessions/{meeting_id}/results", f"/sessions/{meeting_id}/present"] + [
        f"/sessions/{meeting_id}/results/{s}"
        for s in ("prescribed_actual", "ideal_feasible", "implicit", "open", "texts")
    ]
    pages = [text(client.get(url, follow_redirects=True)) for url in urls]
    pages.append(text(post(client, "/journal", {"code": code})))
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", "\n".join(pages))


def test_closing_rewrites_the_rows_and_keeps_what_they_say(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting_id = make_meeting(make_group(facilitator), status="open").id
    code = "lilas-phare-tortue-moulin-42"
    key = codes.derive(code, app.config["SECRET_KEY"])
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        for person in range(8):
            draft, _ = participation.start_draft(meeting)
            personal = key if person == 3 else None
            answers = answers_of(person)
            participation.submit(meeting, draft.id, answers, None, personal)
            db.session.commit()
    ids, content = stored(app, meeting_id)

    post(signed_in, f"/sessions/{meeting_id}/close", follow_redirects=True)
    closed_ids, closed_content = stored(app, meeting_id)
    assert closed_content == content
    assert len(closed_ids) == 8 and not closed_ids & ids

    post(signed_in, f"/sessions/{meeting_id}/results/publish", follow_redirects=True)
    shown = every_page(signed_in, meeting_id, code)
    assert "person 03" in shown and "8 réponses" in shown
    published_ids, published = stored(app, meeting_id)

    post(signed_in, f"/sessions/{meeting_id}/open", follow_redirects=True)
    post(signed_in, f"/sessions/{meeting_id}/close", follow_redirects=True)
    again_ids, again = stored(app, meeting_id)
    assert again == published and not again_ids & published_ids
    app.extensions["praxis_results"].clear()  # read them again from the rewritten rows
    app.extensions["praxis_published"].clear()
    assert every_page(signed_in, meeting_id, code) == shown
