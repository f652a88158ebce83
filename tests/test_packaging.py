"""Any install speaks French: the wheel carries the compiled catalogue, built from the .po."""

import gettext
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOG = "survey/translations/fr/LC_MESSAGES/messages"


def test_the_wheel_carries_the_french_catalogue_compiled_from_the_po(tmp_path):
    source = tmp_path / "source"
    # A clean copy of the tracked files: no .mo left over from a developer's `make translations`.
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    for name in filter(None, files):
        target = source / name.decode()
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((ROOT / name.decode()).read_bytes())
    assert not list(source.rglob("*.mo"))

    # No build isolation: the build uses this environment's setuptools and Babel, offline.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("praxis_survey-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        compiled = archive.read(f"{CATALOG}.mo")

    french = gettext.GNUTranslations(io.BytesIO(compiled))
    with open(ROOT / f"{CATALOG}.po", "rb") as po:
        catalog = read_po(po)
    entries = [m for m in catalog if m.id and isinstance(m.id, str) and m.string]
    assert len(entries) > 300
    for message in entries:  # every translation of the .po, as it is now
        if message.context:
            assert french.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert french.gettext(message.id) == message.string, message.id
