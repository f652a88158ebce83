"""Co-facilitation by invitation: inviting tells nothing about who has an account, and the
person invited gains access only once they accept, from their own groups page."""

import datetime as dt
import re

import pytest
from sqlalchemy import func, select
from support import login, post, text

from survey.extensions import db
from survey.models import CofacilitatorInvitation, Group


def flashed(client, response) -> str:
    """The message shown on the page a POST redirected to."""
    page = text(client.get(response.headers["Location"]))
    return re.search(r'<p class="flash [^"]*"[^>]*>(.*?)</p>', page, re.S)[1]


def invite(client, group_id, email):
    return post(client, f"/groups/{group_id}/facilitators", {"email": email})


LINK = re.compile(r"http://localhost(/invitations/link/[A-Za-z0-9_-]+)")


def link_of(response) -> str:
    """The path of the invitation link a page shows once."""
    return LINK.search(response.get_data(as_text=True))[1]


CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def sent(response) -> str:
    """The page that shows the link, without the link's token nor the CSRF tokens (signed with
    the time: two pages a second apart differ there)."""
    return CSRF.sub("CSRF", LINK.sub("LINK", text(response)))


def invitation_id(app, email) -> int:
    with app.app_context():
        return db.session.scalar(
            select(CofacilitatorInvitation.id).where(CofacilitatorInvitation.email == email)
        )


def facilitators_of(app, group_id) -> list[str]:
    with app.app_context():
        return [f.email for f in db.session.get(Group, group_id).facilitators]


@pytest.fixture
def group_id(facilitator, make_group):
    return make_group(facilitator, name="Accueil Nord").id


def test_inviting_says_the_same_whether_or_not_the_address_has_an_account(
    app, signed_in, group_id, make_facilitator
):
    make_facilitator(email="dominique@example.org")
    known = sent(invite(signed_in, group_id, "Dominique@example.org"))
    unknown = sent(invite(signed_in, group_id, "nobody@example.org"))
    assert known.replace("dominique@", "X@") == unknown.replace("nobody@", "X@")
    assert "Envoyez ce lien à dominique@example.org" in known
    page = text(signed_in.get(f"/groups/{group_id}"))
    assert "Invitations en attente de réponse" in page
    assert "dominique@example.org" in page and "nobody@example.org" in page
    # Nobody gains access by being invited.
    assert facilitators_of(app, group_id) == ["camille@example.org"]
    # Inviting again gives a new link, and says the same.
    again = sent(invite(signed_in, group_id, "nobody@example.org"))
    assert again == unknown
    with app.app_context():
        assert db.session.scalar(select(func.count(CofacilitatorInvitation.id))) == 2


def test_the_person_invited_accepts_from_their_groups_page(
    app, signed_in, group_id, make_facilitator
):
    colleague = make_facilitator(email="dominique@example.org")
    invite(signed_in, group_id, "dominique@example.org")
    other = app.test_client()
    login(other, colleague)
    assert other.get(f"/groups/{group_id}").status_code == 404  # not before accepting

    page = text(other.get("/groups"))
    assert "Invitations à coanimer" in page
    assert "Camille vous invite à coanimer «\u00a0Accueil Nord\u00a0»." in page
    number = invitation_id(app, "dominique@example.org")
    assert other.post(f"/invitations/{number}/accept").status_code == 400  # no CSRF token
    assert facilitators_of(app, group_id) == ["camille@example.org"]

    accepted = post(other, f"/invitations/{number}/accept")
    assert "Vous coanimez désormais «\u00a0Accueil Nord\u00a0»." in flashed(other, accepted)
    assert other.get(f"/groups/{group_id}").status_code == 200
    assert "en coanimation" in text(other.get("/groups"))
    assert "Invitations à coanimer" not in text(other.get("/groups"))
    assert "Invitations en attente" not in text(signed_in.get(f"/groups/{group_id}"))
    assert set(facilitators_of(app, group_id)) == {"camille@example.org", "dominique@example.org"}


def test_declining_leaves_the_group_closed(app, signed_in, group_id, make_facilitator):
    colleague = make_facilitator(email="dominique@example.org")
    invite(signed_in, group_id, "dominique@example.org")
    other = app.test_client()
    login(other, colleague)
    declined = post(other, f"/invitations/{invitation_id(app, 'dominique@example.org')}/decline")
    assert "Invitation refusée." in flashed(other, declined)
    assert other.get(f"/groups/{group_id}").status_code == 404
    assert "Accueil Nord" not in text(other.get("/groups"))
    assert "Invitations en attente" not in text(signed_in.get(f"/groups/{group_id}"))


