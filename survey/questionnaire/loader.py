"""Read questionnaire and variant files, and report every problem as "file: path: reason"."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from .schema import ITEM_KINDS, ROWS_TAGS, Questionnaire, Variant

QUESTIONNAIRES_DIR = Path(__file__).resolve().parents[2] / "questionnaires"
VARIANTS_SUBDIR = "variants"

#: A questionnaire is about 20 KB, nested 9 levels deep, with about 1,300 values: these limits
#: leave room to grow and keep a hostile file (a YAML "billion laughs") from running for ever.
MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 40
MAX_VALUES = 100_000


@dataclass(frozen=True)
class Problem:
    file: str
    path: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.path}: {self.reason}"
            if self.path
            else f"{self.file}: {self.reason}"
        )


class QuestionnaireError(Exception):
    """A file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _TooDeep(Exception):
    pass


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; in a questionnaire that hides a mistake.

    It also counts how deep the document nests while composing it (PyYAML recurses, and would
    fail with a RecursionError).
    """

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                mark = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f'the key "{key}" appears twice', mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path, name: str) -> object:
    """Parse a YAML file, refusing what is too large, too deep or expands too far."""
    try:
        if not path.is_file():
            raise QuestionnaireError([Problem(name, "", "is not a regular file")])
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise QuestionnaireError(
                [Problem(name, "", f"too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")]
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuestionnaireError([Problem(name, "", "is not UTF-8 text")]) from None
    except OSError as error:
        raise QuestionnaireError(
            [Problem(name, "", f"cannot be read ({error.strerror})")]
        ) from None
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_VALUES:
            raise QuestionnaireError(
                [
                    Problem(
                        name,
                        "",
                        f"too large once its aliases are expanded (over {MAX_VALUES:,} values)",
                    )
                ]
            )
        return None if node is None else loader.construct_document(node)
    except _TooDeep:
        raise QuestionnaireError(
            [Problem(name, "", f"nested too deeply (more than {MAX_DEPTH} levels)")]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        raise QuestionnaireError([Problem(name, where, f"is not valid YAML: {reason}")]) from None
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values the document holds once every alias is written out in full.

    An alias is the very node it names, so each node is counted once and its size reused: the
    count takes as long as the file, however far the aliases would expand.
    """
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = MAX_VALUES + 1  # until counted: an alias inside itself never ends
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    sizes[id(node)] = total = 1 + sum(_expanded_size(child, sizes) for child in children)
    return total


def validate(model: type[BaseModel], data: object, name: str):
    """Validate parsed data, turning every Pydantic error into a plain-words Problem."""
    if not isinstance(data, dict):
        raise QuestionnaireError([Problem(name, "", "must be a mapping of fields (key: value)")])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        errors = _without_cascades(error.errors(include_url=False))
        problems = [p for e in errors for p in _problems(name, e)]
        raise QuestionnaireError(problems) from None


def load_questionnaire(path: Path, root: Path | None = None) -> Questionnaire:
    name = _display_name(path, root)
    return validate(Questionnaire, read_yaml(path, name), name)


def load_variant(path: Path, questionnaire: Questionnaire, root: Path | None = None) -> Variant:
    """A variant file, checked against the questionnaire whose lists it replaces."""
    name = _display_name(path, root)
    variant = validate(Variant, read_yaml(path, name), name)
    problems = [
        Problem(name, f"lists.{key}", reason)
        for key, reason in list_problems(questionnaire, variant.lists)
    ]
    if variant.questionnaire != questionnaire.slug:
        problems.insert(
            0,
            Problem(
                name,
                "questionnaire",
                f'names "{variant.questionnaire}", but is checked against "{questionnaire.slug}"',
            ),
        )
    if problems:
        raise QuestionnaireError(problems)
    return variant


def list_problems(questionnaire: Questionnaire, lists: dict) -> list[tuple[str, str]]:
    """What is wrong with replacement lists: unknown names, sizes out of bounds, repeated ids."""
    problems = []
    for key, options in lists.items():
        spec = questionnaire.lists.get(key)
        if spec is None:
            known = ", ".join(sorted(questionnaire.lists)) or "none"
            problems.append((key, f"the questionnaire has no list by this name; known: {known}"))
            continue
        if not spec.min <= len(options) <= spec.max:
            problems.append(
                (key, f"has {len(options)} entries; between {spec.min} and {spec.max} needed")
            )
        ids = [option.id for option in options]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append((key, f'the id "{repeated[0]}" is used twice'))
    return problems


