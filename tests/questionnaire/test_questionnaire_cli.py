"""``flask --app survey questionnaires check|list``."""

from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[2] / "questionnaires"


def test_check_passes_on_the_shipped_files(runner):
    result = runner.invoke(args=["questionnaires", "check"])
    assert result.exit_code == 0, result.output
    assert "ok   standard 1.0: 7 sections, 15 items" in result.output
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
    assert "standard 1.0 — Self-assessment before the session (core: about 8 min)" in result.output
    assert "module task_map: Task map (+4 min)" in result.output
    assert "variant management: Management" in result.output
