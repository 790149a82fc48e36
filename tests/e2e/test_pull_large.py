"""Pull of a board with more than 1,000 items: nothing is missed across pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gria_miro.deck.loading import load_deck
from tests.e2e.pullkit import pull
from tests.e2e.pushkit import participant_session, run_cli

EXTRA_NOTES = 900


@pytest.mark.slow
def test_pull_of_a_thousand_items_is_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "grand.json"
    assert run_cli(capsys, "push", "--board", f"local:{path}", "--yes").code == 0
    session, base, board_id, _ = participant_session(path)
    notes = [  # a wall of notes far from every zone, added 20 at a time (Miro's bulk limit)
        {
            "type": "sticky_note",
            "data": {"content": f"idée {n:04d}"},
            "position": {"x": 20000 + (n % 30) * 250, "y": (n // 30) * 250},
        }
        for n in range(EXTRA_NOTES)
    ]
    for start in range(0, EXTRA_NOTES, 20):
        session.post(f"{base}/v2/boards/{board_id}/items/bulk", json=notes[start : start + 20]).raise_for_status()
    snap = tmp_path / "snap.json"
    run = pull(capsys, path, "--format", "json", "--snapshot", str(snap))
    assert run.code == 0, run.err

    stored = json.loads(path.read_text(encoding="utf-8"))
    on_board = {item_id for board in stored["boards"].values() for item_id in board["items"]}
    read = [item["id"] for item in json.loads(snap.read_text(encoding="utf-8"))["items"]]
    assert len(on_board) >= 1000
    assert sorted(read) == sorted(on_board)  # every item, exactly once

    doc = json.loads(run.out)
    [team] = doc["teams"]
    assert sorted(c["code"] for c in team["pile"]) == sorted(card.code for card in load_deck("gria-fr").cards)
    [loose] = doc["notes"]
    assert sorted(loose["notes"]) == [f"idée {n:04d}" for n in range(EXTRA_NOTES)]
