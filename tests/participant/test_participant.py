"""The participant journey over HTTP: join, answer, save and resume, submit once, journal."""

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import func, inspect, select
from support import TOKEN, answer_all, answer_page, page_token, post, resume_url, start, text

from survey.extensions import db
from survey.models import Answer, Draft, Establishment, Meeting, Response, Submission
from survey.services import groups


@pytest.fixture
def open_meeting(app, facilitator, make_group, make_meeting):
    """An open session of a two-establishment reception group: (join code, join token, id)."""
    group = make_group(facilitator, establishments=["Nord", "Sud"], member_cap=5)
    meeting = make_meeting(group, status="open")
    return meeting.join_code, meeting.join_token, meeting.id


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def without_tokens(page: str) -> str:
    return TOKEN.sub("", re.sub(r'name="csrf_token" value="[^"]+"', "", page))


def test_join_by_code_forgives_case_and_spaces(client, open_meeting):
    code, token, _ = open_meeting
    response = post(client, "/join", {"code": f" {code[:3].lower()} {code[3:]} "})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{token}"
    assert "Autoévaluation avant la séance" in text(client.get(f"/j/{token}"))


def test_wrong_closed_and_unknown_codes_get_the_same_answer(
    app, client, open_meeting, make_meeting, facilitator, make_group
):
    code, _, meeting_id = open_meeting
    closed_code = make_meeting(make_group(facilitator, name="Autre"), status="closed").join_code
    pages = [post(client, "/join", {"code": c}) for c in ("ZZZZZZ", closed_code, "")]
    wrong, closed, empty = pages
    assert wrong.status_code == closed.status_code == 200
    # The same page, but for the code echoed back in its field.
    assert without_tokens(wrong.get_data(as_text=True)) == without_tokens(
        closed.get_data(as_text=True).replace(closed_code, "ZZZZZZ")
    )
    assert "Ce code ne donne accès à aucun questionnaire." in text(wrong)
    assert "Saisissez le code donné par la personne qui anime." in text(empty)


def test_join_codes_are_rate_limited(client, open_meeting):
    for _ in range(10):
        assert post(client, "/join", {"code": "ZZZZZZ"}).status_code == 200
    blocked = post(client, "/join", {"code": open_meeting[0]})
    assert blocked.status_code == 429


def test_the_link_of_a_closed_or_unknown_session(app, client, open_meeting, signed_in):
    _, token, meeting_id = open_meeting
    assert client.get("/j/not-a-token").status_code == 404
    post(signed_in, f"/sessions/{meeting_id}/close")
    page = text(client.get(f"/j/{token}"))
    assert "Les réponses ne sont plus recueillies pour cette séance." in page


def test_a_draft_is_saved_page_by_page_and_never_counted(app, client, open_meeting, signed_in):
    _, token, meeting_id = open_meeting
    response = start(client, token)
    assert response.headers["Location"] == f"/j/{token}/1"
    assert any(
        c.startswith("praxis-resume-") and "HttpOnly" in c
        for c in response.headers.getlist("Set-Cookie")
    )
    answer_page(client, token, 1, {"overall_gap": "7"})
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert draft.data["overall_gap"] == ["7"] and draft.page == 2
    assert count(app, Response) == 0 and count(app, Answer) == 0
    assert "0 réponse reçue" in text(signed_in.get(f"/sessions/{meeting_id}"))


def test_resume_on_another_device(app, client, open_meeting):
    _, token, _ = open_meeting
    start(client, token)
    answer_page(client, token, 1, {"overall_gap": "3", "_establishment": "2"})
    link = resume_url(client, token, 2)

    other_device = app.test_client()
    response = other_device.get(link)
    assert response.headers["Location"] == f"/j/{token}/2"
    first_page = other_device.get(f"/j/{token}/1").get_data(as_text=True)
    assert re.search(
        r'checked id="overall_gap-3" name="overall_gap" type="radio" value="3"', first_page
    )
    assert re.search(r'<option selected value="2">', first_page)
    assert other_device.get("/r/unknown-token").status_code == 404


