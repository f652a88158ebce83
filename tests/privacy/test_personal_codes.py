"""Personal codes (DESIGN.md §6, rule 7): per-session keys from a slow KDF, so that a database
reader can neither link one person's sessions nor test a guess cheaply; legacy keys re-keyed."""

import datetime as dt
import hashlib
import hmac
import re

import pytest
from sqlalchemy import select, update
from support import answer_all, post, start, text

from survey.extensions import db
from survey.models import Meeting, Response
from survey.services import codes

LEGACY_CODE = "lilas-phare-tortue-42"
NOT_FOUND = "Aucune réponse n'est reliée à ce code."


def legacy_key(code: str, secret: str) -> str:
    """The key every session used to hold: HMAC-SHA256 of the normalized code with the secret."""
    return hmac.new(secret.encode(), code.encode(), hashlib.sha256).hexdigest()


@pytest.fixture
def two_sessions(app, facilitator, make_group, make_meeting):
    """Two open sessions of one group: [(join token, id), (join token, id)]."""
    group = make_group(facilitator)
    sessions = [
        make_meeting(group, title=f"Séance {n}", date=dt.date(2026, 12, n), status="open")
        for n in (1, 2)
    ]
    return [(meeting.join_token, meeting.id) for meeting in sessions]


def keys_by_session(app) -> dict[int, str | None]:
    with app.app_context():
        return dict(db.session.execute(select(Response.meeting_id, Response.respondent_key)).all())


def answer_with_new_code(app, token) -> str:
    client = app.test_client()
    start(client, token)
    thanks = text(answer_all(client, token, code="new"))
    return re.search(r'id="personal-code">([^<]+)<', thanks)[1]


def answer_with_existing_code(app, token, code: str) -> str:
    client = app.test_client()
    start(client, token)
    return text(answer_all(client, token, code="existing", last={"code-existing": code}))


def test_one_code_gives_unrelated_keys_in_two_sessions(app, two_sessions):
    (first, first_id), (second, second_id) = two_sessions
    code = answer_with_new_code(app, first)
    linked = answer_with_existing_code(app, second, code.upper().replace("-", " "))
    assert "Ces réponses sont reliées à votre code personnel." in linked

    keys = keys_by_session(app)
    assert keys[first_id] and keys[second_id]
    assert keys[first_id] != keys[second_id]  # the database alone links nothing
    assert legacy_key(code, app.config["SECRET_KEY"]) not in keys.values()

    journal = text(post(app.test_client(), "/journal", {"code": code}))
    assert "Séance 1" in journal and "Séance 2" in journal
    assert journal.count('class="panel journal-entry"') == 2


def test_a_legacy_key_is_found_by_the_journal_and_rekeyed(app, two_sessions):
    """Journals kept before per-session keys still open, and leave per-session keys behind."""
    secret = app.config["SECRET_KEY"]
    for token, _ in two_sessions:
        client = app.test_client()
        start(client, token)
        answer_all(client, token)
    with app.app_context():
        db.session.execute(update(Response).values(respondent_key=legacy_key(LEGACY_CODE, secret)))
        db.session.commit()

    typed = " Lilas Phare Tortue 42 "
    for _ in range(2):  # the first opening re-keys, the second finds the new keys
        journal = text(post(app.test_client(), "/journal", {"code": typed}))
        assert "Séance 1" in journal and "Séance 2" in journal
        assert NOT_FOUND not in journal

    keys = keys_by_session(app)
    assert legacy_key(LEGACY_CODE, secret) not in keys.values()
    assert len(set(keys.values())) == 2
    master = codes.master_key(LEGACY_CODE, secret)
    assert keys == {i: codes.session_key(master, i) for _, i in two_sessions}


def test_a_legacy_code_given_again_rekeys_its_earlier_answers(app, two_sessions):
    (first, first_id), (second, second_id) = two_sessions
    secret = app.config["SECRET_KEY"]
    client = app.test_client()
    start(client, first)
    answer_all(client, first)
    with app.app_context():
        db.session.execute(update(Response).values(respondent_key=legacy_key(LEGACY_CODE, secret)))
        db.session.commit()

    answer_with_existing_code(app, second, LEGACY_CODE)

    keys = keys_by_session(app)
    assert legacy_key(LEGACY_CODE, secret) not in keys.values()
    master = codes.master_key(LEGACY_CODE, secret)
    assert keys == {i: codes.session_key(master, i) for i in (first_id, second_id)}
    journal = text(post(app.test_client(), "/journal", {"code": LEGACY_CODE}))
    assert "Séance 1" in journal and "Séance 2" in journal


