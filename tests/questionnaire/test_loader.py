"""The questionnaire validator: shipped files pass, malformed ones get exact, plain-words errors."""

import copy
from pathlib import Path

import pytest
import yaml

from survey.questionnaire.catalog import Catalog
from survey.questionnaire.loader import QuestionnaireError, load_questionnaire, load_variant

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"

MINIMAL = {
    "slug": "mini",
    "version": "1.0",
    "title": {"fr": "Mini", "en": "Mini"},
    "description": {"fr": "Un essai", "en": "A trial"},
    "minutes": {"core": 2},
    "scales": {
        "agree5": {
            "min": 1,
            "max": 5,
            "anchors": {1: {"fr": "Non", "en": "No"}, 5: {"fr": "Oui", "en": "Yes"}},
        }
    },
    "lists": {
        "tasks": {
            "title": {"fr": "Tâches", "en": "Tasks"},
            "min": 1,
            "max": 3,
            "default": [{"id": "typing", "label": {"fr": "Saisir", "en": "Typing"}}],
        }
    },
    "sections": [
        {
            "id": "first",
            "title": {"fr": "Première", "en": "First"},
            "items": [
                {
                    "id": "gap",
                    "kind": "paired",
                    "prompt": {"fr": "Je…", "en": "I…"},
                    "scale": "agree5",
                    "facets": [
                        {"id": "prescribed", "label": {"fr": "Prescrit", "en": "Prescribed"}},
                        {"id": "actual", "label": {"fr": "Réel", "en": "Actual"}},
                    ],
                    "rows": {"list": "tasks"},
                },
                {
                    "id": "note",
                    "kind": "text",
                    "prompt": {"fr": "Une remarque", "en": "A remark"},
                    "max_length": 500,
                },
            ],
        }
    ],
}


def write(tmp_path, data, name="mini.yaml") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True))
    return path


def errors_of(tmp_path, data) -> list[str]:
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire(write(tmp_path, data), root=tmp_path)
    return [str(problem) for problem in caught.value.problems]


def changed(edit) -> dict:
    data = copy.deepcopy(MINIMAL)
    edit(data)
    return data


def item(data, index=0):
    return data["sections"][0]["items"][index]


def test_every_shipped_file_is_valid():
    catalog = Catalog.load(SHIPPED)
    assert catalog.problems == []
    assert set(catalog.questionnaires) == {"standard"}
    assert set(catalog.variants) == {("standard", "management"), ("standard", "public_reception")}


def test_the_minimal_file_is_valid(tmp_path):
    questionnaire = load_questionnaire(write(tmp_path, MINIMAL), root=tmp_path)
    assert questionnaire.sections[0].items[0].facets[1].id == "actual"