def test_an_expired_form_is_shown_again_with_the_answers(app, client, open_meeting):
    _, token, _ = open_meeting
    start(client, token)
    response = client.post(
        f"/j/{token}/1", data={"csrf_token": "expired", "overall_gap": "9", "action": "next"}
    )
    page = text(response)
    assert response.status_code == 200
    assert "son jeton de sécurité a expiré" in page
    assert re.search(r'checked id="overall_gap-9"', page)
    with app.app_context():
        assert db.session.scalar(select(Draft)).data == {}


def test_submit_records_one_response_with_its_answers(app, client, open_meeting, signed_in):
    _, token, meeting_id = open_meeting
    start(client, token)
    response = answer_all(
        client, token, last={"topics__1": "workload", "topics__2": "team", "obstacles": "time"}
    )
    assert "Merci, vos réponses sont enregistrées" in text(response)
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        stored = db.session.scalar(select(Response))
        answers = {(a.item_id, a.facet): (a.value, a.text) for a in stored.answers}
        assert answers[("overall_gap", "")] == (6.0, None)
        assert answers[("activities.welcome_direct", "actual")] == (4.0, None)
        assert answers[("topics", "workload")] == (1.0, None)
        assert answers[("topics", "team")] == (2.0, None)
        assert answers[("proposal", "")] == (None, "Plus de temps d'équipe")
        assert stored.respondent_key is None
    assert count(app, Draft) == 0 and count(app, Submission) == 1
    assert "1 réponse reçue" in text(signed_in.get(f"/sessions/{meeting_id}"))


def test_double_submit_and_replay_give_one_response(app, client, open_meeting):
    _, token, _ = open_meeting
    start(client, token)
    answer_all(client, token)
    data = {"csrf_token": page_token(client, "/"), "action": "submit"}
    again = client.post(f"/j/{token}/4", data=data)
    assert "Vos réponses sont déjà enregistrées" in text(again)
    assert "Des réponses ont déjà été envoyées depuis ce navigateur" in text(
        client.get(f"/j/{token}")
    )
    assert count(app, Response) == 1 and count(app, Submission) == 1


def test_concurrent_submits_give_one_response(app, client, open_meeting):
    _, token, _ = open_meeting
    start(client, token)
    for page in range(1, 4):
        answer_page(client, token, page, {"overall_gap": "6"} if page == 1 else None)
    cookie = client.get_cookie(f"praxis-resume-{open_meeting[2]}")
    barrier = threading.Barrier(4)
    results = []

    def submit():
        browser = app.test_client()
        browser.set_cookie(cookie.key, cookie.value)
        data = {"csrf_token": page_token(browser, f"/j/{token}/4"), "action": "submit"}
        barrier.wait()
        results.append(text(browser.post(f"/j/{token}/4", data=data)))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum("Merci, vos réponses sont enregistrées" in r for r in results) == 1
    assert sum("Vos réponses sont déjà enregistrées" in r for r in results) == 3
    assert count(app, Response) == 1 and count(app, Submission) == 1


def test_submitting_after_close_is_refused_and_writes_nothing(app, client, open_meeting, signed_in):
    _, token, meeting_id = open_meeting
    start(client, token)
    for page in range(1, 4):
        answer_page(client, token, page, {"overall_gap": "6"} if page == 1 else None)
    url = f"/j/{token}/4"
    csrf = page_token(client, url)
    post(signed_in, f"/sessions/{meeting_id}/close")
    response = client.post(url, data={"csrf_token": csrf, "action": "submit"})
    assert "Les réponses ne sont plus recueillies pour cette séance." in text(response)
    assert count(app, Response) == 0 and count(app, Answer) == 0 and count(app, Submission) == 0


def test_a_session_closed_while_a_submission_is_checked_refuses_it_and_keeps_the_page(
    app, client, open_meeting, monkeypatch
):
    """A submission checks the questionnaire before it takes the write lock; what it writes on
    is read again under the lock, so a close that lands in between wins."""
    from sqlalchemy import update

    from survey.models import MeetingStatus
    from survey.participant import answering as views

    _, token, meeting_id = open_meeting
    start(client, token)
    for page in range(1, 4):
        answer_page(client, token, page)

    def close_meanwhile():
        begin_writing()
        with db.engine.begin() as connection:  # the facilitator, from another connection
            connection.execute(
                update(Meeting).where(Meeting.id == meeting_id).values(status=MeetingStatus.CLOSED)
            )

    begin_writing = views.begin_writing
    monkeypatch.setattr(views, "begin_writing", close_meanwhile)
    response = answer_page(client, token, 4, {"proposal": "Une idée"}, action="submit")
    assert "Les réponses ne sont plus recueillies pour cette séance." in text(response)
    assert count(app, Response) == 0 and count(app, Submission) == 0
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert draft.data["proposal"] == ["Une idée"]  # the page itself was saved


