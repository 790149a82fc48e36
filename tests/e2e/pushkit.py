"""Helpers of the push end-to-end tests: run the CLI, read a local board, act as participants."""

from __future__ import annotations

import collections
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from gria_miro.cli import main
from gria_miro.deck.loading import load_deck
from gria_miro.layout.engine import compute_board
from gria_miro.layout.loading import load_layout
from gria_miro.localboard.adapter import LocalBoardAdapter, local_session, open_local_board
from gria_miro.miro.client import MiroClient
from gria_miro.miro.pacing import CreditBucket
from gria_miro.observed import ObservedBoard
from gria_miro.sync.identity import card_code
from tests.contract.spec_check import validate_prepared


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """Run ``gria-miro ARGS`` through the real entry point (error choke point included)."""
    capsys.readouterr()
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


#: Boards built once per test session: key → (the board file's bytes, the state files left beside it).
_BUILT: dict[str, tuple[bytes, dict[str, bytes]]] = {}


def built_once(key: str, path: Path, build: Callable[[], object]) -> Path:
    """The board file ``path`` as ``build()`` leaves it, built by the first test that asks and copied for
    the next ones, with the state files ``build`` wrote in ``$GRIA_MIRO_STATE_DIR``. Each test gets its own
    files (the same board id, the same items), without paying for the same push and play again."""
    state_dir = Path(os.environ["GRIA_MIRO_STATE_DIR"])
    if key not in _BUILT:
        build()
        states = {p.name: p.read_bytes() for p in state_dir.glob("*") if p.is_file()} if state_dir.is_dir() else {}
        _BUILT[key] = (path.read_bytes(), states)
        return path
    board, states = _BUILT[key]
    path.write_bytes(board)
    state_dir.mkdir(parents=True, exist_ok=True)
    for name, data in states.items():
        (state_dir / name).write_bytes(data)
    return path


@pytest.fixture
def spec_checked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Validate every request the local board receives against the official spec."""
    seen: list[str] = []
    original = LocalBoardAdapter.send

    def send(self: LocalBoardAdapter, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        validate_prepared(request)
        seen.append(f"{request.method} {request.path_url}")
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(LocalBoardAdapter, "send", send)
    yield seen


def read_local(path: Path) -> ObservedBoard:
    target = open_local_board(path)
    with MiroClient("local", base_url=target.base_url, adapter=target.adapter) as client:
        return client.read_board(target.board_id)


def participant_session(path: Path) -> tuple[requests.Session, str, str, LocalBoardAdapter]:
    target = open_local_board(path)
    return local_session(target), target.base_url, target.board_id, target.adapter


def card_counts(board: ObservedBoard) -> collections.Counter[str]:
    return collections.Counter(
        code for item in board.items if item.type == "card" and (code := card_code(item.data.get("title")))
    )


def expected_items(teams: int | None = None, layout: str = "randonnee", deck: str = "gria-fr") -> int:
    return len(compute_board(load_deck(deck), load_layout(layout), teams=teams).items)


def frame_titled(board: ObservedBoard, title_part: str) -> Any:
    return next(i for i in board.items if i.type == "frame" and title_part in str(i.data.get("title")))


def card_with(board: ObservedBoard, code: str) -> Any:
    return next(i for i in board.items if i.type == "card" and card_code(i.data.get("title")) == code)


class RoomyBucket(CreditBucket):
    """The client's credit bucket with a budget no test reaches."""

    def __init__(self, credits_per_minute: int, **kwargs: Any) -> None:
        super().__init__(10**9, **kwargs)


def roomy_credits(monkeypatch: pytest.MonkeyPatch) -> None:
    """No waits for Miro's credits, on either side: deleting or moving the whole board costs more than a
    minute of Miro's budget (credit waits are tested in tests/miro/test_pacing.py and tests/localboard)."""
    monkeypatch.setattr("gria_miro.localboard.adapter.DEFAULT_CREDITS_PER_MINUTE", 10**9)
    monkeypatch.setattr("gria_miro.miro.transport.CreditBucket", RoomyBucket)
