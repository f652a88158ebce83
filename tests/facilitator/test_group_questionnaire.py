"""A group's variant and lists, the session's questionnaire and modules, preview and snapshot."""

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import undefer
from support import login, post, text

from survey.extensions import db
from survey.models import Group, Meeting, MeetingStatus, QuestionnaireVersion

RECEPTION_FIRST_ACTIVITY = "Accueillir et orienter les personnes au guichet"


def settings_form(client, group_id) -> dict:
    """The settings form's current values, as a browser would send them back."""
    page = text(client.get(f"/groups/{group_id}/questionnaire"))
    data = {
        name: value.strip()
        for name, value in re.findall(
            r'<textarea[^>]*name="(list_\w+)"[^>]*>(.*?)</textarea>', page, re.S
        )
    }
    variant = re.search(r'<option selected value="(\w*)"', page)
    data["variant"] = variant.group(1) if variant else ""
    return data


def group(app, group_id) -> Group:
    with app.app_context():
        return db.session.get(Group, group_id)


def meeting_of(app, meeting_id) -> Meeting:
    """The session as stored, snapshot included (a deferred column), for use outside the app."""
    with app.app_context():
        return db.session.get(Meeting, meeting_id, options=[undefer(Meeting.snapshot)])


def test_a_new_group_starts_from_its_trade_lists(signed_in, facilitator, make_group):
    reception = make_group(facilitator, domain="public_reception").id
    other = make_group(facilitator, name="Autre", domain="other").id
    assert RECEPTION_FIRST_ACTIVITY in text(signed_in.get(f"/groups/{reception}/questionnaire"))
    page = text(signed_in.get(f"/groups/{other}/questionnaire"))
    assert "Accueillir et informer les personnes" in page
    assert RECEPTION_FIRST_ACTIVITY not in page


def test_editing_a_list_keeps_the_ids_of_unchanged_entries(app, signed_in, facilitator, make_group):
    group_id = make_group(facilitator, domain="public_reception").id
    data = settings_form(signed_in, group_id)
    lines = data["list_activities"].splitlines()
    lines[1] = "Tenir la permanence téléphonique | Staffing the phone line"
    data["list_activities"] = "\n".join(lines)
    response = post(signed_in, f"/groups/{group_id}/questionnaire", data)
    assert response.status_code == 302
    own = group(app, group_id).own_lists
    assert set(own) == {"activities"}
    ids = [entry["id"] for entry in own["activities"]]
    assert ids[0] == "welcome_direct" and ids[2] == "calm_visitor"
    assert ids[1] == "tenir_la_permanence_telephonique"
    assert own["activities"][1]["label"] == {
        "fr": "Tenir la permanence téléphonique",
        "en": "Staffing the phone line",
    }


def test_a_list_out_of_bounds_is_refused(app, signed_in, facilitator, make_group):
    group_id = make_group(facilitator).id
    data = settings_form(signed_in, group_id)
    data["list_activities"] = "Une seule activité\n | sans français\nA | B | C"
    page = text(post(signed_in, f"/groups/{group_id}/questionnaire", data))
    assert "Ligne 2\u00a0: le libellé en français manque." in page
    assert (
        "Ligne 3\u00a0: mettez un seul «\u00a0|\u00a0» entre le libellé français "
        "et le libellé anglais." in page
    )
    assert "Il faut entre 5 et 8 entrées\u00a0; il y en a 1." in page
    assert group(app, group_id).own_lists is None


def test_choosing_another_variant_replaces_the_lists(app, signed_in, facilitator, make_group):
    group_id = make_group(facilitator, domain="public_reception").id
    data = settings_form(signed_in, group_id)
    data["list_tasks"] += "\nClasser les archives"
    post(signed_in, f"/groups/{group_id}/questionnaire", data)
    assert "tasks" in group(app, group_id).own_lists
    data = settings_form(signed_in, group_id)
    data["variant"] = "management"
    post(signed_in, f"/groups/{group_id}/questionnaire", data)
    saved = group(app, group_id)
    assert (saved.variant, saved.own_lists) == ("management", None)
    page = text(signed_in.get(f"/groups/{group_id}/questionnaire"))
    assert "Organiser le travail et les plannings de l'équipe" in page
    assert "Classer les archives" not in page


def test_preview_shows_the_core_and_the_chosen_modules(
    signed_in, facilitator, make_group, make_meeting
):
    group_id = make_group(facilitator).id
    core_only = make_meeting(group_id).id
    page = text(signed_in.get(f"/sessions/{core_only}/preview"))
    assert "Partie 1 sur 4" in page and "Environ 8 minutes" in page
    assert RECEPTION_FIRST_ACTIVITY in page  # the group's trade lists are written in
    response = post(
        signed_in,
        f"/groups/{group_id}/sessions/new",
        {
            "title": "Avec modules",
            "date": "2027-01-07",
            "questionnaire": "standard",
            "modules": ["priorities", "task_map"],
        },
    )
    with_modules = response.headers["Location"].rsplit("/", 1)[1]
    page = text(signed_in.get(f"/sessions/{with_modules}/preview?page=4"))
    assert "Partie 4 sur 6" in page and "D. Mes priorités" in page
    assert "Environ 15 minutes" in page
    assert 'name="objectives__people_seen__expected"' in page


def test_preview_pages_and_language(signed_in, facilitator, make_group, make_meeting):
    meeting = make_meeting(make_group(facilitator))
    last = text(signed_in.get(f"/sessions/{meeting.id}/preview?page=99"))
    assert "Partie 4 sur 4" in last and "G. Situations et propositions" in last
    post(signed_in, "/language", {"language": "en"})
    page = text(signed_in.get(f"/sessions/{meeting.id}/preview"))
    assert "A. Prescribed work, actual work" in page
    assert "Welcoming and directing people at the desk" in page


