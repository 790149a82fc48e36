"""A push whose deck is broken says so at once: the board read it started alongside is abandoned.

The deck is loaded while the board is read. Miro's item listings here fail as a network that is down
(unregistered in ``responses``), so a read left running would back off and retry until ``--timeout``
(30 s by default) before the command could end.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import responses

from gria_miro.errors import ExitStatus
from tests.conftest import SECRET_TOKEN
from tests.e2e.pushkit import run_cli
from tests.miro.conftest import BOARD, BOARD_ID
from tests.miro.test_token import TOKEN_URL, token_info

pytestmark = pytest.mark.usefixtures("state_dir")


def test_a_broken_deck_is_reported_at_once_and_the_read_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    deck = tmp_path / "deck-casse.yaml"
    deck.write_text("cards: [\n  - id: GOV-01\n", encoding="utf-8")  # an unclosed list
    monkeypatch.setenv("MIRO_TOKEN", SECRET_TOKEN)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as miro:
        miro.get(BOARD, json={"id": BOARD_ID, "name": "Atelier"})
        miro.get(TOKEN_URL, json=token_info(["boards:read", "boards:write"]))
        started = time.monotonic()
        result = run_cli(capsys, "push", "--board", BOARD_ID, "--deck", str(deck), "--yes")
        took = time.monotonic() - started
        sent = len(miro.calls)
        time.sleep(0.6)  # longer than the first backoff (0.25–0.5 s) of a listing that would still be retrying
        assert len(miro.calls) == sent
    assert result.code == ExitStatus.USER_ERROR, result.err
    assert "deck-casse.yaml:" in result.err and "Traceback" not in result.err
    assert took < 10.0, f"{took:.1f} s : la lecture du tableau a continué après l'erreur du deck"
