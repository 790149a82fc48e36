"""End-to-end: a layout change that makes a zone smaller (issue 11 point 6), through the CLI and the local board.

The local board refuses, as Miro does, to resize a frame so that a child falls outside it. Push orders its
writes so that gria-miro's own items move before their zone shrinks (and zones grow before anything moves
into them); what the participants placed is never moved, so a zone too small for it refuses the whole
plan before the first write.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gria_miro.errors import ExitStatus
from gria_miro.localboard import participant
from tests.e2e.pushkit import card_with, frame_titled, participant_session, read_local, roomy_credits, run_cli

STAGE = "Préparer le sac"


pytestmark = pytest.mark.usefixtures("state_dir")  # each test in a home of its own (tests/e2e/conftest.py)


@pytest.fixture
def board(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    roomy_credits(monkeypatch)
    return tmp_path / "atelier.json"


def _layout(tmp_path: Path, repo_root: Path, old: str, new: str, name: str) -> str:
    """A copy of the shipped randonnée layout with one passage changed."""
    text = (repo_root / "layouts" / "randonnee.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / f"{name}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return str(path)


SMALL_STAGE = ("    slots: 20\n", "    slots: 4\n")  # « Préparer le sac »: 5 rows of slots → 1
FEWER_PARTICIPANTS = (
    "        label: Qui vient ? (une personne par note)\n        slots: 8\n",
    "        label: Qui vient ? (une personne par note)\n        slots: 4\n",
)
WIDER_SHORTER = (
    "        label: Qui vient ? (une personne par note)\n        slots: 8\n        columns: 4\n",
    "        label: Qui vient ? (une personne par note)\n        slots: 8\n        columns: 8\n",
)


def _place_card(board: Path, code: str, rel_y_from_bottom: float | None, rel_y: float = 150) -> None:
    """A participant drops ``code`` in the first stage (near its bottom edge when asked)."""
    observed = read_local(board)
    stage = frame_titled(observed, STAGE)
    y = stage.height - rel_y_from_bottom if rel_y_from_bottom is not None else rel_y
    session, base, board_id, _ = participant_session(board)
    participant.move_item(session, base, board_id, card_with(observed, code).id, 200, y, parent_id=stage.id)


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_a_smaller_zone_holding_a_participant_card_is_refused_before_any_write(
    board: Path, tmp_path: Path, repo_root: Path, state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "push", "--board", f"local:{board}", "--yes").code == 0
    _place_card(board, "GOV-01", rel_y_from_bottom=100)
    board_before = board.read_bytes()
    states_before = {p.name: p.read_bytes() for p in state_dir.iterdir() if p.is_file()}
    small = _layout(tmp_path, repo_root, *SMALL_STAGE, name="petite-etape")

    planned = run_cli(capsys, "plan", "--board", f"local:{board}", "--layout", small)
    assert planned.code == 0
    assert "push refusera ce plan" in planned.err and "carte GOV-01" in planned.err

    result = run_cli(capsys, "push", "--board", f"local:{board}", "--layout", small, "--yes", "--force")
    assert result.code == ExitStatus.USER_ERROR, result.err
    assert "Erreur : la disposition rétrécit 1 zone(s) (« Préparer le sac »)" in result.err
    assert "rien n'a été modifié" in result.err
    assert "« Préparer le sac » : 1432×734 → 1432×262 ; en sortiraient : carte GOV-01" in result.err
    assert "Traceback" not in result.err
    assert board.read_bytes() == board_before  # not one write
    assert {p.name: p.read_bytes() for p in state_dir.iterdir() if p.is_file()} == states_before

    # the participants move their card up: the same push now goes through, and their card stays put
    _place_card(board, "GOV-01", rel_y_from_bottom=None, rel_y=150)
    result = run_cli(capsys, "push", "--board", f"local:{board}", "--layout", small, "--yes", "--force")
    assert result.code == 0, result.err
    after = read_local(board)
    stage = frame_titled(after, STAGE)
    assert (stage.width, stage.height) == (1432, 262)
    card = card_with(after, "GOV-01")
    assert card.parent_id == stage.id and (card.rel_x, card.rel_y) == (200, 150)
    assert "Aucun changement" in run_cli(capsys, "plan", "--board", f"local:{board}", "--layout", small).out


def test_a_zone_shrinks_after_gria_miro_moved_its_own_items(
    board: Path, tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "push", "--board", f"local:{board}", "--yes").code == 0
    cordee_before = frame_titled(read_local(board), "La cordée")
    fewer = _layout(tmp_path, repo_root, *FEWER_PARTICIPANTS, name="petite-cordee")

    result = run_cli(capsys, "push", "--board", f"local:{board}", "--layout", fewer, "--yes", "--force")
    assert result.code == 0, result.err  # before the fix: refused by the board after 9 updates
    cordee = frame_titled(read_local(board), "La cordée")
    assert cordee.height < cordee_before.height
    assert "Aucun changement" in run_cli(capsys, "plan", "--board", f"local:{board}", "--layout", fewer).out


@pytest.mark.slow  # a long end-to-end story: CI runs it (`pytest -m slow`)
def test_a_zone_wider_and_shorter_takes_both_sizes_in_turn(
    board: Path, tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli(capsys, "push", "--board", f"local:{board}", "--yes").code == 0
    before = frame_titled(read_local(board), "La cordée")
    reshaped = _layout(tmp_path, repo_root, *WIDER_SHORTER, name="cordee-en-ligne")

    result = run_cli(capsys, "push", "--board", f"local:{board}", "--layout", reshaped, "--yes", "--force")
    assert result.code == 0, result.err
    after = read_local(board)
    cordee = frame_titled(after, "La cordée")
    assert cordee.width > before.width and cordee.height < before.height
    children = [i for i in after.items if i.parent_id == cordee.id]
    assert children and all(0 <= i.rel_x <= cordee.width and 0 <= i.rel_y <= cordee.height for i in children)  # type: ignore[operator]
    assert "Aucun changement" in run_cli(capsys, "plan", "--board", f"local:{board}", "--layout", reshaped).out