def test_familiar_address_uses_tu(app, signed_in, facilitator, make_group, make_meeting):
    group_id = make_group(facilitator).id
    meeting = make_meeting(group_id)
    assert "indiquez d'abord" in text(signed_in.get(f"/sessions/{meeting.id}/preview"))
    data = settings_form(signed_in, group_id)
    data["familiar"] = "y"
    post(signed_in, f"/groups/{group_id}/questionnaire", data)
    assert group(app, group_id).familiar is True
    assert "indique d'abord" in text(signed_in.get(f"/sessions/{meeting.id}/preview"))


def test_modules_must_belong_to_the_questionnaire(app, signed_in, facilitator, make_group):
    group = make_group(facilitator)
    page = text(
        post(
            signed_in,
            f"/groups/{group.id}/sessions/new",
            {
                "title": "S",
                "date": "2027-01-07",
                "questionnaire": "standard",
                "modules": "astrology",
            },
        )
    )
    assert "Ces modules n'appartiennent pas au questionnaire choisi." in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Meeting.id))) == 0


def main_content(page: str) -> str:
    """The questionnaire as shown, without the preview banner that says whether it is frozen."""
    return page[page.index('<div class="questionnaire">') : page.index('<nav class="pager"')]


def test_opening_freezes_exactly_what_was_previewed(
    app, signed_in, facilitator, make_group, make_meeting
):
    group_id = make_group(facilitator).id
    meeting = make_meeting(group_id)
    before = [
        main_content(text(signed_in.get(f"/sessions/{meeting.id}/preview?page={n}")))
        for n in range(1, 6)
    ]

    post(signed_in, f"/sessions/{meeting.id}/open")
    opened = meeting_of(app, meeting.id)
    assert opened.status == MeetingStatus.OPEN
    assert opened.snapshot["sections"][0]["items"][0]["rows"][0]["id"] == "welcome_direct"
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, opened.questionnaire_version_id)
        assert (version.slug, version.version, len(version.content_hash)) == ("standard", "1.1", 64)

    # The lists are now fixed for the group, and the session keeps its copy regardless.
    data = settings_form(signed_in, group_id)
    data["list_activities"] = data["list_activities"].replace(
        RECEPTION_FIRST_ACTIVITY, "Autre chose"
    )
    page = text(post(signed_in, f"/groups/{group_id}/questionnaire", data))
    assert "Les listes ne peuvent plus changer" in page
    after = [
        main_content(text(signed_in.get(f"/sessions/{meeting.id}/preview?page={n}")))
        for n in range(1, 6)
    ]
    assert after == before
    assert "Figées à l'ouverture du recueil (version 1.1)" in text(
        signed_in.get(f"/sessions/{meeting.id}")
    )


def test_sessions_share_one_stored_version(app, signed_in, facilitator, make_group, make_meeting):
    group = make_group(facilitator)
    for title in ("S1", "S2"):
        post(signed_in, f"/sessions/{make_meeting(group, title=title).id}/open")
    with app.app_context():
        assert db.session.scalar(select(func.count(QuestionnaireVersion.id))) == 1


def test_a_file_changed_without_a_new_version_is_refused(
    app, signed_in, facilitator, make_group, make_meeting
):
    meeting = make_meeting(make_group(facilitator))
    with app.app_context():
        db.session.add(
            QuestionnaireVersion(
                slug="standard", version="1.1", content_hash="0" * 64, definition={}
            )
        )
        db.session.commit()
    response = post(signed_in, f"/sessions/{meeting.id}/open")
    page = text(signed_in.get(response.headers["Location"]))
    assert (
        "La version 1.1 du questionnaire «\u00a0standard\u00a0» a déjà servi avec un autre contenu."
        in page
    )
    refused = meeting_of(app, meeting.id)
    assert refused.status == MeetingStatus.DRAFT and refused.snapshot is None


def test_another_facilitator_cannot_preview(
    app, make_facilitator, make_group, make_meeting, client
):
    owner = make_facilitator()
    meeting = make_meeting(make_group(owner))
    login(client, make_facilitator())
    assert client.get(f"/sessions/{meeting.id}/preview").status_code == 404
    group_id = meeting_of(app, meeting.id).group_id
    assert client.get(f"/groups/{group_id}/questionnaire").status_code == 404


@pytest.mark.parametrize("domain", ["management", "public_reception", "other"])
def test_every_variant_previews_completely(
    signed_in, facilitator, make_group, make_meeting, domain
):
    meeting = make_meeting(make_group(facilitator, domain=domain))
    for page in range(1, 5):
        assert signed_in.get(f"/sessions/{meeting.id}/preview?page={page}").status_code == 200


def test_the_preview_of_a_tu_group_says_tu_in_every_note(
    app, signed_in, facilitator, make_group, make_meeting
):
    """The preview shows what the group's members will read, the « tu » of the notes included
    (an optional question's note said « vous » there)."""
    group_id = make_group(facilitator).id
    data = settings_form(signed_in, group_id)
    data["familiar"] = "y"
    post(signed_in, f"/groups/{group_id}/questionnaire", data)
    meeting = make_meeting(group_id, modules=("implicit",))
    pages = [text(signed_in.get(f"/sessions/{meeting.id}/preview?page={n}")) for n in range(1, 6)]
    optional = [page for page in pages if "Facultatif" in page]
    assert optional, "a page with an optional question"
    for page in optional:
        assert "tu peux passer cette question" in page
        assert "vous pouvez passer" not in page
