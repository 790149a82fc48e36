"""Golden files: the Markdown and CSV roadmap of one realistic finished board, for a reviewer to read.

Regenerate after an intended change with ``GRIA_UPDATE_GOLDEN=1 pytest tests/e2e/test_pull_golden.py``.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from gria_miro.deck.loading import load_deck
from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout
from gria_miro.pull.assign import assign
from gria_miro.pull.roadmap import build_roadmap
from gria_miro.render.roadmap import render_roadmap
from tests.e2e.pullkit import finished_board
from tests.e2e.pushkit import read_local

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "roadmap"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GRIA_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8", newline="")
    assert path.exists(), f"{path} missing: run with GRIA_UPDATE_GOLDEN=1"
    assert text == path.read_bytes().decode("utf-8")


def test_golden_markdown_and_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRIA_MIRO_STATE_DIR", str(tmp_path / "state"))
    path = finished_board(tmp_path, capsys)
    board = replace(
        read_local(path),
        board_id="uXjVgolden=",
        name="Atelier GR:IA · musée",
        view_link="https://miro.com/app/board/uXjVgolden=/",
    )
    deck = load_deck("gria-fr")
    desired = compute_board(deck, load_layout("randonnee"))
    roadmap = build_roadmap(deck, desired, assign(desired, board), board, date(2026, 3, 14))
    check_golden("atelier-fini.md", render_roadmap(roadmap, "md"))
    check_golden("atelier-fini.csv", render_roadmap(roadmap, "csv"))
    check_golden("atelier-fini.en.md", render_roadmap(roadmap, "md", "en"))
