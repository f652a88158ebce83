"""A session's questions are validated once per worker; what is derived from them goes with them."""

import gc
from pathlib import Path
from types import SimpleNamespace

from survey.questionnaire import effective_lists, frozen, resolve
from survey.questionnaire.catalog import Catalog

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


def snapshot() -> dict:
    questionnaire = Catalog.load(SHIPPED).get("standard")
    return resolve(questionnaire, effective_lists(questionnaire)).model_dump(mode="json")


def test_a_snapshot_is_validated_once_and_a_new_token_names_a_new_one(monkeypatch):
    monkeypatch.setattr(frozen, "_validated", {})
    meeting = SimpleNamespace(id=1, join_token="first", snapshot=snapshot())
    first = frozen.frozen_definition(meeting)
    assert frozen.frozen_definition(meeting) is first
    reused = SimpleNamespace(id=1, join_token="second", snapshot=meeting.snapshot)
    assert frozen.frozen_definition(reused) is not first  # a deleted session's id, reused


def test_the_cache_keeps_the_newest_sessions(monkeypatch):
    monkeypatch.setattr(frozen, "_validated", {})
    monkeypatch.setattr(frozen, "CACHE_SIZE", 2)
    data = snapshot()
    meetings = [SimpleNamespace(id=n, join_token=str(n), snapshot=data) for n in range(3)]
    for meeting in meetings:
        frozen.frozen_definition(meeting)
    assert list(frozen._validated) == [(1, "1"), (2, "2")]


def test_what_is_derived_from_a_questionnaire_goes_with_it(monkeypatch):
    monkeypatch.setattr(frozen, "_validated", {})
    definition = frozen.frozen_definition(
        SimpleNamespace(id=1, join_token="t", snapshot=snapshot())
    )
    frozen.derived(definition)["key"] = "value"
    assert frozen.derived(definition) == {"key": "value"}
    key = id(definition)
    frozen._validated.clear()
    del definition
    gc.collect()
    assert key not in frozen._derived