MALFORMED = [
    (
        "missing required field",
        lambda d: d.pop("version"),
        ["mini.yaml: version: is required"],
    ),
    (
        "misspelt field",
        lambda d: d["sections"][0].update(itmes=[]),
        ["mini.yaml: sections[0].itmes: is not a known field (check its spelling and indentation)"],
    ),
    (
        "English label missing",
        lambda d: item(d)["prompt"].pop("en"),
        ["mini.yaml: sections[0].items[0].prompt.en: is required"],
    ),
    (
        "empty label",
        lambda d: d["title"].update(fr=""),
        ["mini.yaml: title.fr: must not be empty"],
    ),
    (
        "unknown item kind",
        lambda d: item(d).update(kind="slider"),
        [
            'mini.yaml: sections[0].items[0]: unknown item kind "slider"; expected one of: '
            "paired, task_map, allocation, rating, ranking, choice, text"
        ],
    ),
    (
        "item without kind",
        lambda d: item(d, 1).pop("kind"),
        ['mini.yaml: sections[0].items[1]: needs a "kind"'],
    ),
    (
        "unknown scale",
        lambda d: item(d).update(scale="agree7"),
        ['mini.yaml: sections[0].items[0].scale: unknown scale "agree7"; known: agree5'],
    ),
    (
        "unknown list",
        lambda d: item(d).update(rows={"list": "chores"}),
        ['mini.yaml: sections[0].items[0].rows.list: unknown list "chores"; known: tasks'],
    ),
    (
        "paired item with three facets",
        lambda d: item(d)["facets"].append(
            {"id": "ideal", "label": {"fr": "Idéal", "en": "Ideal"}}
        ),
        ["mini.yaml: sections[0].items[0].facets: needs exactly 2 entries"],
    ),
    (
        "paired item with the same facet twice",
        lambda d: item(d)["facets"][1].update(id="prescribed"),
        ['mini.yaml: sections[0].items[0]: both facets are called "prescribed"'],
    ),
    (
        "bad id",
        lambda d: item(d).update(id="Gap 1"),
        [
            'mini.yaml: sections[0].items[0].id: "Gap 1" is not a valid id: use lowercase '
            "letters, digits and underscores, starting with a letter"
        ],
    ),
    (
        "duplicate item ids",
        lambda d: item(d, 1).update(id="gap"),
        ['mini.yaml: items: the id "gap" is used twice'],
    ),
    (
        "scale upside down",
        lambda d: d["scales"]["agree5"].update(min=5, max=1),
        ["mini.yaml: scales.agree5: max (1) must be greater than min (5)"],
    ),
    (
        "anchor outside the scale",
        lambda d: d["scales"]["agree5"]["anchors"].update({7: {"fr": "Trop", "en": "Too far"}}),
        ["mini.yaml: scales.agree5: anchor 7 is outside the scale 1…5"],
    ),
    (
        "scale too long",
        lambda d: d["scales"]["agree5"].update(max=20, anchors={1: {"fr": "a", "en": "a"}}),
        ["mini.yaml: scales.agree5: has 20 points; at most 11 are allowed"],
    ),
    (
        "text without a length cap",
        lambda d: item(d, 1).pop("max_length"),
        ["mini.yaml: sections[0].items[1].max_length: is required"],
    ),
    (
        "text cap too large",
        lambda d: item(d, 1).update(max_length=100000),
        ["mini.yaml: sections[0].items[1].max_length: must be at most 3000"],
    ),
    (
        "sensitive but not skippable",
        lambda d: item(d, 1).update(sensitive=True, skippable=False),
        ["mini.yaml: sections[0].items[1]: a sensitive item must be skippable"],
    ),
    (
        "wrong type",
        lambda d: item(d, 1).update(sensitive="maybe"),
        ["mini.yaml: sections[0].items[1].sensitive: must be true or false"],
    ),
    (
        "bad version",
        lambda d: d.update(version="v2"),
        ['mini.yaml: version: "v2" is not a valid version: use numbers such as 1, 1.2 or 1.2.3'],
    ),
    (
        "section in an unknown module",
        lambda d: d["sections"][0].update(module="extra"),
        ['mini.yaml: sections[0].module: unknown module "extra"; known: core'],
    ),
    (
        "default list too long for its bounds",
        lambda d: d["lists"]["tasks"].update(max=0),
        ["mini.yaml: lists.tasks.max: must be at least 1"],
    ),
    (
        "several problems at once",
        lambda d: (d.pop("title"), item(d)["prompt"].pop("fr"), item(d, 1).update(max_length=5)),
        [
            "mini.yaml: title: is required",
            "mini.yaml: sections[0].items[0].prompt.fr: is required",
            "mini.yaml: sections[0].items[1].max_length: must be at least 20",
        ],
    ),
]


@pytest.mark.parametrize(
    ("edit", "expected"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_files_get_exact_messages(tmp_path, edit, expected):
    assert errors_of(tmp_path, changed(edit)) == expected


def test_invalid_yaml_names_the_line(tmp_path):
    assert errors_of(tmp_path, "slug: mini\ntitle: {fr: Mini, en: [\n") == [
        "mini.yaml: line 3, column 1: is not valid YAML: "
        "expected the node content, but found '<stream end>'"
    ]


def test_duplicate_keys_are_refused(tmp_path):
    text = "slug: mini\nversion: '1.0'\nslug: other\n"
    assert errors_of(tmp_path, text) == [
        'mini.yaml: line 3, column 1: is not valid YAML: the key "slug" appears twice'
    ]


def test_a_file_that_is_not_a_mapping(tmp_path):
    assert errors_of(tmp_path, "- just\n- a list\n") == [
        "mini.yaml: must be a mapping of fields (key: value)"
    ]


def test_variant_lists_are_checked_against_the_questionnaire(tmp_path):
    questionnaire = load_questionnaire(write(tmp_path, MINIMAL), root=tmp_path)
    option = {"id": "a", "label": {"fr": "A", "en": "A"}}
    variant = {
        "variant": "desk",
        "questionnaire": "mini",
        "domain": "public_reception",
        "title": {"fr": "Accueil", "en": "Reception"},
        "lists": {"tasks": [option] * 4, "chores": [option]},
    }
    with pytest.raises(QuestionnaireError) as caught:
        load_variant(write(tmp_path, variant, "desk.yaml"), questionnaire, root=tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        "desk.yaml: lists.chores: the questionnaire has no list by this name; known: tasks",
        "desk.yaml: lists.tasks: has 4 entries; between 1 and 3 needed",
        'desk.yaml: lists.tasks: the id "a" is used twice',
    ]


def test_the_standard_questionnaire_speaks_of_feasible_work_as_the_method_does():
    """The method's word is *travail réalisable*: section B and its instructions use it."""
    standard = load_questionnaire(SHIPPED / "standard.yaml")
    section = next(s for s in standard.sections if s.id == "ideal_feasible")
    assert section.title.fr == "B. L'idéal et le réalisable"
    assert section.title.en == "B. The ideal and the feasible"
    assert "réalisable" in section.intro.fr and "réalisable" in section.intro.fr_tu
    assert "réalisable" in standard.description.fr