def test_the_member_cap_is_enforced_at_submission(app, open_meeting):
    """Someone who started before the group filled up is refused when sending (a race)."""
    _, token, _ = open_meeting  # a group of 5 members at most
    late = app.test_client()
    start(late, token)
    for page in range(1, 4):
        answer_page(late, token, page, {"overall_gap": "6"} if page == 1 else None)
    last = f"/j/{token}/4"
    csrf = page_token(late, last)
    for _ in range(5):
        browser = app.test_client()
        start(browser, token)
        assert "Merci" in text(answer_all(browser, token))
    page = text(late.post(last, data={"csrf_token": csrf, "action": "submit"}))
    assert (
        "Cette séance a déjà reçu autant de réponses que le groupe compte de membres (5)." in page
    )
    assert "Vos réponses n'ont pas été enregistrées" in page
    assert count(app, Response) == 5 and count(app, Submission) == 5


def test_a_full_group_refuses_newcomers_before_any_answer_is_typed(app, open_meeting):
    _, token, _ = open_meeting  # a group of 5 members at most
    started = app.test_client()
    start(started, token)
    for _ in range(5):
        browser = app.test_client()
        start(browser, token)
        assert "Merci" in text(answer_all(browser, token))
    drafts = count(app, Draft)

    newcomer = app.test_client()
    welcome = newcomer.get(f"/j/{token}")
    page = text(welcome)
    assert welcome.status_code == 200
    assert "Le groupe a reçu toutes ses réponses" in page
    assert "autant de réponses que le groupe compte de membres (5)" in page
    assert "Aucun nouveau questionnaire ne peut être commencé" in page
    assert "Commencer" not in page
    assert "Le groupe a reçu toutes ses réponses" in text(post(newcomer, f"/j/{token}"))
    assert count(app, Draft) == drafts  # nothing started
    # Someone who started before the group filled up learns it at the next page, not at the end.
    assert "Le groupe a reçu toutes ses réponses" in text(started.get(f"/j/{token}/2"))
    assert count(app, Response) == 5


def test_an_empty_questionnaire_is_not_sent(app, client, open_meeting):
    """Sending without a single answer would take a member's place and say nothing."""
    _, token, _ = open_meeting
    start(client, token)
    for page in range(1, 4):
        answer_page(client, token, page, {"_establishment": ""} if page == 1 else None)
    response = answer_page(client, token, 4, {"code-choice": "new"}, action="submit")
    assert response.status_code == 302 and response.location == f"/j/{token}/4"
    page = text(client.get(response.headers["Location"]))
    assert "Vous n'avez répondu à aucune question\u00a0: il n'y a rien à envoyer." in page
    assert count(app, Response) == 0 and count(app, Submission) == 0
    assert count(app, Draft) == 1  # still there, to answer after all
    with client.session_transaction() as session:
        session["lang"] = "en"
    answer_page(client, token, 4, action="submit")
    english = text(client.get(f"/j/{token}/4"))
    assert "You have not answered any question: there is nothing to send." in english
    # One answer is enough.
    thanks = answer_page(client, token, 4, {"proposal": "Une idée"}, action="submit")
    assert "Thank you" in text(thanks)
    assert count(app, Response) == 1


def test_an_unbalanced_allocation_is_refused(app, client, facilitator, make_group, make_meeting):
    group = make_group(facilitator)
    token = make_meeting(
        group, "Avec priorités", dt.date(2027, 1, 7), "open", modules=["priorities"]
    ).join_token
    start(client, token)
    response = answer_page(client, token, 3, {"objectives__welcome_quality__mine": "60"})
    assert "«\u00a0Selon moi\u00a0»\u00a0: les points font 60 au lieu de 100." in text(response)


