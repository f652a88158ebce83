"""``flask --app survey questionnaires check|list``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .catalog import Catalog, catalog
from .loader import VARIANTS_SUBDIR, Problem, QuestionnaireError, load_questionnaire, read_yaml
from .loader import load_variant as _load_variant
from .resolve import minutes
from .schema import CORE_MODULE
from .versions import conflict_message, versions_table_exists

questionnaires_cli = AppGroup("questionnaires", help="Check and list questionnaire files.")


@questionnaires_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate questionnaire and variant files (all of them when no PATH is given)."""
    if paths:
        problems, valid = _check_paths(paths)
    else:
        loaded = catalog()
        problems = list(loaded.problems)
        valid = list(loaded.questionnaires.values())
        for (slug, name), _variant in sorted(loaded.variants.items()):
            click.echo(f"ok   {VARIANTS_SUBDIR}/{name}.yaml (variant of {slug})")
    if versions_table_exists():
        for questionnaire in valid:
            message = conflict_message(questionnaire)
            if message:
                problems.append(Problem(f"{questionnaire.slug}.yaml", "version", message))
    for questionnaire in valid:
        items = sum(len(s.items) for s in questionnaire.sections)
        click.echo(
            f"ok   {questionnaire.slug} {questionnaire.version}: "
            f"{len(questionnaire.sections)} sections, {items} items"
        )
    for problem in problems:
        click.echo(f"FAIL {problem}", err=True)
    if problems:
        raise SystemExit(1)


def _check_paths(paths: tuple[Path, ...]):
    """Check the files named; a variant's questionnaire is found among them or the shipped ones."""
    root = Path.cwd()
    files = [f for p in paths for f in (sorted(p.rglob("*.yaml")) if p.is_dir() else [p])]
    shipped = catalog()
    problems: list[Problem] = []
    valid = {}
    variants = []
    for path in files:
        try:
            data = read_yaml(path, str(path))
        except QuestionnaireError as error:
            problems.extend(error.problems)
            continue
        if isinstance(data, dict) and "variant" in data:
            variants.append((path, data.get("questionnaire")))
            continue
        try:
            questionnaire = load_questionnaire(path, root)
        except QuestionnaireError as error:
            problems.extend(error.problems)
            continue
        valid[questionnaire.slug] = questionnaire
    for path, slug in variants:
        questionnaire = valid.get(slug) or shipped.get(slug)
        if questionnaire is None:
            problems.append(Problem(str(path), "questionnaire", f'no valid questionnaire "{slug}"'))
            continue
        try:
            _load_variant(path, questionnaire, root)
            click.echo(f"ok   {path} (variant of {slug})")
        except QuestionnaireError as error:
            problems.extend(error.problems)
    return problems, list(valid.values())


@questionnaires_cli.command("list")
def list_questionnaires() -> None:
    """Show the questionnaires available, with their modules and variants."""
    loaded: Catalog = catalog()
    directory = current_app.config.get("QUESTIONNAIRES_DIR") or loaded.directory
    click.echo(f"Questionnaires in {directory}:")
    for slug, questionnaire in sorted(loaded.questionnaires.items()):
        click.echo(
            f"\n{slug} {questionnaire.version} — {questionnaire.title.en} "
            f"(core: about {minutes(questionnaire)} min)"
        )
        for section in questionnaire.sections:
            where = "core" if section.module == CORE_MODULE else f"module {section.module}"
            click.echo(f"  {section.title.en}  [{where}, {len(section.items)} items]")
        for module in questionnaire.modules:
            click.echo(
                f"  module {module.id}: {module.title.en} "
                f"(+{questionnaire.minutes.get(module.id, 0)} min)"
            )
        for variant in loaded.variants_of(slug):
            click.echo(f"  variant {variant.variant}: {variant.title.en}")
    if loaded.problems:
        click.echo(f"\n{len(loaded.problems)} problem(s): run `questionnaires check`.", err=True)
