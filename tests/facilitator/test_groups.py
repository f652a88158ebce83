"""Groups: creation, validation, editing, the k lock, establishments and co-facilitators."""

import uuid

import pytest
from sqlalchemy import select
from support import login, post, text

from survey.extensions import db
from survey.models import (
    Answer,
    CofacilitatorInvitation,
    Establishment,
    Group,
    Meeting,
    Response,
)

GROUP_FORM = {
    "name": "Accueil Nord",
    "domain": "public_reception",
    # Blank lines and a repeat differing only in case are dropped.
    "establishments": "MDS Nord\nMDS Sud\n\nmds nord",
    "member_cap": "10",
    "anonymity_threshold": "4",
}


def group_named(app, name):
    with app.app_context():
        return db.session.scalar(select(Group).where(Group.name == name))


def add_answer(app, group_id, establishment_id=None):
    """Record one draft answer in a session of the group, as a participant would."""
    with app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.group_id == group_id))
        if meeting is None:
            import datetime as dt

            meeting = Meeting(group_id=group_id, title="S", date=dt.date(2026, 12, 1))
            db.session.add(meeting)
            db.session.flush()
        response = Response(
            id=uuid.uuid4(), meeting_id=meeting.id, establishment_id=establishment_id
        )
        response.answers.append(Answer(item_id="a1", facet="actual", value=7))
        db.session.add(response)
        db.session.commit()


def test_create_a_group(app, signed_in):
    response = post(signed_in, "/groups/new", GROUP_FORM)
    assert response.status_code == 302
    group = group_named(app, "Accueil Nord")
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert (group.member_cap, group.anonymity_threshold, group.domain.value) == (
        10,
        4,
        "public_reception",
    )
    page = signed_in.get(f"/groups/{group.id}").text
    assert "MDS Nord" in page and "MDS Sud" in page
    assert page.count("MDS Nord") == 1  # the repeat was dropped
    assert "Accueil des publics" in page


def test_form_defaults_are_twelve_members_and_k_four(signed_in):
    page = signed_in.get("/groups/new").text
    assert 'name="member_cap" required type="number" value="12"' in page
    assert 'name="anonymity_threshold" required type="number" value="4"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"anonymity_threshold": "2"}, "Le seuil doit être compris entre 3 et 12."),
        ({"member_cap": "13"}, "Un groupe compte entre 3 et 12 membres."),
        ({"member_cap": "5", "anonymity_threshold": "6"}, "Le seuil ne peut pas dépasser"),
        ({"establishments": " \n "}, "Indiquez au moins un établissement."),
        ({"name": "   "}, "Donnez un nom au groupe."),
        ({"domain": "finance"}, "N'est pas un choix valide."),
        ({"member_cap": "douze"}, "N'est pas un entier valide."),
        ({"establishments": "x" * 121}, "compte au plus 120 caractères"),
    ],
)
def test_invalid_groups_are_refused_with_a_clear_message(app, signed_in, changes, message):
    response = post(signed_in, "/groups/new", {**GROUP_FORM, **changes})
    assert response.status_code == 200
    assert message in text(response)
    assert group_named(app, GROUP_FORM["name"].strip()) is None


def test_edit_a_group_and_its_establishments(app, signed_in, facilitator, make_group):
    group_id = make_group(facilitator, establishments=["Nord", "Sud"]).id
    page = signed_in.get(f"/groups/{group_id}/edit").text
    assert "Nord\nSud" in page
    response = post(
        signed_in,
        f"/groups/{group_id}/edit",
        {**GROUP_FORM, "name": "Accueil Nord et Est", "establishments": "Nord\nEst"},
    )
    assert response.status_code == 302
    group = group_named(app, "Accueil Nord et Est")
    with app.app_context():
        names = db.session.scalars(
            select(Establishment.name).where(Establishment.group_id == group.id)
        ).all()
    assert sorted(names) == ["Est", "Nord"]


