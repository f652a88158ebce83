"""Personal codes: memorable, shown once, never stored.

What a response keeps is a per-session key (DESIGN.md §6, rule 7)::

    master      = scrypt(normalized code, salt = HMAC-SHA256(app secret, SALT_LABEL))
    session key = HMAC-SHA256(master, session id)

The slow part, scrypt, runs once per journal opening or submission, before any write lock; the
session keys are then cheap. Two sessions answered with one code hold unrelated keys, so the
database alone links nothing; with the secret too, every guess costs one scrypt (see
``bench/personal_codes.py`` for the cost of searching the whole code space).

Before per-session keys, a response held ``legacy_key``: HMAC-SHA256(secret, code), the same in
every session, for codes of three words. Such keys are re-keyed when their code is next used.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

# Short, common, unaccented French words: easy to write down, to read back and to type on a phone.
WORDS = [
    "abeille",
    "abricot",
    "acajou",
    "agneau",
    "aigle",
    "alpage",
    "amande",
    "ananas",
    "anemone",
    "anguille",
    "antilope",
    "arbre",
    "ardoise",
    "argile",
    "armoire",
    "artichaut",
    "atelier",
    "aubergine",
    "avion",
    "avoine",
    "badge",
    "baleine",
    "balcon",
    "bambou",
    "banane",
    "barque",
    "bateau",
    "berger",
    "biscuit",
    "bison",
    "bleuet",
    "bocal",
    "bouleau",
    "boussole",
    "bouton",
    "branche",
    "brioche",
    "cactus",
    "cadran",
    "caillou",
    "calme",
    "camion",
    "canard",
    "canoe",
    "carafe",
    "carotte",
    "castor",
    "cerise",
    "chalet",
    "chameau",
    "chapeau",
    "charbon",
    "chateau",
    "chemin",
    "chene",
    "cheval",
    "cigale",
    "citron",
    "clairon",
    "clocher",
    "colibri",
    "colline",
    "comete",
    "compas",
    "concert",
    "coquelicot",
    "corbeau",
    "corde",
    "coton",
    "courgette",
    "crayon",
    "cristal",
    "cygne",
    "dauphin",
    "desert",
    "domino",
    "dragon",
    "dune",
    "ecorce",
    "ecureuil",
    "epice",
    "erable",
    "escargot",
    "etoile",
    "faucon",
    "fenetre",
    "figue",
    "flamant",
    "flocon",
    "fontaine",
    "foret",
    "fougere",
    "fraise",
    "framboise",
    "frelon",
    "fromage",
    "fusee",
    "galet",
    "gazelle",
    "genet",
    "girafe",
    "glacier",
    "gland",
    "goeland",
    "gorille",
    "grenade",
    "grenier",
    "griffon",
    "guitare",
    "hamac",
    "harpe",
    "herisson",
    "hibou",
    "horizon",
    "hublot",
    "igloo",
    "iris",
    "jardin",
    "jasmin",
    "jonquille",
    "kayak",
    "koala",
    "lagune",
    "lama",
    "lampe",
    "lanterne",
    "lavande",
    "lezard",
    "licorne",
    "lilas",
    "loutre",
    "luciole",
    "lune",
    "lynx",
    "macaron",
    "magnolia",
    "mais",
    "manege",
    "mangue",
    "marmotte",
    "marron",
    "melon",
    "mesange",
    "miel",
    "mimosa",
    "moulin",
    "mouette",
    "muguet",
    "myrtille",
    "navire",
    "noisette",
    "nuage",
    "ocean",
    "olive",
    "orage",
    "orange",
    "orchidee",
    "ortie",
    "otarie",
    "ourson",
    "palmier",
    "panda",
    "papillon",
    "pastel",
    "pelican",
    "pepite",
    "phare",
    "piano",
    "pigeon",
    "pinceau",
    "pirogue",
    "pivoine",
    "planete",
    "plume",
    "poivre",
    "pomme",
    "prairie",
    "prune",
    "puma",
    "quartz",
    "radeau",
    "raisin",
    "renard",
    "requin",
    "rivage",
    "riviere",
    "roseau",
    "rubis",
    "sable",
    "safran",
    "sapin",
    "sardine",
    "saule",
    "sentier",
    "sequoia",
    "sirene",
    "soleil",
    "source",
    "tambour",
    "tapis",
    "tigre",
    "tilleul",
    "tomate",
    "tortue",
    "toucan",
    "trefle",
    "tulipe",
    "valise",
    "vallee",
    "vanille",
    "velours",
    "verger",
    "violon",
    "voilier",
    "volcan",
    "zebre",
]
WORDS_IN_A_CODE = 4
LEGACY_WORDS_IN_A_CODE = 3  # codes given before per-session keys; still accepted
#: How many codes ``new_code`` can give: 216 words to the 4th power times 100 (about 37.7 bits).
CODE_SPACE = len(WORDS) ** WORDS_IN_A_CODE * 100
#: New codes and the legacy three-word ones.
PATTERN = re.compile(r"^[a-z]+(?:-[a-z]+){2,3}-\d{2}$")

# scrypt: 32 MiB and about 0.1 s a derivation on one core of the reference machine (bench/).
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_MAXMEM = 64 * 2**20  # above 128 * N * R, which OpenSSL's 32 MiB default does not allow
SALT_LABEL = b"praxis personal code salt v1"


def new_code() -> str:
    """Four words and two digits, e.g. ``lilas-phare-tortue-moulin-42`` (about 37.7 bits)."""
    words = [secrets.choice(WORDS) for _ in range(WORDS_IN_A_CODE)]
    return "-".join([*words, f"{secrets.randbelow(100):02d}"])


def normalize(code: str) -> str:
    """Forgive case, spaces and other separators when a worker types their code back."""
    parts = re.findall(r"[a-z]+|\d+", code.lower())
    return "-".join(parts)


def is_well_formed(code: str) -> bool:
    """Whether a typed code has the shape of a personal code (words and a number)."""
    return bool(PATTERN.match(normalize(code)))


def is_legacy(code: str) -> bool:
    """A three-word code, given before per-session keys: its answers may hold a legacy key."""
    normalized = normalize(code)
    return is_well_formed(normalized) and normalized.count("-") == LEGACY_WORDS_IN_A_CODE


def salt(secret: str) -> bytes:
    """The KDF's salt, from the app secret: without it, not even a guess can be tried."""
    return hmac.new(secret.encode(), SALT_LABEL, hashlib.sha256).digest()


