"""The board-side push lock (sync/lock.py), one test per rule, on an in-memory board: no HTTP, no sleep."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from gria_miro.observed import ObservedBoard, ObservedItem
from gria_miro.sync.lock import STALE_AFTER, BoardBusy, BoardLock, station_tag
from gria_miro.sync.manifest import LOCK_PREFIX, is_lock


class _Created:
    def __init__(self, item_id: str) -> None:
        self.id = item_id


class FakeBoard:
    """Just what BoardLock uses: create (bulk), read, delete; createdAt from a settable board clock."""

    def __init__(self) -> None:
        self.items: dict[str, ObservedItem] = {}
        self.now = 1_000.0  # seconds of the board's clock
        self.deleted: list[str] = []
        self._next = 0

    def _stamp(self, seconds: float) -> str:
        minutes, secs = divmod(int(seconds), 60)
        hours, minutes = divmod(minutes, 60)
        return f"2026-11-29T{hours:02d}:{minutes:02d}:{secs:02d}Z"

    def add_lock(self, content: str, *, age: float = 0.0) -> str:
        self._next += 1
        item_id = f"30744{self._next:010d}"
        self.items[item_id] = ObservedItem(
            id=item_id,
            type="text",
            x=0,
            y=0,
            width=600,
            height=40,
            data={"content": content},
            created_at=self._stamp(self.now - age),
        )
        return item_id

    def bulk_create_chunks(
        self, board_id: str, chunks: Sequence[Sequence[dict[str, Any]]], on_result: Callable[[int, Any], None]
    ) -> None:
        for index, chunk in enumerate(chunks):
            on_result(index, [_Created(self.add_lock(body["data"]["content"])) for body in chunk])

    def read_board(self, board_id: str) -> ObservedBoard:
        return ObservedBoard(board_id=board_id, name=None, view_link=None, items=tuple(self.items.values()))

    def delete_item(self, board_id: str, item_id: str) -> None:
        self.deleted.append(item_id)
        self.items.pop(item_id, None)


def _lock(board: FakeBoard, *, station: str | None = None, wait_limit: float = 0.0) -> BoardLock:
    return BoardLock(
        board,  # type: ignore[arg-type]
        "b1",
        (0, 0),
        station=station,
        wait_limit=wait_limit,
        clock=lambda: board.now,
        sleep=lambda seconds: setattr(board, "now", board.now + seconds),
    )


def _locks(board: FakeBoard) -> list[ObservedItem]:
    return [item for item in board.items.values() if is_lock(item)]


def test_a_push_alone_takes_the_board_and_gives_it_back() -> None:
    board = FakeBoard()
    lock = _lock(board, station="aaaaaaaa")
    lock.acquire()
    assert [item.id for item in _locks(board)] == [lock.item_id]
    assert "poste aaaaaaaa" in str(_locks(board)[0].data["content"])
    lock.release()
    assert _locks(board) == []


def test_a_live_push_of_another_station_makes_it_wait_then_give_up() -> None:
    board = FakeBoard()
    other = board.add_lock(f"<p>{LOCK_PREFIX} (verrou 11111111, poste bbbbbbbb) : ne pas modifier</p>", age=5)
    with pytest.raises(BoardBusy):
        _lock(board, station="aaaaaaaa", wait_limit=5).acquire()
    assert [item.id for item in _locks(board)] == [other]  # ours withdrawn, theirs untouched


def test_a_lock_older_than_the_stale_limit_is_removed() -> None:
    board = FakeBoard()
    dead = board.add_lock(
        f"<p>{LOCK_PREFIX} (verrou 11111111, poste bbbbbbbb) : ne pas modifier</p>", age=STALE_AFTER + 60
    )
    lock = _lock(board, station="aaaaaaaa")
    lock.acquire()
    assert dead in board.deleted and [item.id for item in _locks(board)] == [lock.item_id]


def test_a_recent_lock_of_our_own_station_is_a_dead_push_and_removed_at_once() -> None:
    board = FakeBoard()
    dead = board.add_lock(f"<p>{LOCK_PREFIX} (verrou 11111111, poste aaaaaaaa) : ne pas modifier</p>", age=5)
    lock = _lock(board, station="aaaaaaaa")
    lock.acquire()  # no wait: the wait limit is 0
    assert dead in board.deleted and [item.id for item in _locks(board)] == [lock.item_id]


def test_without_a_station_a_recent_lock_is_never_taken_as_dead() -> None:
    board = FakeBoard()
    board.add_lock(f"<p>{LOCK_PREFIX} (verrou 11111111, poste aaaaaaaa) : ne pas modifier</p>", age=5)
    with pytest.raises(BoardBusy):
        _lock(board, station=None, wait_limit=5).acquire()


def test_the_station_depends_on_the_local_lock_folder(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIA_MIRO_LOCK_DIR", str(tmp_path / "a"))
    first = station_tag()
    assert first == station_tag() and len(first) == 8
    monkeypatch.setenv("GRIA_MIRO_LOCK_DIR", str(tmp_path / "b"))
    assert station_tag() != first  # two lock folders exclude nothing locally: they must not clear each other
