"""The plan as a facilitator reads it: golden summaries of ``plan`` for 1 and 3 teams after a workshop.

Participants move cards into the stages, delete one, rewrite one and fill a sticky note; the facilitator
then edits the deck (one card changed, one the team also rewrote, the last one removed). The default
output is compared with tests/golden/plan/; regenerate after an intended change with
``GRIA_UPDATE_GOLDEN=1 pytest tests/e2e/test_push_summary.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from gria_miro.localboard import participant
from gria_miro.observed import ObservedBoard
from gria_miro.sync.identity import card_code
from tests.e2e.pushkit import frame_titled, participant_session, read_local, run_cli

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "plan"


pytestmark = pytest.mark.usefixtures("state_dir")  # each test in a home of its own (tests/e2e/conftest.py)


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GRIA_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _card_in(board: ObservedBoard, code: str, frame_title: str) -> Any:
    frame = frame_titled(board, frame_title)
    return next(
        i
        for i in board.items
        if i.type == "card" and card_code(i.data.get("title")) == code and i.parent_id == frame.id
    )


def _workshop(board_path: Path, team: str) -> None:
    """What a team does during a session, through the REST API as Miro's web app would."""
    observed = read_local(board_path)
    session, base, board_id, _ = participant_session(board_path)
    pile = f"{team}La pioche"
    url = f"{base}/v2/boards/{board_id}"
    for code, stage in (("GOV-01", "Le départ"), ("GOV-02", "En chemin")):
        participant.move_item(
            session,
            base,
            board_id,
            _card_in(observed, code, pile).id,
            200,
            150,
            frame_titled(observed, team + stage).id,
        )
    participant.delete_item(session, base, board_id, _card_in(observed, "ENV-01", pile).id)
    rewritten = _card_in(observed, "FORM-01", pile)
    session.patch(f"{url}/cards/{rewritten.id}", json={"data": {"description": "Notre version"}}).raise_for_status()
    cordee = frame_titled(observed, team + "La cordée")
    note = next(i for i in observed.items if i.type == "sticky_note" and i.parent_id == cordee.id)
    session.patch(f"{url}/sticky_notes/{note.id}", json={"data": {"content": "Camille, Inès"}}).raise_for_status()


def _edit_deck(deck: Path) -> None:
    """The facilitator edits two cards (one the team also rewrote) and drops the last card."""
    text = deck.read_text(encoding="utf-8")
    head, _, _last_card = text.rstrip().rpartition("\n  - code: ")
    for code in ("GOV-03", "FORM-01"):
        start = head.index(f"code: {code}\n")
        at = head.index("    description:", start)
        end = head.index("\n", at)
        head = head[:at] + '    description: "Texte revu par l\'animatrice."' + head[end:]
    deck.write_text(head + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("teams", "team_prefix"),
    [(1, ""), pytest.param(3, "Équipe A · ", marks=pytest.mark.slow)],  # 3 teams: CI's slow pass
)
def test_plan_summary_after_a_workshop(
    teams: int, team_prefix: str, tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = tmp_path / "deck.yaml"
    deck.write_text((repo_root / "decks" / "gria-fr.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    board_path = tmp_path / "atelier.json"
    board = f"local:{board_path}"
    layout = "atelier-multi-equipes"
    first = run_cli(
        capsys, "push", "--board", board, "--deck", str(deck), "--layout", layout, "--teams", str(teams), "--yes"
    )
    assert first.code == 0, first.err
    _workshop(board_path, team_prefix)
    _edit_deck(deck)

    result = run_cli(capsys, "plan", "--board", board, "--deck", str(deck))
    assert result.code == 0, result.err
    _check_golden(f"atelier-{teams}-equipe{'s' if teams > 1 else ''}.txt", result.out.replace(str(tmp_path), "<tmp>"))
    quiet = run_cli(capsys, "plan", "--board", board, "--deck", str(deck), "--quiet")
    assert quiet.out == result.out.splitlines()[-1] + "\n"
    verbose = run_cli(capsys, "plan", "--board", board, "--deck", str(deck), "--verbose")
    assert "/card:GOV-03" in verbose.out and "/zone:pioche" in verbose.out  # every item, with its key
    assert len(verbose.out.splitlines()) > 5 * len(result.out.splitlines())