def _display_name(path: Path, root: Path | None) -> str:
    root = root or QUESTIONNAIRES_DIR.parent
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def _without_cascades(errors: list[dict]) -> list[dict]:
    """Drop "too few entries" on a list whose own entries are in error: it follows from them."""
    locations = [_strip_union_tags(e["loc"]) for e in errors]

    def cascades(error: dict, location: tuple) -> bool:
        return error["type"] == "too_short" and any(
            len(other) > len(location) and other[: len(location)] == location for other in locations
        )

    return [e for e, loc in zip(errors, locations, strict=True) if not cascades(e, loc)]


def _problems(name: str, error: dict) -> list[Problem]:
    location = _strip_union_tags(error["loc"])
    path = _format_path(location)
    kind = error["type"]
    if kind == "value_error":
        message = str(error["ctx"]["error"])
        if not location:
            # Cross-reference checks report their own paths, one per line.
            return [Problem(name, *line.split(": ", 1)) for line in message.splitlines()]
        return [Problem(name, path, message)]
    return [Problem(name, path, _plain_words(error))]


def _strip_union_tags(location: tuple) -> tuple:
    """Pydantic puts union tags into the path (items.0.paired.scale); readers don't need them."""
    return tuple(
        part
        for i, part in enumerate(location)
        if not (part in ITEM_KINDS and i > 0 and isinstance(location[i - 1], int))
        and part not in ROWS_TAGS
    )


def _format_path(location: tuple) -> str:
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _plain_words(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    messages = {
        "missing": "is required",
        "extra_forbidden": "is not a known field (check its spelling and indentation)",
        "string_type": "must be text",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "dict_type": "must be a mapping (key: value)",
        "model_type": "must be a mapping (key: value)",
        "model_attributes_type": "must be a mapping (key: value)",
        "list_type": "must be a list (lines starting with -)",
        "tuple_type": "must be a list (lines starting with -)",
        "union_tag_not_found": 'needs a "kind"',
    }
    if kind in messages:
        return messages[kind]
    explain = _EXPLAINED.get(kind)
    return explain(error, ctx, value) if explain else error["msg"]


def _pattern_words(ctx: dict, value) -> str:
    if ctx.get("pattern", "").startswith("^[a-z]"):
        return (
            f'"{value}" is not a valid id: use lowercase letters, digits and underscores, '
            "starting with a letter"
        )
    return f'"{value}" is not a valid version: use numbers such as 1, 1.2 or 1.2.3'


def _too_long_words(error: dict, ctx: dict) -> str:
    if ctx.get("expected_length") == 2 or error["msg"].startswith("Tuple should have at most 2"):
        return "needs exactly 2 entries"
    return f"has too many entries: at most {ctx.get('max_length')}"


#: Pydantic errors whose words depend on their context: (error, ctx, value) -> words.
_EXPLAINED = {
    "union_tag_invalid": lambda e, ctx, v: (
        f'unknown item kind "{ctx.get("tag")}"; expected one of: {", ".join(ITEM_KINDS)}'
    ),
    "literal_error": lambda e, ctx, v: f'is "{v}"; expected one of: {ctx.get("expected")}',
    "string_pattern_mismatch": lambda e, ctx, v: _pattern_words(ctx, v),
    "string_too_short": lambda e, ctx, v: "must not be empty",
    "string_too_long": lambda e, ctx, v: f"is too long: at most {ctx.get('max_length')} characters",
    "too_short": lambda e, ctx, v: f"needs at least {ctx.get('min_length')} entries",
    "too_long": lambda e, ctx, v: _too_long_words(e, ctx),
    "greater_than_equal": lambda e, ctx, v: f"must be at least {ctx.get('ge')}",
    "less_than_equal": lambda e, ctx, v: f"must be at most {ctx.get('le')}",
}