def test_codes_are_four_words_and_a_number_and_a_wrong_code_finds_nothing(app, two_sessions):
    for _ in range(50):
        code = codes.new_code()
        *words, number = code.split("-")
        assert len(words) == 4 and set(words) <= set(codes.WORDS)
        assert re.fullmatch(r"\d{2}", number)
        assert codes.is_well_formed(code) and codes.normalize(code) == code
    assert len(set(codes.WORDS)) >= 200
    assert codes.CODE_SPACE == len(set(codes.WORDS)) ** 4 * 100 >= 10**11
    # The KDF: scrypt, memory-hard (at least 16 MiB a guess), with a salt from the secret.
    assert codes.SCRYPT_N >= 2**14 and codes.SCRYPT_R >= 8
    assert 128 * codes.SCRYPT_N * codes.SCRYPT_R >= 16 * 2**20

    assert codes.is_well_formed(LEGACY_CODE)  # older codes stay accepted
    for malformed in ("lilas-42", "lilas-phare-42", "lilas-phare-tortue-moulin-cerise-42", "123"):
        assert not codes.is_well_formed(malformed)

    token, _ = two_sessions[0]
    code = answer_with_new_code(app, token)
    *words, number = code.split("-")
    near_misses = [
        "-".join([*words, f"{(int(number) + 1) % 100:02d}"]),
        "-".join([*words[:3], next(w for w in codes.WORDS if w != words[3]), number]),
        "-".join([*words[:3], number]),  # the same words, the legacy length
        LEGACY_CODE,
    ]
    for wrong in near_misses:
        page = text(post(app.test_client(), "/journal", {"code": wrong}))
        assert NOT_FOUND in page and "journal-entry" not in page
    assert "journal-entry" in text(post(app.test_client(), "/journal", {"code": code}))


def test_a_stored_key_cannot_be_tested_cheaply(app, two_sessions):
    """No fast function of the code (and the secret) gives the stored key: a guess costs one
    scrypt of the code, salted from the secret; only then is the session's key cheap."""
    token, meeting_id = two_sessions[0]
    code = answer_with_new_code(app, token)
    stored = keys_by_session(app)[meeting_id]
    secret = app.config["SECRET_KEY"].encode()
    sha = hashlib.sha256
    cheap = {
        hmac.new(secret, code.encode(), sha).hexdigest(),
        hmac.new(secret, f"{code}{meeting_id}".encode(), sha).hexdigest(),
        hmac.new(secret, f"{meeting_id}{code}".encode(), sha).hexdigest(),
        hmac.new(code.encode(), str(meeting_id).encode(), sha).hexdigest(),
        sha(code.encode()).hexdigest(),
        sha(secret + code.encode()).hexdigest(),
        sha(code.encode() + secret).hexdigest(),
        sha(f"{meeting_id}{code}".encode()).hexdigest(),
    }
    assert stored not in cheap

    salt = codes.salt(app.config["SECRET_KEY"])
    assert salt not in (b"", secret) and codes.salt("another secret") != salt
    master = hashlib.scrypt(
        code.encode(),
        salt=salt,
        n=codes.SCRYPT_N,
        r=codes.SCRYPT_R,
        p=codes.SCRYPT_P,
        maxmem=codes.SCRYPT_MAXMEM,
        dklen=32,
    )
    assert stored == hmac.new(master, str(meeting_id).encode(), sha).hexdigest()
    # Another secret gives another key: the database and the code together are not enough.
    other = codes.session_key(codes.master_key(code, "another secret"), meeting_id)
    assert other != stored


def test_the_kdf_never_runs_under_a_write_lock(app, two_sessions, monkeypatch, writers_free):
    """The slow derivation runs before the write transaction, on submission and in the journal
    (re-keying included): other writers are never kept waiting for it."""
    (first, _), (second, _) = two_sessions
    with app.app_context():  # the probe sees a lock when one is held
        db.session.execute(select(Meeting).with_for_update()).all()
        db.session.execute(update(Meeting).values(title=Meeting.title))
        assert not writers_free()
        db.session.rollback()
    assert writers_free()

    seen = []
    derive = codes.master_key

    def watched(code, secret):
        seen.append(writers_free())
        return derive(code, secret)

    monkeypatch.setattr(codes, "master_key", watched)
    code = answer_with_new_code(app, first)
    with app.app_context():
        legacy = legacy_key(LEGACY_CODE, app.config["SECRET_KEY"])
        db.session.execute(update(Response).values(respondent_key=legacy))
        db.session.commit()
    post(app.test_client(), "/journal", {"code": LEGACY_CODE})  # re-keys: a write
    answer_with_existing_code(app, second, code)
    post(app.test_client(), "/journal", {"code": code})
    assert seen == [True] * 4
