"""Compile the translation catalogues (.po -> .mo) whenever the package is built.

Everything else is declared in pyproject.toml. Without this step, `pip install` gave an
English-only app until someone ran `pybabel compile` by hand.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

TRANSLATIONS = Path("survey") / "translations"


class BuildPyWithCatalogues(build_py):
    """build_py, then every ``messages.po`` compiled beside its copy: into the wheel, or into the
    source tree for an editable install (which runs from the sources)."""

    def run(self) -> None:
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        target = Path() if self.editable_mode else Path(self.build_lib)
        for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
            with po_path.open("rb") as po:
                catalog = read_po(po, locale=po_path.parts[-3])
            mo_path = target / po_path.with_suffix(".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as mo:
                write_mo(mo, catalog)  # fuzzy entries stay out, as with `pybabel compile`


setup(cmdclass={"build_py": BuildPyWithCatalogues})
