"""End-to-end: read-only commands create nothing (issue 11 point 9), through the real CLI entry point.

``plan``, ``pull`` and ``clean`` on a ``local:`` board file that does not exist say so and suggest the
closest existing board file; ``export`` on a missing snapshot suggests the closest one; a push that
fails on its deck or layout creates no board file; no ``.lock`` file is ever left beside a board file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gria_miro.errors import ExitStatus
from tests.e2e.pushkit import roomy_credits, run_cli


@pytest.fixture(autouse=True)
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("GRIA_MIRO_LOCK_DIR", str(tmp_path / "locks"))
    monkeypatch.delenv("MIRO_TOKEN", raising=False)
    roomy_credits(monkeypatch)  # clean deletes the whole board: not a test of credit waits
    folder = tmp_path / "ateliers"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def _listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


@pytest.mark.parametrize("command", ["plan", "pull", "clean"])
def test_a_mistyped_local_board_is_named_with_the_closest_file_and_nothing_is_created(
    homes: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "push", "--board", "local:atelier.json", "--yes").code == 0
    before = _listing(homes)
    result = run_cli(capsys, command, "--board", "local:ateleir.json")
    assert result.code == ExitStatus.USER_ERROR, result.out
    assert "ateleir.json : ce tableau local n'existe pas" in result.err
    assert "Vouliez-vous dire local:atelier.json ?" in result.err
    assert "Traceback" not in result.err and "à créer" not in result.out
    assert _listing(homes) == before == ["atelier.json"]


@pytest.mark.parametrize("name", ["seance.json", "seance.db"])
def test_a_missing_board_with_no_close_name_says_how_to_create_it(
    homes: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("pull", "clean"):
        result = run_cli(capsys, command, "--board", f"local:{name}")
        assert result.code == ExitStatus.USER_ERROR
        assert f"{name} : ce tableau local n'existe pas" in result.err
        assert f"Pour le créer : gria-miro push --board local:{name}" in result.err
    # plan of a new board (no close name: not a typo) previews a first push, and says the file does not exist
    planned = run_cli(capsys, "plan", "--board", f"local:{name}", "--quiet")
    assert planned.code == 0
    assert f"{name} n'existe pas encore : voici ce qu'un premier push y créerait (rien n'est écrit)" in planned.err
    assert "à créer" in planned.out
    assert _listing(homes) == []


def test_export_of_a_mistyped_snapshot_suggests_the_closest_one(
    homes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "push", "--board", "local:atelier.json", "--yes").code == 0
    assert run_cli(capsys, "pull", "--board", "local:atelier.json", "--snapshot", "releve.json").code == 0
    before = _listing(homes)
    result = run_cli(capsys, "export", "--snapshot", "relevé.json")
    assert result.code == ExitStatus.USER_ERROR
    assert "relevé.json: fichier introuvable ; vérifiez le chemin (instantané) ; vouliez-vous dire releve.json ?" in (
        result.err
    )
    assert _listing(homes) == before


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--deck", "mon-deck.yaml"], "mon-deck.yaml: fichier introuvable"),
        (["--layout", "randonée"], "ni fichier ni disposition fourni de ce nom"),
    ],
)
@pytest.mark.parametrize("name", ["nouveau.json", "nouveau.db"])
def test_a_push_that_fails_on_its_inputs_creates_no_board_file(
    homes: Path, name: str, options: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run_cli(capsys, "push", "--board", f"local:{name}", *options, "--yes")
    assert result.code == ExitStatus.USER_ERROR
    assert said in result.err
    assert _listing(homes) == []


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_no_lock_file_is_left_beside_the_board(homes: Path, capsys: pytest.CaptureFixture[str]) -> None:
    board = "local:atelier.json"
    for args in (["push", "--board", board, "--yes"], ["plan", "--board", board], ["pull", "--board", board]):
        assert run_cli(capsys, *args).code == 0
        assert _listing(homes) == ["atelier.json"]
    assert run_cli(capsys, "clean", "--board", board, "--yes").code == 0
    assert _listing(homes) == ["atelier.json"]
    assert not any(name.endswith(".lock") for name in os.listdir(homes))
