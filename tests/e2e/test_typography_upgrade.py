"""A board pushed before the French typography pass is updated in place, never duplicated nor in conflict."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.e2e.pushkit import card_counts, read_local, run_cli


@pytest.fixture
def old_board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    """A local board pushed as the previous version did: plain spaces and straight apostrophes everywhere."""
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    board = f"local:{tmp_path / 'atelier.json'}"
    with monkeypatch.context() as old_version:
        old_version.setattr("gria_miro.layout.content.french", lambda text: text)
        pushed = run_cli(capsys, "push", "--board", board, "--yes")
    assert pushed.code == 0, pushed.err
    titles = [str(i.data.get("title")) for i in read_local(Path(board.removeprefix("local:"))).items]
    assert any("'" in t for t in titles) and not any("\u2019" in t for t in titles)  # really the old text
    return board


def _plan(capsys: pytest.CaptureFixture[str], board: str) -> dict[str, object]:
    result = run_cli(capsys, "plan", "--board", board, "--format", "json")
    assert result.code == 0, result.err
    return dict(json.loads(result.out))


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_with_its_state_the_upgrade_updates_text_and_creates_nothing(
    old_board: str, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = _plan(capsys, old_board)["summary"]
    assert isinstance(summary, dict)
    assert summary["create"] == 0 and summary["conflict"] == 0 and summary["delete"] == 0
    assert summary["update"] > 0  # the typography reaches the board
    pushed = run_cli(capsys, "push", "--board", old_board, "--yes")
    assert pushed.code == 0, pushed.err
    board = read_local(Path(old_board.removeprefix("local:")))
    assert set(card_counts(board).values()) == {1}  # every card once
    assert any("\u2019" in str(i.data.get("title")) for i in board.items)


def test_without_state_every_item_is_found_again_by_identity(
    old_board: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(tmp_path / "state")
    plan = _plan(capsys, old_board)
    summary = plan["summary"]
    assert isinstance(summary, dict)
    assert summary["create"] == 0 and summary["conflict"] == 0
    adopted = plan["adopted"]
    assert isinstance(adopted, dict)
    assert any(key.endswith("zone:cordee") for key in adopted)  # frames, by their (typographic) title