def test_establishment_is_optional_and_checked(app, client, open_meeting):
    _, token, _ = open_meeting
    with app.app_context():
        sud = db.session.scalar(select(Establishment.id).where(Establishment.name == "Sud"))
    start(client, token)
    answer_all(client, token)  # establishment left blank
    other = app.test_client()
    start(other, token)
    answer_page(other, token, 1, {"_establishment": str(sud), "overall_gap": "5"})
    for page in (2, 3):
        answer_page(other, token, page)
    answer_page(other, token, 4, action="submit")
    with app.app_context():
        chosen = sorted(db.session.scalars(select(Response.establishment_id)), key=str)
    assert chosen == [None, sud] or chosen == [sud, None]


def test_response_rows_hold_no_ip_agent_token_or_date(app, client, open_meeting):
    _, token, _ = open_meeting
    start(client, token)
    answer_all(client, token, code="new")
    with app.app_context():
        inspector = inspect(db.engine)
        columns = {c["name"]: str(c["type"]).upper() for c in inspector.get_columns("response")}
        assert set(columns) == {
            "id",
            "meeting_id",
            "establishment_id",
            "role",
            "respondent_key",
            "publication",
        }
        assert columns["publication"] == "INTEGER"  # a publication number, not a time
        for table in ("response", "answer", "submission"):
            names = {c["name"] for c in inspector.get_columns(table)}
            assert not names & {
                "ip",
                "ip_address",
                "user_agent",
                "token",
                "created_at",
                "timestamp",
            }
        stored = db.session.scalar(select(Response))
        assert stored.respondent_key and len(stored.respondent_key) == 64
        assert db.session.scalar(select(Submission)).digest != str(stored.id)


def test_personal_code_is_shown_once_and_opens_the_journal(
    app, client, open_meeting, facilitator, make_group, make_meeting
):
    _, token, _ = open_meeting
    start(client, token)
    thanks = text(answer_all(client, token, code="new"))
    code = re.search(r'id="personal-code">([^<]+)<', thanks)[1]
    assert "il ne sera plus jamais affiché" in thanks

    second = make_meeting(
        make_group(facilitator, name="Deuxième groupe"), title="Séance 2", status="open"
    )
    second_token = second.join_token
    start(client, second_token)
    linked = text(
        answer_all(
            client,
            second_token,
            code="existing",
            last={"code-existing": code.upper().replace("-", " ")},
        )
    )
    assert "Ces réponses sont reliées à votre code personnel." in linked
    assert code not in linked

    journal = text(post(app.test_client(), "/journal", {"code": code}))
    assert "Séance 1" in journal and "Séance 2" in journal
    assert "Plus de temps d'équipe" in journal and "6 (" not in journal
    wrong = text(post(app.test_client(), "/journal", {"code": "lilas-phare-tortue-moulin-00"}))
    assert "Aucune réponse n'est reliée à ce code." in wrong


def test_a_malformed_existing_code_is_explained(client, open_meeting):
    _, token, _ = open_meeting
    start(client, token)
    page = text(answer_all(client, token, code="existing", last={"code-existing": "123"}))
    assert "Un code personnel ressemble à «\u00a0lilas-phare-tortue-moulin-42\u00a0»" in page


def test_the_journal_shows_nothing_without_a_code(app, signed_in, open_meeting):
    page = text(signed_in.get("/journal"))
    assert "Mon journal" in page and "journal-entry" not in page
    for _ in range(10):
        post(signed_in, "/journal", {"code": "lilas-phare-tortue-moulin-00"})
    assert post(signed_in, "/journal", {"code": "x"}).status_code == 429


def test_drafts_lock_the_anonymity_threshold(app, client, open_meeting, signed_in):
    _, token, meeting_id = open_meeting
    start(client, token)
    with app.app_context():
        group = db.session.get(Meeting, meeting_id).group
        assert groups.has_answers(group)


def test_the_facilitator_page_shows_link_qr_and_sheet(signed_in, open_meeting):
    code, token, meeting_id = open_meeting
    page = text(signed_in.get(f"/sessions/{meeting_id}"))
    assert f'value="http://localhost/j/{token}"' in page
    assert "<svg" in page and 'class="segno"' in page
    sheet = text(signed_in.get(f"/sessions/{meeting_id}/sheet"))
    assert code in sheet and "<svg" in sheet and "Scannez avec l'appareil photo" in sheet
