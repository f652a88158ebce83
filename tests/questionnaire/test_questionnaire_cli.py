"""``flask --app survey questionnaires check|list``."""

import time
from pathlib import Path

import pytest

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


def test_check_passes_on_the_shipped_files(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0, result.output
    assert "ok   standard 1.1: 7 sections, 15 items" in result.output
    assert "ok   variants/public_reception.yaml (variant of standard)" in result.output


def test_check_reports_every_problem_and_fails(runner, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        (SHIPPED / "standard.yaml").read_text().replace("scale: extent11", "scale: x")
    )
    variant = tmp_path / "desk.yaml"
    variant.write_text("variant: desk\nquestionnaire: nowhere\n")
    result = runner.invoke(args=["questionnaires", "check", str(broken), str(variant)])
    assert result.exit_code == 1
    assert (
        f'FAIL {broken}: sections[0].items[0].scale: unknown scale "x"; known: agree5, '
        "attainment11, extent11, frequency5, gap_size11, helps7, level7, often7, pressure7, "
        "valence7\n"
    ) in result.output
    assert f'FAIL {variant}: questionnaire: no valid questionnaire "nowhere"' in result.output


def test_list_shows_modules_and_variants(runner):
    result = runner.invoke(args=["questionnaires", "list"])
    assert result.exit_code == 0, result.output
    assert "standard 1.1 — Self-assessment before the session (core: about 8 min)" in result.output
    assert "module task_map: Task map (+4 min)" in result.output
    assert "variant management: Management" in result.output


def billion_laughs(levels: int = 9) -> str:
    """Nine strings, then nine lists of the previous one, nine times: 9**9 strings once expanded,
    in under 400 bytes."""
    lines = ['x-0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"x-{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("slug: big\n" + "".join(f"k{i}: {'x' * 100}\n" for i in range(11_000)), "too large"),
        ("slug: deep\nx: " + "[" * 5_000 + "]" * 5_000 + "\n", "nested too deeply"),
        ("slug: deep\n" + "".join(" " * i + f"k{i}:\n" for i in range(60)), "nested too deeply"),
        (
            billion_laughs()
            + "slug: lol\nversion: '1'\nsections:\n- id: s\n  items:\n  - kind: *l8\n",
            "too large once its aliases are expanded",
        ),
        ("slug: loop\nx: &a [1, *a]\n", "too large once its aliases are expanded"),
    ],
    ids=["over 1 MB", "deep flow", "deep block", "billion laughs", "alias in itself"],
)
def test_hostile_files_are_refused_in_plain_words(runner, tmp_path, content, reason):
    """A file too large, nested too deeply or expanding without end gets one line, quickly,
    instead of a traceback (RecursionError) or a run that fills the memory."""
    path = tmp_path / "hostile.yaml"
    path.write_text(content)
    started = time.monotonic()
    result = runner.invoke(args=["questionnaires", "check", str(path)])
    assert time.monotonic() - started < 5
    assert result.exit_code == 1
    assert f"FAIL {path}: {reason}" in result.output
    assert isinstance(result.exception, SystemExit)  # the command's own exit, no traceback


def test_the_limits_leave_room_for_the_shipped_files():
    from survey.questionnaire.loader import MAX_FILE_BYTES, read_yaml

    for path in SHIPPED.rglob("*.yaml"):
        assert path.stat().st_size * 10 < MAX_FILE_BYTES
        assert isinstance(read_yaml(path, path.name), dict)
