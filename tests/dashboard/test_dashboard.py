"""The dashboard shows values only when the anonymity rules allow it, and the demo's patterns."""

import re

import pytest
from sqlalchemy import select
from support import login, post, text

from survey.extensions import db
from survey.kinds.form import AnswerValue
from survey.models import Meeting
from survey.results import queries
from survey.services import codes, participation


@pytest.fixture
def session_with(app, facilitator, make_group, make_meeting, add_responses, set_status):
    """An open session of a group with k = 4; call it with a number of responses."""

    def make(count, close=True):
        meeting = make_meeting(make_group(facilitator, anonymity_threshold=4), status="open")
        add_responses(meeting.id, count)
        if close:
            set_status(meeting.id, "closed")
        return meeting.id

    return make


def all_pages(client, meeting_id) -> str:
    urls = [f"/sessions/{meeting_id}/results", f"/sessions/{meeting_id}/present"] + [
        f"/sessions/{meeting_id}/results/{s}"
        for s in ("prescribed_actual", "ideal_feasible", "implicit", "open", "texts")
    ]
    return "\n".join(text(client.get(url, follow_redirects=True)) for url in urls)


def test_with_k_minus_one_responses_nothing_is_shown(signed_in, session_with):
    meeting_id = session_with(3)
    page = text(signed_in.get(f"/sessions/{meeting_id}/results"))
    assert "3 réponses reçues" in page
    assert "Il faut au moins 4 réponses avant d'afficher quoi que ce soit" in page
    assert "Afficher les résultats" not in page
    response = post(signed_in, f"/sessions/{meeting_id}/results/publish")
    assert "Il faut 4 nouvelles réponses" in text(signed_in.get(response.headers["Location"]))
    everything = all_pages(signed_in, meeting_id)
    assert "chart-data" not in everything
    assert "Une idée à discuter" not in everything
    assert not re.search(r"\b7[,.]0\b|\b9[,.]0\b", everything)


def published_count(app, meeting_id) -> int:
    with app.app_context():
        return queries.latest_publication(db.session.get(Meeting, meeting_id))


def test_showing_the_results_asks_for_confirmation_first(app, signed_in, session_with):
    meeting_id = session_with(5)
    confirm_url = f"/sessions/{meeting_id}/results/publish"
    overview = signed_in.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    # The button on the results page leads to the confirmation, it changes nothing itself.
    assert f'<a class="button primary" href="{confirm_url}">Afficher les résultats</a>' in overview
    assert f'action="{confirm_url}"' not in overview

    confirm = signed_in.get(confirm_url)
    page = text(confirm)
    assert confirm.status_code == 200 and published_count(app, meeting_id) == 0
    assert "Afficher les résultats au groupe\u00a0?" in page
    assert "Les résultats des 5 réponses reçues vont être calculés puis affichés" in page
    assert "Ils seront alors figés\u00a0: c'est irréversible." in page
    form = re.search(rf'<form method="post" action="{confirm_url}"[^>]*>(.*?)</form>', page, re.S)
    assert 'name="csrf_token"' in form[1]
    assert '<button type="submit" class="button primary">Afficher les résultats</button>' in form[1]
    assert f'<a class="button" href="/sessions/{meeting_id}/results">Annuler</a>' in page

    assert signed_in.post(confirm_url).status_code == 400  # no CSRF token: nothing happens
    assert published_count(app, meeting_id) == 0
    response = post(signed_in, confirm_url)
    assert response.headers["Location"] == f"/sessions/{meeting_id}/results"
    assert published_count(app, meeting_id) == 1


def test_adding_responses_to_shown_results_asks_for_confirmation_too(
    app, signed_in, session_with, add_responses, set_status
):
    meeting_id = session_with(4)
    post(signed_in, f"/sessions/{meeting_id}/results/publish")
    set_status(meeting_id, "open")
    add_responses(meeting_id, 4)
    set_status(meeting_id, "closed")
    overview = signed_in.get(f"/sessions/{meeting_id}/results").get_data(as_text=True)
    confirm_url = f"/sessions/{meeting_id}/results/publish"
    assert f'<a class="button" href="{confirm_url}">Les ajouter aux résultats</a>' in overview
    page = text(signed_in.get(confirm_url))
    assert "Les 4 réponses arrivées depuis vont être ajoutées aux résultats affichés" in page
    assert published_count(app, meeting_id) == 1