def test_only_the_person_invited_can_answer(app, signed_in, group_id, make_facilitator):
    make_facilitator(email="dominique@example.org")
    intruder = make_facilitator(email="intrus@example.org")
    invite(signed_in, group_id, "dominique@example.org")
    number = invitation_id(app, "dominique@example.org")
    other = app.test_client()
    login(other, intruder)
    assert "Accueil Nord" not in text(other.get("/groups"))
    for action in ("accept", "decline"):
        assert post(other, f"/invitations/{number}/{action}").status_code == 404
    assert post(signed_in, f"/invitations/{number}/accept").status_code == 404  # the inviter
    assert facilitators_of(app, group_id) == ["camille@example.org"]
    assert invitation_id(app, "dominique@example.org") == number


def test_an_account_created_after_the_invitation_finds_it(
    app, signed_in, group_id, make_facilitator
):
    invite(signed_in, group_id, "Nouvelle.Personne@example.org")
    newcomer = make_facilitator(email="nouvelle.personne@example.org")
    other = app.test_client()
    login(other, newcomer)
    assert "Accueil Nord" in text(other.get("/groups"))
    post(other, f"/invitations/{invitation_id(app, 'nouvelle.personne@example.org')}/accept")
    assert other.get(f"/groups/{group_id}").status_code == 200


def test_the_owner_alone_invites_and_may_withdraw(app, signed_in, group_id, make_facilitator):
    colleague = make_facilitator(email="dominique@example.org")
    invite(signed_in, group_id, "dominique@example.org")
    other = app.test_client()
    login(other, colleague)
    post(other, f"/invitations/{invitation_id(app, 'dominique@example.org')}/accept")

    refused = invite(other, group_id, "quelquun@example.org")
    assert "Seule la personne responsable du groupe peut inviter" in flashed(other, refused)
    assert invitation_id(app, "quelquun@example.org") is None
    already = invite(signed_in, group_id, "dominique@example.org")
    assert "dominique@example.org anime déjà ce groupe." in flashed(signed_in, already)

    invite(signed_in, group_id, "quelquun@example.org")
    number = invitation_id(app, "quelquun@example.org")
    assert post(other, f"/groups/{group_id}/invitations/{number}/withdraw").status_code == 302
    assert invitation_id(app, "quelquun@example.org") == number  # a co-facilitator cannot
    withdrawn = post(signed_in, f"/groups/{group_id}/invitations/{number}/withdraw")
    assert "Invitation retirée." in flashed(signed_in, withdrawn)
    assert invitation_id(app, "quelquun@example.org") is None


def test_the_link_creates_the_account_of_the_address_invited_and_is_spent(app, signed_in, group_id):
    path = link_of(invite(signed_in, group_id, "Nouvelle@example.org"))
    newcomer = app.test_client()
    page = text(newcomer.get(path))
    assert "Camille vous invite à coanimer le groupe « Accueil Nord »" in page
    weak = post(newcomer, path, {"password": "motdepasse1", "confirm": "motdepasse1"})
    assert weak.status_code == 200 and "les plus courants" in text(weak)
    password = "une phrase assez longue 7"
    done = post(newcomer, path, {"display_name": "Nour", "password": password, "confirm": password})
    assert done.status_code == 302
    assert newcomer.get(f"/groups/{group_id}").status_code == 200  # signed in, co-facilitating
    assert set(facilitators_of(app, group_id)) == {"camille@example.org", "nouvelle@example.org"}
    assert app.test_client().get(path).status_code == 404  # spent
    fresh = app.test_client()
    assert (
        post(fresh, "/login", {"email": "nouvelle@example.org", "password": password}).status_code
        == 302
    )


def test_an_existing_account_signs_in_to_accept_by_the_link(
    app, signed_in, group_id, make_facilitator
):
    make_facilitator(email="dominique@example.org")
    path = link_of(invite(signed_in, group_id, "dominique@example.org"))
    anonymous = app.test_client()
    password = "une phrase assez longue 7"
    refused = post(anonymous, path, {"password": password, "confirm": password})
    assert "Un compte utilise déjà cette adresse" in text(refused)

    someone = make_facilitator(email="autre@example.org")
    other = app.test_client()
    login(other, someone)
    page = text(other.get(path))
    assert "Vous êtes connecté avec autre@example.org" in page
    post(other, path)
    assert other.get(f"/groups/{group_id}").status_code == 200


def test_a_link_stops_working_when_withdrawn_replaced_or_old(app, signed_in, group_id):
    first = link_of(invite(signed_in, group_id, "nour@example.org"))
    second = link_of(invite(signed_in, group_id, "nour@example.org"))
    visitor = app.test_client()
    assert visitor.get(first).status_code == 404  # replaced by the new one
    assert visitor.get(second).status_code == 200
    with app.app_context():
        invitation = db.session.scalar(select(CofacilitatorInvitation))
        invitation.created_on = dt.date.today() - dt.timedelta(days=31)
        db.session.commit()
    assert "n'est plus valable" in text(visitor.get(second))
    number = invitation_id(app, "nour@example.org")
    post(signed_in, f"/groups/{group_id}/invitations/{number}/withdraw")
    assert visitor.get(second).status_code == 404