def master_key(code: str, secret: str) -> bytes:
    """The slow part (scrypt, about 0.1 s and 32 MiB): call it once per request, before the
    write transaction begins."""
    return hashlib.scrypt(
        normalize(code).encode(),
        salt=salt(secret),
        n=SCRYPT_N,
        r=SCRYPT_R,
        p=SCRYPT_P,
        maxmem=SCRYPT_MAXMEM,
        dklen=32,
    )


def session_key(master: bytes, meeting_id: int) -> str:
    """What a response of session ``meeting_id`` keeps: cheap once the master key is known."""
    return hmac.new(master, str(meeting_id).encode(), hashlib.sha256).hexdigest()


def legacy_key(code: str, secret: str) -> str:
    """The key responses held before per-session keys: HMAC-SHA256 of the code with the secret,
    the same in every session. Only ever looked for, to be replaced."""
    return hmac.new(secret.encode(), normalize(code).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, repr=False)
class PersonalKey:
    """A code's derived keys, computed once per request; the code itself is not kept."""

    master: bytes
    legacy: str | None  # the key a three-word code's earlier answers may still hold

    def for_session(self, meeting_id: int) -> str:
        return session_key(self.master, meeting_id)


def derive(code: str, secret: str) -> PersonalKey:
    """The slow derivation (see ``master_key``) and, for a legacy code, its legacy key."""
    return PersonalKey(
        master_key(code, secret), legacy_key(code, secret) if is_legacy(code) else None
    )


def chosen(choice: str, existing: str | None, secret: str) -> tuple[str | None, PersonalKey | None]:
    """What a worker chose on the last page: (a new code to show once, or None; the derived key
    of the new or given code, or None for « no, thank you »).

    The derivation is slow on purpose (``master_key``): call it before the write transaction
    begins, never while holding the writers' lock.
    """
    if choice == "new":
        code = new_code()
        return code, derive(code, secret)
    if choice == "existing":
        return None, derive(existing, secret)
    return None, None