def test_the_confirmation_refuses_what_cannot_be_shown(app, signed_in, session_with):
    too_few = session_with(3)
    response = signed_in.get(f"/sessions/{too_few}/results/publish")
    assert response.headers["Location"] == f"/sessions/{too_few}/results"
    assert "Il faut 4 nouvelles réponses" in text(signed_in.get(response.headers["Location"]))
    still_open = session_with(4, close=False)
    response = signed_in.get(f"/sessions/{still_open}/results/publish")
    assert "Clôturez le recueil avant de montrer les résultats." in text(
        signed_in.get(response.headers["Location"])
    )
    assert published_count(app, too_few) == published_count(app, still_open) == 0


def test_with_k_responses_values_appear_once_shown(signed_in, session_with):
    meeting_id = session_with(4)
    post(signed_in, f"/sessions/{meeting_id}/results/publish")
    overview = text(signed_in.get(f"/sessions/{meeting_id}/results"))
    assert "4 réponses" in overview and "Ordre du jour suggéré" in overview
    assert "Accueillir et orienter les personnes au guichet" in overview  # a shared gap
    section = signed_in.get(f"/sessions/{meeting_id}/results/prescribed_actual")
    page = section.get_data(as_text=True)
    assert page.count('class="chart-data"') == 2  # the activities and the overall gap
    assert "Moins de 4 réponses" in text(section)  # the valence item nobody answered
    assert "7,0" in text(section)  # the table beside the chart, in French format
    # Free texts need k + 2 = 6 responses.
    texts_page = text(signed_in.get(f"/sessions/{meeting_id}/results/texts"))
    assert "Aucun texte libre ne peut être affiché." in texts_page
    assert "Une idée à discuter" not in texts_page


def test_free_texts_appear_from_k_plus_two_in_order_of_content(
    app, signed_in, facilitator, make_group, make_meeting, add_responses, set_status
):
    meeting = make_meeting(make_group(facilitator, anonymity_threshold=4), status="open")
    for letter in "FEDCBA":  # submitted in the reverse of alphabetical order
        add_responses(meeting.id, 1, proposal=f"{letter} idée")
    set_status(meeting.id, "closed")
    post(signed_in, f"/sessions/{meeting.id}/results/publish")
    page = text(signed_in.get(f"/sessions/{meeting.id}/results/texts"))
    assert re.findall(r"([A-F]) idée 0", page) == list("ABCDEF")
    assert "Autre (précisez)" in page and page.count("Autre obstacle") == 6


def test_an_open_session_shows_a_count_only(app, signed_in, session_with):
    meeting_id = session_with(5, close=False)
    page = text(signed_in.get(f"/sessions/{meeting_id}/results"))
    assert "5 réponses reçues" in page and "Le recueil est en cours" in page
    assert signed_in.get(f"/sessions/{meeting_id}/results/open").status_code == 302
    assert signed_in.get(f"/sessions/{meeting_id}/room/count").get_json() == {
        "responses": 5,
        "text": "5 réponses",  # the same count, in words
        "open": True,
    }
    room = text(signed_in.get(f"/sessions/{meeting_id}/room"))
    assert "5 réponses" in room and "chart-data" not in room