def test_k_is_locked_once_any_answer_exists(app, signed_in, facilitator, make_group):
    group = make_group(facilitator, anonymity_threshold=5)
    add_answer(app, group.id)
    page = text(signed_in.get(f"/groups/{group.id}/edit"))
    assert "le seuil d'anonymat ne peut plus être modifié" in page
    response = post(
        signed_in,
        f"/groups/{group.id}/edit",
        {**GROUP_FORM, "establishments": "Maison des services", "anonymity_threshold": "3"},
    )
    assert response.status_code == 200
    assert "Le seuil d'anonymat ne peut plus être modifié" in text(response)
    with app.app_context():
        assert db.session.get(Group, group.id).anonymity_threshold == 5
    # Other settings may still change when k stays as it was.
    response = post(
        signed_in,
        f"/groups/{group.id}/edit",
        {**GROUP_FORM, "establishments": "Maison des services", "anonymity_threshold": "5"},
    )
    assert response.status_code == 302
    assert group_named(app, "Accueil Nord").member_cap == 10


def test_an_establishment_that_responses_refer_to_cannot_be_removed(
    app, signed_in, facilitator, make_group
):
    group = make_group(facilitator, establishments=["Nord", "Sud"])
    with app.app_context():
        sud = db.session.scalar(select(Establishment.id).where(Establishment.name == "Sud"))
    add_answer(app, group.id, establishment_id=sud)
    response = post(signed_in, f"/groups/{group.id}/edit", {**GROUP_FORM, "establishments": "Nord"})
    assert "«\u00a0Sud\u00a0» ne peut pas être retiré" in text(response)
    with app.app_context():
        assert db.session.get(Establishment, sud) is not None


def add_cofacilitator(app, owner_client, group_id, colleague) -> None:
    """Invite, then accept as the colleague (see facilitator/test_cofacilitator_invitations.py)."""
    post(owner_client, f"/groups/{group_id}/facilitators", {"email": colleague.email})
    with app.app_context():
        invitation = db.session.scalar(
            select(CofacilitatorInvitation.id).where(
                CofacilitatorInvitation.email == colleague.email
            )
        )
    client = app.test_client()
    login(client, colleague)
    assert post(client, f"/invitations/{invitation}/accept").status_code == 302


def test_add_and_remove_a_cofacilitator(
    app, client, signed_in, facilitator, make_facilitator, make_group
):
    colleague = make_facilitator(email="dominique@example.org")
    group = make_group(facilitator)

    invalid = post(signed_in, f"/groups/{group.id}/facilitators", {"email": "not-an-email"})
    assert "Cette adresse électronique n'est pas valide." in text(
        signed_in.get(invalid.headers["Location"])
    )

    add_cofacilitator(app, signed_in, group.id, colleague)
    page = text(signed_in.get(f"/groups/{group.id}"))
    assert "dominique@example.org" in page
    again = post(signed_in, f"/groups/{group.id}/facilitators", {"email": "dominique@example.org"})
    assert "anime déjà ce groupe" in text(signed_in.get(again.headers["Location"]))

    other = app.test_client()
    login(other, colleague)
    assert other.get(f"/groups/{group.id}").status_code == 200
    assert "en coanimation" in other.get("/groups").text

    # A co-facilitator cannot remove the creator, but the creator can remove them.
    post(other, f"/groups/{group.id}/facilitators/{facilitator.id}/remove")
    with app.app_context():
        assert len(db.session.get(Group, group.id).facilitators) == 2
    post(signed_in, f"/groups/{group.id}/facilitators/{colleague.id}/remove")
    assert other.get(f"/groups/{group.id}").status_code == 404


def test_a_cofacilitator_can_leave_but_not_remove_another(
    app, signed_in, facilitator, make_facilitator, make_group
):
    first, second = make_facilitator(), make_facilitator()
    group = make_group(facilitator)
    for colleague in (first, second):
        add_cofacilitator(app, signed_in, group.id, colleague)
    client = app.test_client()
    login(client, first)
    refused = post(client, f"/groups/{group.id}/facilitators/{second.id}/remove")
    page = text(client.get(refused.headers["Location"]))
    assert "Seule la personne responsable du groupe" in page
    left = post(client, f"/groups/{group.id}/facilitators/{first.id}/remove")
    assert left.headers["Location"] == "/groups"
    assert client.get(f"/groups/{group.id}").status_code == 404
