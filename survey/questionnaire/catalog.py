"""The questionnaires and variants available to an app, read once from its questionnaires folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from .loader import (
    QUESTIONNAIRES_DIR,
    VARIANTS_SUBDIR,
    Problem,
    QuestionnaireError,
    load_questionnaire,
    load_variant,
    read_yaml,
)
from .schema import Questionnaire, Variant


@dataclass
class Catalog:
    """Valid questionnaires by slug, their variants, and the problems of every invalid file."""

    directory: Path
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    variants: dict[tuple[str, str], Variant] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, directory: Path) -> Catalog:
        catalog = cls(directory)
        root = directory.parent
        for path in sorted(directory.glob("*.yaml")):
            try:
                questionnaire = load_questionnaire(path, root)
            except QuestionnaireError as error:
                catalog.problems.extend(error.problems)
                continue
            if questionnaire.slug in catalog.questionnaires:
                other = catalog.sources[questionnaire.slug].name
                catalog.problems.append(
                    Problem(path.name, "slug", f'"{questionnaire.slug}" is already used by {other}')
                )
                continue
            catalog.questionnaires[questionnaire.slug] = questionnaire
            catalog.sources[questionnaire.slug] = path
        for path in sorted((directory / VARIANTS_SUBDIR).glob("*.yaml")):
            catalog._add_variant(path, root)
        return catalog

    def _add_variant(self, path: Path, root: Path) -> None:
        name = str(path.relative_to(root))
        try:
            data = read_yaml(path, name)
        except QuestionnaireError as error:
            self.problems.extend(error.problems)
            return
        slug = data.get("questionnaire") if isinstance(data, dict) else None
        questionnaire = self.questionnaires.get(slug) if isinstance(slug, str) else None
        if questionnaire is None:
            known = ", ".join(sorted(self.questionnaires)) or "none"
            self.problems.append(
                Problem(name, "questionnaire", f'no valid questionnaire "{slug}"; known: {known}')
            )
            return
        try:
            variant = load_variant(path, questionnaire, root)
        except QuestionnaireError as error:
            self.problems.extend(error.problems)
            return
        self.variants[(questionnaire.slug, variant.variant)] = variant

    def get(self, slug: str) -> Questionnaire | None:
        return self.questionnaires.get(slug)

    def variants_of(self, slug: str) -> list[Variant]:
        return [v for (q, _), v in sorted(self.variants.items()) if q == slug]

    def variant(self, slug: str, variant: str | None) -> Variant | None:
        return self.variants.get((slug, variant)) if variant else None


def catalog() -> Catalog:
    """The current app's catalog, read on first use."""
    extension = current_app.extensions.get("questionnaires")
    if extension is None:
        directory = Path(current_app.config.get("QUESTIONNAIRES_DIR") or QUESTIONNAIRES_DIR)
        extension = current_app.extensions["questionnaires"] = Catalog.load(directory)
        for problem in extension.problems:
            current_app.logger.warning("questionnaire refused: %s", problem)
    return extension