def test_results_are_frozen_and_grow_only_by_k(
    app, signed_in, session_with, add_responses, set_status
):
    meeting_id = session_with(4)
    post(signed_in, f"/sessions/{meeting_id}/results/publish")
    set_status(meeting_id, "open")
    add_responses(meeting_id, 2, overall_gap=1.0)
    set_status(meeting_id, "closed")
    page = text(signed_in.get(f"/sessions/{meeting_id}/results"))
    assert "4 réponses" in page and "2 réponses sont arrivées depuis" in page
    assert "Les ajouter aux résultats" not in page
    assert "1,0" not in text(signed_in.get(f"/sessions/{meeting_id}/results/prescribed_actual"))
    set_status(meeting_id, "open")
    add_responses(meeting_id, 2, overall_gap=1.0)
    set_status(meeting_id, "closed")
    post(signed_in, f"/sessions/{meeting_id}/results/publish")
    assert "8 réponses" in text(signed_in.get(f"/sessions/{meeting_id}/results"))


def test_another_facilitator_sees_no_results(app, client, session_with, make_facilitator):
    meeting_id = session_with(4)
    login(client, make_facilitator())
    for url in ("results", "present", "room", "room/count", "results/texts"):
        assert client.get(f"/sessions/{meeting_id}/{url}").status_code == 404


def test_the_demo_shows_its_designed_patterns(app, signed_in, demo_groups):
    (group,) = demo_groups()
    with app.app_context():
        meeting_id = db.session.scalar(
            select(Meeting.id).where(Meeting.group_id == group.id, Meeting.title.like("Séance 3%"))
        )
    agenda = text(signed_in.get(f"/sessions/{meeting_id}/results"))
    agenda = agenda[agenda.index("Ordre du jour suggéré") :]
    assert "Expliquer un refus" in agenda and "plus exigeante que leur maîtrise" in agenda
    assert "Apaiser une personne mécontente" in agenda and "Controverse professionnelle" in agenda
    assert "Aider à effectuer une démarche en ligne" in agenda and "Écart partagé" in agenda
    assert "Limiter l'attente des personnes" in agenda
    assert "Le nombre de personnes reçues" in agenda and "attentes perçues" in agenda


@pytest.mark.parametrize(("north", "south", "pooled"), [(5, 3, True), (4, 4, False)])
def test_a_breakdown_that_would_isolate_people_is_pooled(
    app,
    signed_in,
    facilitator,
    make_group,
    make_meeting,
    north,
    south,
    pooled,
    add_responses,
    set_status,
):
    group = make_group(facilitator, establishments=["Nord", "Sud"], anonymity_threshold=4)
    meeting = make_meeting(group, status="open")
    with app.app_context():
        ids = {e.name: e.id for e in db.session.get(Meeting, meeting.id).group.establishments}
    add_responses(meeting.id, north, overall_gap=3.0, where=ids["Nord"])
    add_responses(meeting.id, south, overall_gap=3.0, where=ids["Sud"])
    set_status(meeting.id, "closed")
    post(signed_in, f"/sessions/{meeting.id}/results/publish")
    page = signed_in.get(f"/sessions/{meeting.id}/results").get_data(as_text=True)
    if pooled:
        assert 'id="breakdown-pooled"' in page and 'id="breakdown"' not in page
        assert "Sud" not in page.split("breakdown-title", 1)[1].split("</section>", 1)[0]
    else:
        table = page.split('id="breakdown"', 1)[1].split("</table>", 1)[0]
        assert "Nord" in table and "Sud" in table and "7,0" in table


def test_the_journal_shows_the_published_group_results_beside_ones_own(
    app, client, signed_in, session_with, set_status
):
    meeting_id = session_with(4, close=False)
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        draft, _ = participation.start_draft(meeting)
        answers = [AnswerValue("overall_gap", "", 1.0)]
        personal = codes.derive("lilas-phare-tortue-moulin-42", app.config["SECRET_KEY"])
        participation.submit(meeting, draft.id, answers, None, personal)
        db.session.commit()
    set_status(meeting_id, "closed")
    before = text(post(client, "/journal", {"code": "lilas-phare-tortue-moulin-42"}))
    assert "ne sont pas encore publiés" in before and "— groupe" not in before
    post(signed_in, f"/sessions/{meeting_id}/results/publish")
    after = text(post(client, "/journal", {"code": "lilas-phare-tortue-moulin-42"}))
    assert "1 — groupe\u00a0: 5,8" in after  # (4 x 7 + 1) / 5
